"""The demo sector (`manage.py seed_demo`): facilities, assessments, grants, actions and improvement
history made up for trying the application. It uses every app, so it lives in the top layer, web
(decision 0026)."""

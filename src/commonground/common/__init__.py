"""Small helpers every app uses (an API client's language, ids typed by a person, the number form
field): Django-aware, but knowing no app of the project, so that any app may import them (decision 0026)."""

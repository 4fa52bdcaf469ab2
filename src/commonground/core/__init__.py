"""The domain core: pure Python, never imports Django.

Catalogue, parameters, rules, frameworks, evaluation (single and columnar), findings, targets,
crosswalk and questionnaire.
"""

"""Corrective action plans: actions from findings, their comments, evidence and closure."""

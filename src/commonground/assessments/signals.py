"""Events of the assessments layer that higher apps react to, so that assessments imports none of
them (decision 0026)."""

from __future__ import annotations

from django.dispatch import Signal

# A verifier completed the verification of an assessment: sent with `assessment` inside the
# transaction that locked it, so that what receivers write (actions reopened or closed) commits or
# rolls back with the verification.
assessment_verified = Signal()

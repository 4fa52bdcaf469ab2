"""Events of the accounts layer that higher apps react to, so that accounts imports none of them
(decision 0026)."""

from __future__ import annotations

from django.dispatch import Signal

# A person read a facility's data on behalf of another organisation than the facility's owner (the
# verifier body it invited). Sent inside the reading request's transaction with facility, user,
# organisation, grant, channel and what; sharing records it in the facility's access log. A receiver
# must not fail silently: the read is refused when the log cannot take it.
outside_read = Signal()

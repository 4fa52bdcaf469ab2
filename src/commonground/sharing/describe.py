"""What a read took, as the facility reads its log: in its language.

The log stores `what` as the code wrote it (English words, then periods, names and ids that need
no translation), sealed by the read's hash; the words are translated only when shown. Unknown
texts are shown as stored.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# the leading words of the texts `access.get_assessment(..., what=)` and `record_read` are given
_KINDS = {
    "change history": lambda: pgettext("access log", "change history"),
    "evidence list": lambda: pgettext("access log", "evidence list"),
    "evidence": lambda: pgettext("access log", "evidence"),
    "results": lambda: pgettext("access log", "results"),
    "answers": lambda: pgettext("access log", "answers"),
    "assessment": lambda: pgettext("access log", "assessment"),
    "action plan": lambda: pgettext("access log", "action plan"),
}
_PORTFOLIO = re.compile(r"^portfolio: results (?P<rest>.+)$")
_ACTION_EVIDENCE = re.compile(r"^action (?P<n>\d+) evidence: (?P<rest>.+)$")
_ACTION = re.compile(r"^action (?P<n>\d+): (?P<rest>.+)$")
_KIND = re.compile(r"^(?P<kind>" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r")(?P<rest>( .*)?)$")


def describe(what: str) -> str:
    if m := _PORTFOLIO.match(what):
        return _("portfolio: results %(rest)s") % m.groupdict()
    if m := _ACTION_EVIDENCE.match(what):
        return _("action %(n)s evidence: %(rest)s") % m.groupdict()
    if m := _ACTION.match(what):
        return _("action %(n)s: %(rest)s") % m.groupdict()
    if m := _KIND.match(what):
        return _KINDS[m["kind"]]() + m["rest"]
    return what


def channel_label(channel: str) -> str:
    """How the data was read: a page, the API or an export."""
    labels = {
        "page": pgettext("access log", "page"),
        "api": pgettext("access log", "API"),
        "export": pgettext("access log", "export"),
    }
    return labels.get(channel, channel)

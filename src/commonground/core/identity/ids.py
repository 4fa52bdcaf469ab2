"""Exact identifiers of a facility: the Open Supply Hub ID and the Vietnamese tax code (mã số thuế).

Open Supply Hub ID (15 characters: country code, year and day of the year of creation, five random
characters, one check character, e.g. ``VN2026041HTP7QJ``). The check character is computed the way
Open Supply Hub computes it in ``checksum()`` of ``src/django/api/os_id.py`` in
github.com/opensupplyhub/open-supply-hub (read 2026-12-06; the same function is in
``oar_id.py`` of its predecessor, open-apparel-registry): the character codes of the two country
letters plus the Crockford base-32 value of each of the other 12 characters, modulo 32, written as
a Crockford base-32 symbol ("0123456789ABCDEFGHJKMNPQRSTVWXYZ", no I, L, O or U). Hyphens and
spaces are ignored, as Open Supply Hub's ``validate_os_id`` ignores them.

Tax code (MST): 10 digits, the tenth a check digit over the first nine (weights 31, 29, 23, 19,
17, 13, 7, 5, 3; check = 10 − sum mod 11); a branch adds three digits, often after a hyphen
(``0314409058-002``). Validated by python-stdnum's ``stdnum.vn.mst``, which documents the rule and
its sources (vi.wikipedia.org "Thuế Việt Nam", easyinvoice.vn/ma-so-thue).
"""

from __future__ import annotations

import re

from stdnum.vn import mst

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_OS_ID = re.compile(r"^[A-Z]{2}[0-9]{7}[0-9A-Z]{6}$")


def os_id_check_character(first_14: str) -> str:
    """The check character of an OS ID from its first 14 characters (upper case)."""
    total = ord(first_14[0]) + ord(first_14[1]) + sum(CROCKFORD.index(c) for c in first_14[2:])
    return CROCKFORD[total % 32]


def os_id(raw: str) -> str | None:
    """The OS ID in its compact form when `raw` is a valid one (check character included), else None."""
    compact = raw.replace("-", "").replace(" ", "").strip().upper()
    if not _OS_ID.match(compact) or any(c not in CROCKFORD for c in compact[9:]):
        return None
    return compact if os_id_check_character(compact[:14]) == compact[14] else None


def with_check_digit(digits: str) -> str:
    """A valid 10-digit tax code from the first nine of `digits`: the check digit appended, the ninth
    digit moved on when the sum would need "10" (no check digit exists then)."""
    first = digits[:9]
    for step in range(10):
        candidate = first[:8] + str((int(first[8]) + step) % 10)
        check = mst.calc_check_digit(candidate)
        if len(check) == 1 and candidate[2:] != "0000000":
            return candidate + check
    raise ValueError(digits)  # pragma: no cover - some ninth digit always gives a single check digit


def shown_tax_code(compact: str) -> str:
    """A valid tax code as written: "0314409058-002" for a branch."""
    return compact if len(compact) == 10 else f"{compact[:10]}-{compact[10:]}"


def tax_code(raw: str) -> str | None:
    """The tax code as digits only (10 or 13) when `raw` is a valid MST, else None."""
    text = raw.strip()
    if not text:
        return None
    try:
        return str(mst.validate(text))
    except Exception:  # stdnum raises its ValidationError subclasses (and ValueError on odd input)
        return None

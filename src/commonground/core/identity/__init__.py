"""Facility identity: which rows of supplier lists are the same facility (decision 0027).

Exact identifiers first (``ids``: the Open Supply Hub ID and the Vietnamese tax code, each with its
check character), then the similarity of names and addresses after Vietnamese normalisation
(``normalise``, ``scoring``), over pairs found by blocking (``matching``).
"""

from __future__ import annotations

from .ids import os_id, os_id_check_character, shown_tax_code, tax_code, with_check_digit
from .matching import Grouping, Matching, Pair, match_against, match_within
from .output import grouping_dict, grouping_text, matching_dict, matching_text
from .reading import read_facilities, read_list
from .scoring import AUTOMATIC, SUGGESTED, Facility, score

__all__ = [
    "AUTOMATIC",
    "SUGGESTED",
    "Facility",
    "Grouping",
    "Matching",
    "Pair",
    "grouping_dict",
    "grouping_text",
    "match_against",
    "match_within",
    "matching_dict",
    "matching_text",
    "os_id",
    "os_id_check_character",
    "read_facilities",
    "read_list",
    "score",
    "shown_tax_code",
    "tax_code",
    "with_check_digit",
]

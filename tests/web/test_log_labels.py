"""The facility reads what was read, and how, in its language; the stored text is left as sealed."""

from __future__ import annotations

import pytest
from django.utils import translation

from commonground.sharing.describe import channel_label, describe

CASES = [
    ("portfolio: results 2025", "danh mục nhà cung cấp: kết quả 2025"),
    ("results 2026-01-01–2026-12-31 v1", "kết quả 2026-01-01–2026-12-31 v1"),
    ("results sa8000 2026-01-01–2026-12-31 v1", "kết quả sa8000 2026-01-01–2026-12-31 v1"),
    ("evidence drill.pdf (fire_safety.drills)", "bằng chứng drill.pdf (fire_safety.drills)"),
    ("evidence list 2026-01-01–2026-12-31 v1", "danh sách bằng chứng 2026-01-01–2026-12-31 v1"),
    ("change history 2026-01-01–2026-12-31 v2", "lịch sử thay đổi 2026-01-01–2026-12-31 v2"),
    ("assessment 2026-01-01–2026-12-31 v1", "bản đánh giá 2026-01-01–2026-12-31 v1"),
    ("action plan", "kế hoạch hành động"),
    ("action 12: Cap overtime", "hành động 12: Cap overtime"),
    ("action 12 evidence: drill.pdf", "bằng chứng của hành động 12: drill.pdf"),
    ("something new", "something new"),  # unknown: shown as stored
    ("resultsXYZ", "resultsXYZ"),  # a kind's word must stand alone
]


@pytest.mark.parametrize(("what", "vi"), CASES)
def test_what_was_read_is_shown_in_vietnamese_and_as_stored_in_english(what: str, vi: str) -> None:
    with translation.override("vi"):
        assert describe(what) == vi
    with translation.override("en"):
        assert describe(what) == what


def test_how_it_was_read() -> None:
    with translation.override("vi"):
        assert [channel_label(c) for c in ("page", "api", "export", "other")] == [
            "trang web",
            "API",
            "xuất tệp",
            "other",
        ]

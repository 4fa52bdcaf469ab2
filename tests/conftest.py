"""Shared fixtures: the shipped library, a small fixture library, and an assessment builder."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest

from commonground.core.assessments import Assessment, build_assessment
from commonground.core.library import Library, cached_library, load_library

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(autouse=True)
def _counts_from_zero(settings: Any) -> None:
    """Each test counts abuse limits from zero: the counts live in the database cache, whose table a
    transactional test's flush leaves as it is, so each test gets keys of its own."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture(scope="session")
def shipped() -> Library:
    return cached_library()


@pytest.fixture(scope="session")
def mini() -> Library:
    return load_library([MINI], shipped=False)


def make_assessment(
    lib: Library,
    values: dict[str, Any],
    *,
    end: str = "2025-12-31",
    start: str | None = None,
    name: str = "Test factory",
) -> Assessment:
    """An assessment built the way a file is read (values are checked and converted)."""
    start = start or f"{end[:4]}-01-01"
    raw = {"facility": {"name": name}, "period": {"start": start, "end": end}, "values": values}
    return build_assessment(raw, lib, file="test")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_at_once() -> None:
    """Jobs run inside the test that queues them (Huey's immediate mode); tests/web/test_jobs.py
    also runs them through a real queue in a real worker process."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True

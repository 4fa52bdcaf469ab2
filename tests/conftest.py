"""Shared fixtures: the shipped library, a small fixture library, and an assessment builder."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

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


T = TypeVar("T")
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def seeded_once(django_db_blocker: Any, seed: Callable[[], T], **overrides: Any) -> Iterator[T]:
    """Seed once for a module's tests (from a module-scoped fixture): inside a transaction rolled back
    when the module ends. Each test's own transaction (the `db` fixture) is a savepoint within it, so
    what a test changes is undone after it and the next test starts from the seeded state, as if it
    had seeded again. Only for tests that use `db` (a transactional test flushes the database).
    Passwords are hashed fast, so the tests log in with the fast hasher (tests/web/conftest.py);
    `overrides` are settings the seeding needs (a test that needs them too sets them itself)."""
    from django.conf import settings
    from django.db import transaction
    from django.test.utils import override_settings

    own = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"module-{uuid.uuid4().hex}"}}
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHING, CACHES=own, **overrides
        ),  # nothing cached outlives it
        transaction.atomic(),
    ):
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def empty_database(db: None) -> None:
    """For a test that needs an empty database in a module that seeds once (`seeded_once`): every row
    removed inside the test's own transaction, so the seeded rows come back after it."""
    from django.core.management import call_command
    from django.db import connection

    connection.check_constraints()  # PostgreSQL: no deferred checks pending before TRUNCATE
    call_command("flush", interactive=False, verbosity=0)

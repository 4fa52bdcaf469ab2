"""Concurrent writers lose nothing: 16 threads, each with its own connection, save one answer at
once through the service — an existing answer and a brand-new one — on SQLite (a file database in
WAL mode, as served) and on PostgreSQL. Every save lands in the history, the final value is one of
the saved ones, and nobody meets an error ("database is locked", a unique-constraint race)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from commonground.accounts.library import library
from commonground.assessments import services
from commonground.assessments.models import Answer, AnswerChange, Assessment

pytestmark = pytest.mark.django_db(transaction=True)
DRILLS = "fire_safety.evacuation_drills_year"
WRITERS = 16


@pytest.fixture
def shared_database(tmp_path: Path) -> Iterator[None]:
    """On SQLite, the threads work on a file copy of the (in-memory) test database, as a served
    database is a file: an in-memory one shared between threads locks differently. PostgreSQL
    threads simply open their own connections to the test database."""
    if connection.vendor != "sqlite":
        yield
        return
    file = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(file)
    connection.connection.backup(target)
    target.close()
    settings = connection.settings_dict
    name = settings["NAME"]
    settings["NAME"] = str(file)  # new connections (one per thread) open the file
    try:
        yield
    finally:
        settings["NAME"] = name


def _in_threads(count: int, work: Callable[[int], Any]) -> list[BaseException]:
    """Run `work(i)` for i in range(count) in as many threads released together; the errors."""
    start, errors = threading.Barrier(count), []

    def run(i: int) -> None:
        try:
            start.wait(10)
            work(i)
        except BaseException as exc:  # every error is a finding
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def _read(query: Callable[[], Any]) -> Any:
    """`query` answered on a thread's own connection (the one the writers used)."""
    found: list[Any] = []
    assert not _in_threads(1, lambda _: found.append(query()))
    return found[0]


def _saved_concurrently(assessment: Assessment, user: Any, first: int | None) -> None:
    library()  # the catalogue read once, before the threads (not 16 times at once)
    if first is not None:  # saved on a thread's connection too (on SQLite: in the file)
        assert not _in_threads(1, lambda _: services.save_answer(assessment.pk, DRILLS, first, user=user))
    values = [10 + i for i in range(WRITERS)]
    errors = _in_threads(
        WRITERS, lambda i: services.save_answer(assessment.pk, DRILLS, values[i], user=user, reason=f"w{i}")
    )
    assert errors == []
    changes = _read(
        lambda: list(
            AnswerChange.objects.filter(datapoint=DRILLS).order_by("pk").values("old_value", "new_value")
        )
    )
    answers = _read(lambda: list(Answer.objects.filter(datapoint=DRILLS).values_list("value", flat=True)))
    concurrent = changes[1:] if first is not None else changes
    assert sorted(c["new_value"] for c in concurrent) == values  # every save is in the history
    assert [c["old_value"] for c in changes] == [None] + [c["new_value"] for c in changes[:-1]]  # one chain
    assert answers == [changes[-1]["new_value"]]  # one answer, the last saved value


def test_concurrent_saves_of_a_new_answer_all_land_in_the_history(
    cast: dict[str, Any], assessment: Assessment, shared_database: None
) -> None:
    _saved_concurrently(assessment, cast["alice"], first=None)


def test_concurrent_saves_of_an_existing_answer_all_land_in_the_history(
    cast: dict[str, Any], assessment: Assessment, shared_database: None
) -> None:
    _saved_concurrently(assessment, cast["alice"], first=2)

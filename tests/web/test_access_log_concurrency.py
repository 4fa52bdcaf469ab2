"""Reads recorded at once do not wait for each other (PostgreSQL, several connections; SQLite runs one
writer at a time anyway): no row is shared between them, a read still open does not hold back the
others nor the sealer, and one sealer runs at a time. Sealed afterwards, the chain verifies."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from commonground.accounts.models import Membership
from commonground.sharing import access_log, services
from commonground.sharing.models import AccessRead
from tests.web.conftest import member

pytestmark = pytest.mark.django_db(transaction=True)
READERS = 6


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises every write)")


def _record(cast: dict[str, Any], user: Any, what: str) -> None:
    services.record_read(
        cast["facility"], user=user, organisation=cast["buyer"], what=what, channel="api", grant=None
    )


def test_reads_at_once_share_no_lock_and_seal_into_one_chain(
    postgres_only: None, cast: dict[str, Any]
) -> None:
    bao = member("bao", cast["buyer"], Membership.Role.EDITOR)
    held, release, errors = threading.Event(), threading.Event(), []

    def holder() -> None:
        """A request that has recorded its read and has not committed yet (a slow page)."""
        try:
            with transaction.atomic():
                _record(cast, bao, "slow page")
                held.set()
                release.wait(20)
        finally:
            connection.close()

    def reader(i: int) -> None:
        try:
            with connection.cursor() as cursor:  # a wait for any lock fails at once instead
                cursor.execute("SET lock_timeout = '2s'")
            for n in range(5):
                _record(cast, bao, f"reader {i} read {n}")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    slow = threading.Thread(target=holder)
    slow.start()
    assert held.wait(20)
    readers = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join(20)
    assert not any(t.is_alive() for t in readers) and errors == []  # none waited for the open read
    assert AccessRead.objects.count() == READERS * 5  # committed while the slow one is still open
    # the sealer does not wait for the gap the open read leaves in the ids either
    assert services.seal_access_log() == READERS * 5
    release.set()
    slow.join(20)
    assert services.seal_access_log() == 1  # sealed by the next run, at the next position
    slow_read = AccessRead.objects.get(entries__what="slow page")
    assert slow_read.position == READERS * 5 + 1 and slow_read.pk < AccessRead.objects.order_by("-id")[0].pk
    checkpoint = services.take_checkpoint()
    found = services.check_log()
    assert found.intact and checkpoint is not None and (found.sealed, found.unsealed) == (READERS * 5 + 1, 0)


def test_one_sealer_at_a_time(postgres_only: None, cast: dict[str, Any]) -> None:
    bao = member("bao", cast["buyer"], Membership.Role.EDITOR)
    for n in range(3):
        _record(cast, bao, f"read {n}")
    held, release = threading.Event(), threading.Event()

    def other_sealer() -> None:
        try:
            with transaction.atomic():
                assert access_log._sealer_lock()
                held.set()
                release.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=other_sealer)
    thread.start()
    assert held.wait(20)
    assert services.seal_access_log() == 0  # the other sealer is at work: this one does not wait
    release.set()
    thread.join(20)
    assert services.seal_access_log() == 3 and services.check_log().intact

"""The embedded shared cache (decision 0019): Django's database cache, writing many keys at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection

from commonground.config.cache import BulkDatabaseCache


def test_many_keys_are_written_in_a_few_queries_and_replace_older_values(
    db: None, django_assert_max_num_queries: Any
) -> None:
    cache = BulkDatabaseCache("commonground_cache", {"KEY_PREFIX": "t", "OPTIONS": {"MAX_ENTRIES": 10_000}})
    cache.set_many({f"k{i}": i for i in range(1000)})
    with django_assert_max_num_queries(4):  # a count, one upsert of all
        cache.set_many({f"k{i}": -i for i in range(500, 1500)})
    found = cache.get_many([f"k{i}" for i in range(1500)])
    assert found == {f"k{i}": (i if i < 500 else -i) for i in range(1500)}


@pytest.mark.django_db(transaction=True)
def test_processes_writing_the_same_keys_at_once_all_succeed() -> None:
    """Two workers keeping the same outcomes at the same moment (a portfolio opened twice): neither
    fails on a key the other has just written."""
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database takes one writer at a time")
    cache = BulkDatabaseCache("commonground_cache", {"KEY_PREFIX": "r", "OPTIONS": {"MAX_ENTRIES": 10_000}})
    errors: list[Exception] = []
    start = threading.Barrier(3)

    def write(writer: int) -> None:
        try:
            start.wait()
            for round_ in range(15):
                cache.set_many({f"k{i}": (writer, round_) for i in range(200)})
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("k0")[1] == 14


def test_it_culls_when_full(db: None) -> None:
    cache = BulkDatabaseCache("commonground_cache", {"KEY_PREFIX": "c", "OPTIONS": {"MAX_ENTRIES": 100}})
    for start in range(0, 600, 100):
        cache.set_many({f"k{i}": i for i in range(start, start + 100)})
    assert 0 < len(cache.get_many([f"k{i}" for i in range(600)])) <= 200
    assert cache.get_many(["k599"]) == {"k599": 599}  # the newest are kept


def test_the_site_uses_it_when_no_redis_is_set(settings: Any) -> None:
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("REDIS_URL is set: the cache is Redis")
    assert isinstance(caches["default"], BulkDatabaseCache)

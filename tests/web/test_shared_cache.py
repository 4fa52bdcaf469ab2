"""The embedded shared cache (decision 0019): Django's database cache, writing many keys at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches

from commonground.config.cache import BulkDatabaseCache


def test_many_keys_are_written_in_a_few_queries_and_replace_older_values(
    db: None, django_assert_max_num_queries: Any
) -> None:
    cache = BulkDatabaseCache("commonground_cache", {"KEY_PREFIX": "t", "OPTIONS": {"MAX_ENTRIES": 10_000}})
    cache.set_many({f"k{i}": i for i in range(1000)})
    with django_assert_max_num_queries(8):  # a count, three deletes of 400 keys, one insert of all
        cache.set_many({f"k{i}": -i for i in range(500, 1500)})
    found = cache.get_many([f"k{i}" for i in range(1500)])
    assert found == {f"k{i}": (i if i < 500 else -i) for i in range(1500)}


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

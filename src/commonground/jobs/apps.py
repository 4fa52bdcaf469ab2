from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _make_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """`migrate` also makes the cache table when the cache is the database (decision 0019)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class JobsConfig(AppConfig):
    name = "commonground.jobs"
    label = "jobs"

    def ready(self) -> None:
        post_migrate.connect(_make_cache_table, sender=self, dispatch_uid="commonground.jobs.cache_table")

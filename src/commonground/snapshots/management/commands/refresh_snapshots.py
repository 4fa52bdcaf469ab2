"""Compute the sector snapshots now (what the scheduled job does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonground.snapshots import store


class Command(BaseCommand):
    help = "Compute the sector snapshots (aggregates, benchmarks, peer insights) from the database now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stale", action="store_true", help="only kinds the sector changed since")

    def handle(self, *args: Any, **options: Any) -> None:
        for stored in store.refresh_all(only_stale=options["stale"]):
            self.stdout.write(f"{stored.kind}: {stored.rows} assessments in {stored.seconds:.2f} s")

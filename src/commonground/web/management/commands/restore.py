"""`manage.py restore FILE`: fill an empty, migrated database from a backup (decision 0017)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.web.backups import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated database from a backup archive. / "
        "Khôi phục bản sao lưu vào một cơ sở dữ liệu trống."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive `manage.py backup` wrote")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = restore_backup(Path(options["file"]))
        except RestoreRefused as exc:
            raise CommandError(f"restore refused: {exc}") from None
        self.stdout.write(f"restored {sum(counts.values())} rows in {len(counts)} tables")

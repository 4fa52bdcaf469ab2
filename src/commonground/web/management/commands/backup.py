"""`manage.py backup FILE`: every row and every evidence file in one zip archive (decision 0017)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.web.backups import write_backup


class Command(BaseCommand):
    help = "Write every row and evidence file to one archive. / Sao lưu mọi dữ liệu và tệp minh chứng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to write (a .zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"])
        if target.exists():
            raise CommandError(f"{target} exists already: choose a new file name")
        try:
            counts = write_backup(target)
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise CommandError(f"could not write {target}: {exc}") from None
        self.stdout.write(f"backup written to {target}: {sum(counts.values())} rows in {len(counts)} tables")

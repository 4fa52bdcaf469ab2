"""`manage.py send_action_digest`: email each facility's admins and editors what is due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.actions.digest import send_digests


class Command(BaseCommand):
    help = "Email each facility's admins and editors its overdue actions and those due in 14 days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--facility", type=int, action="append", help="only this facility (repeatable)")
        parser.add_argument("--date", help="count from this day (YYYY-MM-DD) instead of today")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD / --date phải có dạng YYYY-MM-DD") from None
        sent = send_digests(options["facility"], today=today)
        self.stdout.write(f"{sent} digest emails sent / Đã gửi {sent} thư nhắc hạn.")

"""`manage.py send_action_digest`: email each facility's admins and editors what is due.

The workers send it every day on their own (actions/tasks.py); this command sends it now, in this
process, or with --queue hands today's digest job to the workers (once a day, like the schedule)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from commonground.actions.digest import send_digests
from commonground.jobs.services import enqueue


class Command(BaseCommand):
    help = "Email each facility's admins and editors its overdue actions and those due in 14 days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--facility", type=int, action="append", help="only this facility (repeatable)")
        parser.add_argument("--date", help="count from this day (YYYY-MM-DD) instead of today")
        parser.add_argument("--queue", action="store_true", help="hand the day's digest job to the workers")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD / --date phải có dạng YYYY-MM-DD") from None
        if options["queue"]:
            day = (today or timezone.localdate()).isoformat()
            only = options["facility"]
            key = f"action_digest:{day}" + (":" + ",".join(map(str, sorted(only))) if only else "")
            job = enqueue("action_digest", key=key, date=day, facility_ids=only)
            self.stdout.write(f"job {job.pk}: {job.state}")
            return
        sent = send_digests(options["facility"], today=today)
        self.stdout.write(f"{sent} digest emails sent / Đã gửi {sent} thư nhắc hạn.")

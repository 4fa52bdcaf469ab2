"""`manage.py seal_access_log`: seal the reads recorded since the last run into the hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.sharing.access_log import seal_access_log


class Command(BaseCommand):
    help = (
        "Seal new access-log reads into the hash chain (one sealer at a time). / "
        "Niêm phong các lượt đọc mới vào chuỗi băm của nhật ký truy cập."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_access_log()
        self.stdout.write(f"{sealed} reads sealed / đã niêm phong {sealed} lượt đọc")

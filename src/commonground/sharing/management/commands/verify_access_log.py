"""`manage.py verify_access_log`: check the hash chain of the access log; exit 1 when broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonground.sharing.services import verify_log


class Command(BaseCommand):
    help = (
        "Check that no access-log entry was changed or removed. / "
        "Kiểm tra nhật ký truy cập không bị sửa, xóa."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_log()
        if broken:
            ids = ", ".join(str(i) for i in broken[:20])
            raise CommandError(
                f"access log tampered with at entries {ids} / nhật ký truy cập bị sửa tại mục {ids}"
            )
        self.stdout.write("access log intact / nhật ký truy cập nguyên vẹn")

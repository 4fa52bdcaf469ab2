"""`manage.py checkpoint_access_log`: sign the access log's head (its size and hash) as a checkpoint."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.sharing.access_log import take_checkpoint, token


class Command(BaseCommand):
    help = (
        "Sign the sealed access log's head as a checkpoint and print it (keep a copy elsewhere). / "
        "Ký điểm kiểm tra cho phần đã niêm phong của nhật ký truy cập và in ra (hãy lưu một bản ở nơi khác)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = take_checkpoint()
        if checkpoint is None:
            self.stdout.write("nothing sealed yet / chưa có lượt đọc nào được niêm phong")
            return
        self.stdout.write(token(checkpoint))

"""`manage.py verify_access_log`: check every sealed read against the hash chain and every checkpoint
(stored, or copies given with --checkpoint); exit 1 when anything does not hold."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.sharing.access_log import check_log


class Command(BaseCommand):
    help = (
        "Check that no sealed access-log read was changed, moved or removed. / "
        "Kiểm tra không lượt đọc đã niêm phong nào trong nhật ký truy cập bị sửa, chuyển chỗ hay xóa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            help="a checkpoint kept outside the database (the line checkpoint_access_log prints)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = check_log(options["checkpoint"])
        except ValueError as error:
            raise CommandError(f"--checkpoint: {error} / không phải điểm kiểm tra") from error
        problems = []
        if found.broken:
            ids = ", ".join(str(i) for i in found.broken[:20])
            problems.append(f"reads {ids} do not match their seal / lượt đọc {ids} không khớp dấu niêm phong")
        if found.checkpoints or found.copies:
            which = ", ".join([*(f"#{i}" for i in found.checkpoints[:20]), *(c[:24] for c in found.copies)])
            problems.append(
                f"checkpoints {which} do not hold ({found.missing} sealed reads missing at the end) / "
                f"điểm kiểm tra {which} không khớp (thiếu {found.missing} lượt đọc cuối)"
            )
        if found.unsigned:
            problems.append(
                f"{found.unsigned} checkpoints are not signed with this log's key (COMMONGROUND_LOG_KEY) / "
                f"{found.unsigned} điểm kiểm tra không được ký bằng khóa của nhật ký này"
            )
        if problems:
            raise CommandError("access log tampered with: " + "; ".join(problems))
        self.stdout.write(
            f"access log intact: {found.sealed} reads sealed, {found.unsealed} not sealed yet "
            f"(nothing vouches for those until they are sealed and a checkpoint follows) / "
            f"nhật ký truy cập nguyên vẹn: {found.sealed} lượt đọc đã niêm phong, "
            f"{found.unsealed} chưa niêm phong"
        )

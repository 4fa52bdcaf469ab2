"""`manage.py seed_demo`: fill an empty database with the demo sector and print the demo logins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from commonground.facilities.models import Facility
from commonground.web.demo.actions import seed_demo_actions
from commonground.web.demo.facilities import DemoExists, DemoSummary, seed_demo
from commonground.web.demo.improvement import seed_improvement
from commonground.web.demo.sharing import DemoConsent, seed_demo_grants


def _seed_all(facilities: int, seed: int) -> tuple[DemoSummary, DemoConsent]:
    """Every part of the demo in one transaction: a run killed half-way leaves nothing behind, so
    `--if-empty` or a plain run seeds it whole again."""
    with transaction.atomic():
        summary = seed_demo(facilities=facilities, seed=seed)
        seed_demo_actions(seed=seed)
        seed_improvement(seed=seed)
        consent = seed_demo_grants(seed=seed)
    return summary, consent


class Command(BaseCommand):
    help = "Seed demo data (facilities, buyers, three years of assessments) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when any facility exists already"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="erase EVERY row of the database first (flush), then seed: repairs any demo",
        )
        parser.add_argument("--facilities", type=int, default=60, help="how many facilities (default 60)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["facilities"] < 1:
            raise CommandError("--facilities must be at least 1 / --facilities phải từ 1 trở lên")
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        if options["if_empty"] and Facility.objects.exists():
            self.stdout.write(
                "Facilities exist already: no demo data seeded.\nĐã có cơ sở sản xuất: không tạo dữ liệu mẫu."
            )
            return
        started = time.perf_counter()
        try:
            summary, consent = _seed_all(options["facilities"], options["seed"])
        except DemoExists:
            raise CommandError(
                "The demo logins exist already: the demo was seeded before (--reset erases the "
                "database and seeds it again).\nTài khoản mẫu đã tồn tại: dữ liệu mẫu đã được tạo "
                "trước đó (--reset xoá toàn bộ cơ sở dữ liệu rồi tạo lại)."
            ) from None
        seconds = time.perf_counter() - started
        out = self.stdout.write
        out(
            f"Seeded in {seconds:.1f} s / Đã tạo trong {seconds:.1f} giây: "
            f"{summary.organisations} organisations / tổ chức, "
            f"{summary.facilities} facilities / cơ sở in {summary.provinces} provinces / tỉnh, thành, "
            f"{summary.assessments} assessments / bản đánh giá, {summary.answers} answers / câu trả lời, "
            f"{summary.supply_links} supply links / quan hệ cung ứng, "
            f"{consent.grants} grants / lần đồng ý chia sẻ, "
            f"{consent.public} facilities reporting by name / cơ sở công khai theo tên."
        )
        out("")
        out("Demo logins / Tài khoản dùng thử:")
        width = max(len(login.username) for login in summary.logins)
        for login in summary.logins:
            out(f"  {login.username:<{width}}  {login.role_en} / {login.role_vi} — {login.organisation}")
        out("")
        out(f"Password for all / Mật khẩu chung: {summary.logins[0].password}")

"""Demo action plans, seeded after the demo sector (`manage.py seed_demo`).

For each facility, the most severe findings of its two verified assessments become actions. Those
from the first year were mostly finished; the next verified year then judged them as the follow-up
does (`core.actions.follow_up`): effective where the finding disappeared, reopened (and given a new
due date) where it persists. Those from the second year are at every stage: done, confirmed by the
verifier, in progress, past due, due in the next days, or cancelled with a reason. Finished actions
with a catalogue solution record the adoption, more often where the action worked, so that peer
insights have adopters to compare. Only the demo group's facilities carry owners and comments (the
other groups have no logins). Everything is written with bulk_create; histories carry their dates.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from commonground.accounts.library import library
from commonground.actions.models import Action, ActionComment, ActionEvent, ActionFinding, Adoption
from commonground.actions.services import finding_snapshot
from commonground.assessments.models import Assessment
from commonground.assessments.services import buyers_by_framework
from commonground.core import actions as rules
from commonground.core.findings import Finding
from commonground.core.library import Library
from commonground.core.solutions import solutions_for
from commonground.web.demo.findings import Seen, last_two, verified_findings

S = Action.Status
Row = TypeVar("Row", ActionFinding, ActionEvent, ActionComment, Adoption)
CAUSES = {  # topic -> root-cause category and the facility's own words
    "working_time": ("planning", "Nhận đơn hàng vượt năng lực chuyền; chưa có kế hoạch ca."),
    "wages": ("cost", "Đơn giá gia công thấp; bảng lương chưa cập nhật theo mức lương tối thiểu mới."),
    "benefits": (
        "procedure_not_followed",
        "Phòng nhân sự chưa đối chiếu danh sách đóng bảo hiểm hằng tháng.",
    ),
    "fire_safety": ("procedure_not_followed", "Kho thành phẩm để hàng lấn lối đi; chưa kiểm tra hằng ngày."),
    "osh": ("training", "Công nhân mới chưa được huấn luyện an toàn trước khi vào chuyền."),
    "contracts": ("policy_missing", "Chưa có quy trình ký hợp đồng trước ngày làm việc đầu tiên."),
    "grievance": ("policy_missing", "Chưa có kênh khiếu nại ẩn danh cho người lao động."),
    "chemicals": ("equipment", "Chưa có kho hóa chất riêng có gờ chống tràn."),
    "wastewater": ("equipment", "Hệ thống xử lý nước thải quá tải khi vào mùa cao điểm."),
}
DEFAULT_CAUSE = ("other", "Đang phân tích nguyên nhân cùng quản lý xưởng.")
CANCEL_REASONS = (
    "Trùng với một hành động khác cho cùng phát hiện.",
    "Xưởng cắt khu B đã đóng cửa từ tháng 6, không còn áp dụng.",
    "Gộp vào kế hoạch cải tạo nhà xưởng năm sau.",
)
FACTORY_COMMENTS = (
    "Đã họp với các trưởng chuyền, thống nhất lịch ca mới từ đầu tháng.",
    "Đã đặt mua thiết bị, nhà cung cấp hẹn giao trong 3 tuần.",
    "Cập nhật: đã huấn luyện xong cho 2/3 số công nhân, còn ca đêm.",
    "Bảng chấm công tháng này đã đính kèm để bên thẩm tra xem.",
)
VERIFIER_COMMENTS = (
    "Đề nghị đính kèm bảng chấm công ba tháng gần nhất của tất cả các chuyền.",
    "Bằng chứng đầy đủ, đã đối chiếu tại hiện trường.",
)


@dataclass
class _Plan:
    """Rows to write, with the dates their histories need."""

    actions: list[Action] = field(default_factory=list)
    findings: list[tuple[int, list[ActionFinding]]] = field(default_factory=list)
    events: list[tuple[int, ActionEvent]] = field(default_factory=list)
    comments: list[tuple[int, ActionComment]] = field(default_factory=list)
    adoptions: list[tuple[int, Adoption]] = field(default_factory=list)
    created: list[dt.datetime] = field(default_factory=list)
    adopted: set[int] = field(default_factory=set)  # actions whose adoption is recorded


@dataclass(frozen=True)
class _Cast:
    lib: Library
    owners: tuple[User, ...]  # the demo group's admin and editor
    verifier: User | None
    group_id: int | None


def seed_demo_actions(*, seed: int = 2026, today: dt.date | None = None) -> int:
    """Seed the action plans of every facility with two verified assessments; returns how many."""
    rng, today = random.Random(seed), today or timezone.localdate()
    cast = _cast()
    evaluations = verified_findings(cast.lib)
    plan = _Plan()
    for _, (first, second) in sorted(last_two(evaluations).items()):
        _facility_plan(rng, plan, cast, first, second, today)
    with transaction.atomic():
        _write(plan)
    return len(plan.actions)


def _cast() -> _Cast:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["factory.admin", "factory.editor", "verifier"])
    }
    owners = tuple(users[n] for n in ("factory.admin", "factory.editor") if n in users)
    group = owners[0].memberships.values_list("organisation_id", flat=True).first() if owners else None
    return _Cast(library(), owners, users.get("verifier"), group)


def _facility_plan(
    rng: random.Random,
    plan: _Plan,
    cast: _Cast,
    first: tuple[Assessment, Seen],
    second: tuple[Assessment, Seen],
    today: dt.date,
) -> None:
    (a1, e1), (a2, e2) = first, second
    mine = cast.group_id is not None and a1.facility.owner_id == cast.group_id
    buyers = buyers_by_framework(a1.facility)
    found2, answered2 = {f.datapoint for f in e2.findings}, e2.answered
    reopened = set()
    for finding in e1.findings[:3]:
        i = _action(rng, plan, cast, a1, finding, buyers, mine, today)
        persists = finding.datapoint in found2
        _first_year(rng, plan, i, a1, a2, persists, finding.datapoint in answered2, cast, today)
        if plan.actions[i].status == S.OPEN:
            reopened.add(finding.datapoint)
            _second_year(
                rng, plan, i, a2, today, cast, (a2.verified_at or timezone.now()) + dt.timedelta(days=8)
            )
    for finding in [f for f in e2.findings if f.datapoint not in reopened][:4]:
        i = _action(rng, plan, cast, a2, finding, buyers, mine, today)
        _second_year(rng, plan, i, a2, today, cast, plan.created[i])
    if mine:
        _due_soon(plan, a2, today)


def _action(
    rng: random.Random,
    plan: _Plan,
    cast: _Cast,
    a: Assessment,
    finding: Finding,
    buyers: Any,
    mine: bool,
    today: dt.date,
) -> int:
    lib = cast.lib
    dp = lib.datapoints[finding.datapoint]
    category, cause = CAUSES.get(dp.topic, DEFAULT_CAUSE)
    created = (a.verified_at or timezone.now()) + dt.timedelta(days=rng.randint(5, 20))
    options = solutions_for(lib, finding.datapoint)[:3]
    action = Action(
        facility_id=a.facility_id,
        assessment=a,
        title=f"Khắc phục: {dp.label.get('vi')}"[:200],
        root_cause_category=category,
        root_cause=cause,
        owner=rng.choice(cast.owners) if mine and cast.owners else None,
        due_date=_due(rng, created, min(today, timezone.localdate(created) + dt.timedelta(days=300))),
        cost_estimate_vnd=rng.choice([None, 5_000_000, 20_000_000, 80_000_000, 350_000_000]),
        solution_id=rng.choice(options).id if options and rng.random() < 0.7 else "",
        created_by=cast.owners[0] if mine and cast.owners else None,
    )
    plan.actions.append(action)
    plan.created.append(created)
    i = len(plan.actions) - 1
    plan.findings.append((i, [finding_snapshot(action, finding, buyers)]))
    _event(plan, i, created, ActionEvent.Kind.CREATED, action.created_by, to_status=S.OPEN)
    if mine:
        _comments(rng, plan, i, created, cast)
    return i


def _event(plan: _Plan, i: int, at: dt.datetime, kind: str, actor: User | None, **details: Any) -> None:
    plan.events.append((i, ActionEvent(kind=kind, actor=actor, at=at, **details)))


def _move(plan: _Plan, i: int, at: dt.datetime, target: str, actor: User | None, note: str = "") -> None:
    action = plan.actions[i]
    _event(
        plan, i, at, ActionEvent.Kind.STATUS, actor, from_status=action.status, to_status=target, note=note
    )
    action.status = target
    if target == S.DONE:
        action.done_at, action.effective = at, None
        for finding in plan.findings[i][1]:
            finding.persists = None
    if target == S.CANCELLED:
        action.cancel_reason = note


def _finish(rng: random.Random, plan: _Plan, i: int, done: dt.datetime, start: dt.datetime) -> None:
    actor = plan.actions[i].owner
    _move(plan, i, max(start, done - dt.timedelta(days=rng.randint(20, 60))), S.IN_PROGRESS, actor)
    _move(plan, i, done, S.DONE, actor)


def _verify(plan: _Plan, i: int, at: dt.datetime, a: Assessment, cast: _Cast) -> None:
    action = plan.actions[i]
    _move(plan, i, at, S.VERIFIED, cast.verifier)
    action.verified_at, action.verified_by, action.verified_by_org = at, cast.verifier, a.verifier


def _due(rng: random.Random, start: dt.datetime, today: dt.date) -> dt.date:
    """A due date from 45 days after `start` to three months from today."""
    first = timezone.localdate(start) + dt.timedelta(days=45)
    return first + dt.timedelta(days=rng.randint(0, max(30, (today - first).days + 90)))


def _first_year(
    rng: random.Random,
    plan: _Plan,
    i: int,
    a1: Assessment,
    a2: Assessment,
    persists: bool,
    answered: bool,
    cast: _Cast,
    today: dt.date,
) -> None:
    """Mostly finished before the next audit, which then judges whether it worked."""
    action, checked = plan.actions[i], a2.verified_at or timezone.now()
    roll = rng.random()
    if roll < 0.05:
        _move(
            plan,
            i,
            plan.created[i] + dt.timedelta(days=30),
            S.CANCELLED,
            action.owner,
            rng.choice(CANCEL_REASONS),
        )
        return
    _finish(rng, plan, i, checked - dt.timedelta(days=rng.randint(60, 200)), plan.created[i])
    if roll < 0.45:
        _verify(plan, i, checked - dt.timedelta(days=rng.randint(1, 20)), a2, cast)
    outcome = rules.follow_up(action.status, [persists] if answered else [])
    if outcome.kind == "unchanged":
        _adopt(rng, plan, i, 0.5)
        return
    period = f"{a2.period_start.isoformat()} – {a2.period_end.isoformat()}"
    changes = {
        "period": period,
        "assessment": a2.pk,
        "persisting": [f.datapoint for f in plan.findings[i][1]] if persists else [],
    }
    _event(
        plan,
        i,
        checked,
        outcome.kind,
        None,
        from_status=action.status,
        to_status=outcome.status,
        changes=changes,
    )
    action.status, action.effective, action.checked_in = outcome.status, outcome.effective, a2
    for f in plan.findings[i][1]:
        f.persists = persists
    _adopt(rng, plan, i, 0.3 if persists else 0.85)
    if persists:  # the facility gives the reopened action a new date
        old, new = action.due_date, _due(rng, checked, today)
        _event(
            plan,
            i,
            checked + dt.timedelta(days=7),
            ActionEvent.Kind.EDITED,
            action.owner,
            changes={"due_date": [old.isoformat(), new.isoformat()]},
        )
        action.due_date = new


def _second_year(
    rng: random.Random, plan: _Plan, i: int, a2: Assessment, today: dt.date, cast: _Cast, start: dt.datetime
) -> None:
    """At every stage, depending on whether its due date has passed."""
    action, roll = plan.actions[i], rng.random()
    now = timezone.now()
    if action.due_date < today:
        if roll < 0.07:
            _move(
                plan,
                i,
                start + dt.timedelta(days=20),
                S.CANCELLED,
                action.owner,
                rng.choice(CANCEL_REASONS),
            )
        elif roll < 0.7:
            done = min(
                _moment(action.due_date) - dt.timedelta(days=rng.randint(0, 30)), now - dt.timedelta(days=2)
            )
            done = max(done, start + dt.timedelta(days=25))
            _finish(rng, plan, i, done, start)
            if roll < 0.4:
                _verify(plan, i, min(done + dt.timedelta(days=rng.randint(5, 40)), now), a2, cast)
            _adopt(rng, plan, i, 0.6)
        else:  # past due and still being worked on: overdue
            _move(plan, i, start + dt.timedelta(days=15), S.IN_PROGRESS, action.owner)
    elif roll < 0.5:
        _move(plan, i, min(start + dt.timedelta(days=15), now), S.IN_PROGRESS, action.owner)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


def _due_soon(plan: _Plan, a2: Assessment, today: dt.date) -> None:
    """The demo factory's digest has something in it: one pending action due within days."""
    pending = [i for i, a in enumerate(plan.actions) if a.assessment == a2 and a.status in rules.PENDING]
    if pending:
        plan.actions[pending[0]].due_date = today + dt.timedelta(days=6)


def _adopt(rng: random.Random, plan: _Plan, i: int, chance: float) -> None:
    """A finished action with a solution records its adoption; the others did without one."""
    action = plan.actions[i]
    if not action.solution_id or action.done_at is None or i in plan.adopted:
        return
    if rng.random() > chance:
        action.solution_id = ""
        return
    adoption = Adoption(
        facility_id=action.facility_id,
        solution_id=action.solution_id,
        adopted_on=timezone.localdate(action.done_at),
        recorded_by=action.owner,
    )
    plan.adoptions.append((i, adoption))
    plan.adopted.add(i)


def _comments(rng: random.Random, plan: _Plan, i: int, created: dt.datetime, cast: _Cast) -> None:
    author = rng.choice(cast.owners)
    for k in range(rng.randint(0, 2)):
        at = created + dt.timedelta(days=10 + 20 * k)
        plan.comments.append(
            (i, ActionComment(author=author, text=rng.choice(FACTORY_COMMENTS), created_at=at))
        )
    if cast.verifier is not None and rng.random() < 0.3:
        at = created + dt.timedelta(days=70)
        plan.comments.append(
            (i, ActionComment(author=cast.verifier, text=rng.choice(VERIFIER_COMMENTS), created_at=at))
        )


def _write(plan: _Plan) -> None:
    """Bulk inserts, each row with the date of its history (the models' dates are defaults)."""
    for action, created in zip(plan.actions, plan.created, strict=True):
        action.created_at = created
    Action.objects.bulk_create(plan.actions, batch_size=500)
    ActionFinding.objects.bulk_create(_attached(plan, [(i, f) for i, rows in plan.findings for f in rows]))
    ActionEvent.objects.bulk_create(_attached(plan, plan.events), batch_size=1000)
    ActionComment.objects.bulk_create(_attached(plan, plan.comments), batch_size=1000)
    Adoption.objects.bulk_create(_attached(plan, plan.adoptions), batch_size=1000)


def _attached(plan: _Plan, pairs: list[tuple[int, Row]]) -> list[Row]:
    for i, row in pairs:
        row.action = plan.actions[i]
    return [row for _, row in pairs]

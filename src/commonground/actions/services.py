"""Use cases of the action plan: one function each, called by pages, API and commands alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from commonground.accounts.library import library
from commonground.actions.access import PlanAccess, log_read, plan_access
from commonground.actions.errors import ActionRefused, message
from commonground.actions.models import Action, ActionComment, ActionEvent, ActionFinding, Adoption
from commonground.assessments import access as assessment_access
from commonground.assessments import services as assessments
from commonground.assessments.evaluations import LAW
from commonground.core import actions as rules
from commonground.core.engine import Evaluation
from commonground.core.errors import Lang
from commonground.core.findings import Finding
from commonground.core.spreadsheet import Sheet
from commonground.facilities import access as facility_access

EDITABLE: tuple[str, ...] = ("title", "description", "root_cause_category", "root_cause", "owner_id")
EDITABLE += ("due_date", "cost_estimate_vnd", "solution_id")
MAX_COST_VND = 10**15


# ---- reading ----------------------------------------------------------------------------------


def list_actions(facility_id: int, *, user: Any, status: str = "", channel: str = "page") -> list[Action]:
    """The facility's actions the user may see (status "overdue": past due, still to do)."""
    plan = plan_access(facility_id, user)
    rows = Action.objects.filter(facility=plan.facility).select_related("owner")
    if status in Action.Status.values:
        rows = rows.filter(status=status)
    elif status == "overdue":
        rows = rows.filter(status__in=rules.PENDING, due_date__lt=timezone.localdate())
    shown = [a for a in rows.prefetch_related("findings") if _shows(plan, a)]
    log_read(plan, user, "action plan", channel)
    return shown


def plan_sheet(
    facility_id: int, *, user: Any, lang: Lang, status: str = "", channel: str = "export"
) -> Sheet:
    """The action plan as a spreadsheet sheet in `lang` (the page's filter kept): one row per
    action, the due date a date, the cost a number; the read logged like the page's."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    rows = list_actions(facility_id, user=user, status=status, channel=channel)
    lib = library()
    with translation.override(lang):
        header = [_("Title"), _("Status"), _("Due date"), _("Owner"), _("Findings"), _("Root cause")]
        header += [_("cost estimate (VND)"), _("Overdue"), _("Effective"), _("description")]
        yes, no = _("Yes"), _("No")
        out = [
            [
                a.title,
                str(a.get_status_display()),
                a.due_date,
                (a.owner.get_full_name() or a.owner.get_username()) if a.owner else "",
                "; ".join(_finding_label(lib, f.datapoint, lang) for f in a.findings.all()),
                " — ".join(x for x in (str(a.get_root_cause_category_display()), a.root_cause) if x),
                a.cost_estimate_vnd,
                yes if a.overdue else "",
                "" if a.effective is None else (yes if a.effective else no),
                a.description,
            ]
            for a in rows
        ]
        return Sheet(_("Action plan"), header, out)


def _finding_label(lib: Any, datapoint: str, lang: Lang) -> str:
    dp = lib.datapoints.get(datapoint)
    return dp.label.get(lang) if dp else datapoint


def get_action(action_id: int, *, user: Any, channel: str = "page") -> tuple[Action, PlanAccess]:
    """One action and what the user may do with it; a grantee's read is logged."""
    action, plan = load_action(action_id, user)
    log_read(plan, user, f"action {action.pk}: {action.title}", channel)
    return action, plan


def load_action(action_id: int, user: Any) -> tuple[Action, PlanAccess]:
    """The action and the user's access to it, for a use case that checks and then acts (not logged)."""
    action = Action.objects.filter(pk=action_id).select_related("facility", "owner", "assessment").first()
    if action is None:
        raise Http404
    plan = plan_access(action.facility_id, user)
    if not _shows(plan, action):
        raise Http404
    return action, plan


def _shows(plan: PlanAccess, action: Action) -> bool:
    return plan.shows({f.datapoint for f in action.findings.all()})


def overdue_counts(facility_ids: Iterable[int], *, today: dt.date | None = None) -> dict[int, int]:
    """For each facility, how many actions are past due and still to do (for the buyer portfolio;
    the caller has checked what the reader may see)."""
    ids = list(facility_ids)
    rows = (
        Action.objects.filter(
            facility_id__in=ids, status__in=rules.PENDING, due_date__lt=today or timezone.localdate()
        )
        .values("facility_id")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({row["facility_id"]: row["n"] for row in rows})
    return counts


def overdue_visible(visible: dict[int, set[str]], *, today: dt.date | None = None) -> dict[int, int]:
    """For each facility (id -> the data points the reader's grant shows), how many overdue actions
    the reader may see: those whose findings all lie inside what the grant shows, as on the plan."""
    rows = Action.objects.filter(
        facility_id__in=list(visible), status__in=rules.PENDING, due_date__lt=today or timezone.localdate()
    ).prefetch_related("findings")
    counts = dict.fromkeys(visible, 0)
    for action in rows:
        if {f.datapoint for f in action.findings.all()} <= visible[action.facility_id]:
            counts[action.facility_id] += 1
    return counts


def owners_for(facility_id: int) -> list[User]:
    """People who may own an action: members of the facility's organisation."""
    return list(
        User.objects.filter(memberships__organisation__facilities__pk=facility_id)
        .distinct()
        .order_by("username")
    )


# ---- creating and editing -----------------------------------------------------------------------


def create_action(assessment_id: int, datapoints: Iterable[str], *, user: Any, **fields: Any) -> Action:
    """An action addressing one or more findings of an assessment (the findings are copied with the
    frameworks and buyers they concern). `fields`: title, due_date and any of EDITABLE; without a
    due date, the shortest follow-up deadline the findings' frameworks set for their severities."""
    assessment = assessment_access.get_assessment(assessment_id, user, write=True)
    evaluation = assessments.evaluate_assessment(assessment.pk, user=user)
    found = _pick_findings(evaluation, datapoints)
    defaults = {"root_cause_category": Action.RootCause.OTHER}
    if fields.get("due_date") is None:  # the frameworks' follow-up deadline, where they set one
        fields = {**fields, "due_date": rules.follow_up_due(found, library(), timezone.localdate())}
    checked = _checked(assessment.facility_id, {**defaults, **fields}, kept_due=None)
    buyers = assessments.buyers_by_framework(assessment.facility)
    with transaction.atomic():
        action = Action.objects.create(
            facility=assessment.facility, assessment=assessment, created_by=user, **checked
        )
        ActionFinding.objects.bulk_create(finding_snapshot(action, f, buyers) for f in found)
        record_event(action, user, ActionEvent.Kind.CREATED, to_status=action.status)
    return action


def suggested_due(evaluation: Evaluation, datapoints: Iterable[str]) -> dt.date | None:
    """The due date to propose for an action on these findings (the frameworks' follow-up deadline)."""
    by_datapoint = {f.datapoint: f for f in evaluation.findings}
    found = [by_datapoint[dp] for dp in datapoints if dp in by_datapoint]
    return rules.follow_up_due(found, library(), timezone.localdate())


def _pick_findings(evaluation: Evaluation, datapoints: Iterable[str]) -> list[Finding]:
    by_datapoint = {f.datapoint: f for f in evaluation.findings}
    wanted = list(dict.fromkeys(datapoints))
    missing = [dp for dp in wanted if dp not in by_datapoint]
    if not wanted or missing:
        raise ActionRefused({"findings": message("findings")})
    return [by_datapoint[dp] for dp in wanted]


def finding_snapshot(action: Action, finding: Finding, buyers: dict[str, list[str]]) -> ActionFinding:
    """The finding as it was seen, with the frameworks, requirements and buyers it concerns."""
    frameworks = list(finding.frameworks)
    return ActionFinding(
        action=action,
        datapoint=finding.datapoint,
        severity=finding.severity,
        value=assessments.to_json(finding.value),
        frameworks=frameworks,
        requirements=[r.key for r in finding.requirements],
        buyers=sorted({b for fw in frameworks for b in buyers.get(fw, [])}),
        legal=any(fw in LAW for fw in frameworks),
    )


def update_action(action_id: int, *, user: Any, **fields: Any) -> Action:
    """Change any of EDITABLE; the history records each old and new value."""
    action, plan = load_action(action_id, user)
    if not plan.can_edit:
        raise Http404
    if action.status == Action.Status.VERIFIED:
        raise ActionRefused({"status": message("verified_final")})
    editable = {k: v for k, v in fields.items() if k in EDITABLE}
    checked = _checked(action.facility_id, editable, kept_due=action.due_date)
    changes = {
        k: [_shown(getattr(action, k)), _shown(v)] for k, v in checked.items() if getattr(action, k) != v
    }
    if not changes:
        return action
    with transaction.atomic():
        for name, value in checked.items():
            setattr(action, name, value)
        action.save()
        record_event(action, user, ActionEvent.Kind.EDITED, changes=changes)
        if action.status in rules.CLOSED and "solution_id" in changes:
            _adopt(action, user)
    return action


def _past(day: dt.date) -> bool:
    """Before today in Vietnam (a datetime counts by its day)."""
    return (day.date() if isinstance(day, dt.datetime) else day) < timezone.localdate()


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _checked(facility_id: int, fields: dict[str, Any], *, kept_due: dt.date | None) -> dict[str, Any]:
    """The fields, cleaned; ActionRefused naming every field in error. A due date in the past is
    refused, except the one the action already has (`kept_due`): editing other fields keeps it."""
    errors, out = {}, dict(fields)
    if "title" in fields:
        out["title"] = str(fields["title"] or "").strip()[:200]
        if not out["title"]:
            errors["title"] = message("title")
    if "due_date" in fields and not isinstance(fields["due_date"], dt.date):
        errors["due_date"] = message("due_date")
    elif "due_date" in fields and _past(fields["due_date"]) and fields["due_date"] != kept_due:
        errors["due_date"] = message("due_past")
    if "root_cause_category" in fields and fields["root_cause_category"] not in Action.RootCause.values:
        errors["root_cause_category"] = message("root_cause_category")
    if fields.get("owner_id") is not None and fields["owner_id"] not in {
        u.pk for u in owners_for(facility_id)
    }:
        errors["owner_id"] = message("owner")
    cost = fields.get("cost_estimate_vnd")
    if cost is not None and (not isinstance(cost, int) or not 0 <= cost <= MAX_COST_VND):
        errors["cost_estimate_vnd"] = message("cost")
    if fields.get("solution_id") and not solution_exists(fields["solution_id"]):
        errors["solution_id"] = message("solution")
    if errors:
        raise ActionRefused(errors)
    return out


def solution_exists(solution_id: str) -> bool:
    return solution_id in library().solutions


# ---- status, comments ---------------------------------------------------------------------------


def change_status(action_id: int, target: str, *, user: Any, reason: str = "") -> Action:
    """Move the action along its workflow (core.actions says who may do what); the facility never
    confirms its own action: the verifier body or a buyer holding a grant on the plan does."""
    action, plan = load_action(action_id, user)
    role: rules.Role | None = "facility" if plan.can_edit else "closer" if plan.can_close else None
    if role is None:
        raise Http404
    with transaction.atomic():
        action.status = Action.objects.select_for_update().values_list("status", flat=True).get(pk=action.pk)
        try:
            rules.check_transition(action.status, target, role, reason)
        except rules.TransitionRefused as exc:
            raise ActionRefused({"status": message(exc.code)}) from None
        old = action.status
        _apply_status(action, target, reason, user, plan)
        record_event(action, user, ActionEvent.Kind.STATUS, from_status=old, to_status=target, note=reason)
        if target in rules.CLOSED:
            _adopt(action, user)
    return action


def _apply_status(action: Action, target: str, reason: str, user: Any, plan: PlanAccess) -> None:
    action.status = target
    action.cancel_reason = reason.strip() if target == Action.Status.CANCELLED else ""
    if target == Action.Status.DONE:  # finished (again): the next assessment judges it afresh
        action.done_at, action.effective = timezone.now(), None
        action.findings.update(persists=None)
    if target == Action.Status.VERIFIED:
        action.verified_at, action.verified_by, action.verified_by_org = (
            timezone.now(),
            user,
            plan.organisation,
        )
    action.save()


def add_comment(action_id: int, text: str, *, user: Any) -> ActionComment:
    """The facility's editors, the verifier body and a buyer holding a grant write in the thread."""
    action, plan = load_action(action_id, user)
    if not (plan.can_edit or plan.can_close):
        raise Http404
    if not text.strip():
        raise ActionRefused({"text": message("comment")})
    with transaction.atomic():
        comment = ActionComment.objects.create(
            action=action, author=user, organisation=plan.organisation, text=text.strip()
        )
        record_event(action, user, ActionEvent.Kind.COMMENTED)
    return comment


def record_event(action: Action, user: Any, kind: str, **details: Any) -> ActionEvent:
    actor = user if isinstance(user, User) else None
    return ActionEvent.objects.create(action=action, actor=actor, kind=kind, **details)


# ---- adoptions ----------------------------------------------------------------------------------


def record_adoption(
    facility_id: int,
    solution_id: str,
    *,
    user: Any,
    adopted_on: dt.date,
    action_id: int | None = None,
    note: str = "",
) -> Adoption:
    """The facility records that it adopted a solution (directly, or through one of its actions)."""
    facility = facility_access.get_facility(facility_id, user, write=True)
    if not solution_id or not solution_exists(solution_id):
        raise ActionRefused({"solution_id": message("solution")})
    action = None
    if action_id is not None:
        action = Action.objects.filter(pk=action_id, facility=facility).first()
        if action is None:
            raise Http404
    return _record(facility.pk, solution_id, user, adopted_on, action, note)


def _adopt(action: Action, user: Any) -> Adoption | None:
    """An action with a solution that reaches done or verified records the adoption (once)."""
    if not action.solution_id:
        return None
    day = timezone.localdate(action.done_at) if action.done_at else timezone.localdate()
    return _record(action.facility_id, action.solution_id, user, day, action, "")


def _record(
    facility_id: int, solution_id: str, user: Any, adopted_on: dt.date, action: Action | None, note: str
) -> Adoption:
    who = user if isinstance(user, User) else None
    values = {"solution_id": solution_id, "adopted_on": adopted_on, "note": note, "recorded_by": who}
    if action is not None:
        existing = Adoption.objects.filter(action=action).first()
        if existing is not None and existing.solution_id == solution_id:
            return existing
        adoption, _ = Adoption.objects.update_or_create(
            action=action, defaults={"facility_id": facility_id, **values}
        )
        return adoption
    return Adoption.objects.create(facility_id=facility_id, **values)

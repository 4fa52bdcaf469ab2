"""The digest of what is due: per facility, the actions past due and those due in the next 14 days,
shown on a page and emailed (in Vietnamese and English) to the facility's admins and editors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from commonground.accounts.models import Membership
from commonground.actions.access import plan_access
from commonground.actions.models import Action
from commonground.core import actions as rules
from commonground.facilities.models import Facility


@dataclass(frozen=True)
class Digest:
    facility: Facility
    today: dt.date
    overdue: tuple[Action, ...]
    due_soon: tuple[Action, ...]

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon)


def build_digest(facility: Facility, *, today: dt.date | None = None) -> Digest:
    """No access check: for the page (after one) and the command."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=rules.DUE_SOON_DAYS)
    rows = Action.objects.filter(facility=facility, status__in=rules.PENDING, due_date__lte=horizon)
    rows = rows.select_related("owner").order_by("due_date", "id")
    overdue = tuple(a for a in rows if rules.is_overdue(a.status, a.due_date, today))
    soon = tuple(a for a in rows if rules.is_due_soon(a.status, a.due_date, today))
    return Digest(facility, today, overdue, soon)


def get_digest(facility_id: int, *, user: Any, today: dt.date | None = None) -> Digest:
    """The digest page: for the facility's own people (others see the plan, not the reminders)."""
    plan = plan_access(facility_id, user)
    if not plan.is_facility:
        raise Http404
    return build_digest(plan.facility, today=today)


def recipients(facility: Facility) -> list[str]:
    writers = Membership.objects.filter(
        organisation_id=facility.owner_id, role__in=(Membership.Role.ADMIN, Membership.Role.EDITOR)
    )
    users = User.objects.filter(memberships__in=writers, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _site() -> str:
    """Where the links in the email point (SITE_URL when the deployment sets it)."""
    return str(settings.SITE_URL).rstrip("/")


def _render(digest: Digest, lang: str, name: str) -> str:
    with translation.override(lang):
        return render_to_string(f"actions/email/{name}", {"digest": digest, "site": _site()})


def send_digest(digest: Digest) -> bool:
    """One email in both languages (Vietnamese first); nothing when nothing is due or nobody to tell."""
    to = recipients(digest.facility)
    if digest.empty or not to:
        return False
    subject = " / ".join(_render(digest, lang, "digest_subject.txt").strip() for lang in ("vi", "en"))
    body = "\n\n----------\n\n".join(_render(digest, lang, "digest.txt") for lang in ("vi", "en"))
    send_mail(subject, body, None, to)
    return True


def send_digests(
    facility_ids: Iterable[int] | None = None,
    *,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Email each facility with something due; returns how many emails were sent. `progress` is told
    how many facilities are done of how many, every 20 and at the end."""
    facilities = (
        Facility.objects.all() if facility_ids is None else Facility.objects.filter(pk__in=facility_ids)
    )
    pending = Action.objects.filter(status__in=rules.PENDING).values("facility_id")
    chosen = list(facilities.filter(pk__in=pending).order_by("pk"))
    sent = 0
    for done, facility in enumerate(chosen, start=1):
        sent += send_digest(build_digest(facility, today=today))
        if progress is not None and (done % 20 == 0 or done == len(chosen)):
            progress(done, len(chosen))
    return sent


# ---- as a job (docs/decisions/0018): once a day, declared in actions/tasks.py -------------------

PROGRESS = gettext_noop("Facilities looked at: {done} of {total}.")
SENT = gettext_noop("Digest emails sent: {sent}.")


def digest_job(job: Any, *, date: str = "", facility_ids: list[int] | None = None) -> Any:
    """The job kind "action_digest": `send_digests` with its progress on the job's page."""
    from commonground.jobs.services import Result, report

    def progress(done: int, total: int) -> None:
        report(job, done, total, PROGRESS, done=done, total=total)

    today = dt.date.fromisoformat(date) if date else None
    sent = send_digests(facility_ids, today=today, progress=progress)
    return Result(SENT, {"sent": sent})


def enqueue_daily_digest(now: dt.datetime | None = None) -> Any:
    """Today's digest job, from DIGEST_HOUR (local time) on; once a day whoever asks and however
    often (its key is the day). Nothing before that hour."""
    from commonground.jobs.services import enqueue

    local = timezone.localtime(now)
    if local.hour < settings.DIGEST_HOUR:
        return None
    day = local.date().isoformat()
    return enqueue("action_digest", key=f"action_digest:{day}", date=day)

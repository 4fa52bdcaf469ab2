"""Overdue actions, the portfolio's counts, and the digest of what is due (page and email)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.core.management import call_command

from commonground.actions import services
from commonground.actions.digest import build_digest, send_digests
from commonground.assessments.models import Assessment
from commonground.facilities.models import Facility
from tests.actions.conftest import DRILLS, OVERTIME, make_action
from tests.web.conftest import client_for

TODAY = dt.date(2026, 6, 15)


def _plan(cast: dict[str, Any], findings: Assessment) -> dict[str, Any]:
    late = make_action(cast, findings, title="Cap overtime", due_date=TODAY - dt.timedelta(days=3))
    soon = make_action(
        cast, findings, DRILLS, title="Hold a fire drill", due_date=TODAY + dt.timedelta(days=10)
    )
    later = make_action(
        cast, findings, OVERTIME, title="Second shift", due_date=TODAY + dt.timedelta(days=40)
    )
    done = make_action(cast, findings, title="Time cards", due_date=TODAY - dt.timedelta(days=9))
    services.change_status(done.pk, "done", user=cast["alice"])
    return {"late": late, "soon": soon, "later": later, "done": done}


def test_overdue_counts_only_actions_past_due_and_still_to_do(
    cast: dict[str, Any], findings: Assessment
) -> None:
    _plan(cast, findings)
    other = Facility.objects.create(
        owner=cast["facility"].owner, name="Empty", province="Huế", sector="garment"
    )
    assert services.overdue_counts([cast["facility"].pk, other.pk], today=TODAY) == {
        cast["facility"].pk: 1,
        other.pk: 0,
    }


def test_the_digest_lists_overdue_and_due_in_fourteen_days(
    cast: dict[str, Any], findings: Assessment
) -> None:
    plan = _plan(cast, findings)
    digest = build_digest(cast["facility"], today=TODAY)
    assert digest.overdue == (plan["late"],) and digest.due_soon == (plan["soon"],)


def test_the_digest_email_goes_to_admins_and_editors_in_both_languages(
    cast: dict[str, Any], findings: Assessment, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _plan(cast, findings)
    assert send_digests(today=TODAY) == 1
    (email,) = mail.outbox
    assert email.to == ["alice@example.test"]  # bob only views
    assert "Corrective actions due at Song Hong Factory 1" in email.subject
    assert "Hành động khắc phục đến hạn" in email.subject
    assert "Past due (1):" in email.body and "Đã quá hạn (1):" in email.body
    assert "- Cap overtime" in email.body and "- Hold a fire drill" in email.body
    assert "Second shift" not in email.body and "Time cards" not in email.body
    assert f"/actions/{findings.actions.get(title='Cap overtime').pk}/" in email.body


def test_the_command_sends_nothing_when_nothing_is_due(
    cast: dict[str, Any], findings: Assessment, settings: Any, capsys: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_action(cast, findings, due_date=TODAY + dt.timedelta(days=60))
    call_command("send_action_digest", "--date", TODAY.isoformat())
    assert mail.outbox == [] and "0 digest emails sent" in capsys.readouterr().out
    call_command("send_action_digest", "--date", (TODAY + dt.timedelta(days=50)).isoformat())
    assert len(mail.outbox) == 1


def test_the_digest_page_and_the_overdue_flag(cast: dict[str, Any], findings: Assessment) -> None:
    make_action(cast, findings, title="Cap overtime", due_date=dt.date.today() - dt.timedelta(days=1))
    page = client_for("alice", "en").get(f"/facilities/{cast['facility'].pk}/actions/due/").content.decode()
    assert "Past due (1)" in page and "Cap overtime" in page and "Overdue" in page
    plan = client_for("bob", "en").get(f"/facilities/{cast['facility'].pk}/actions/?status=overdue")
    assert "Cap overtime" in plan.content.decode()
    assert client_for("victor").get(f"/facilities/{cast['facility'].pk}/actions/due/").status_code == 404

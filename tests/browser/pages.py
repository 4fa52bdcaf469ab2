"""The main pages of the seeded demo, per role: one shared list for the crawls over every page.

Used by the phone-width test (no page scrolls sideways at 360 px) and the language crawl (no
English in a Vietnamese page and the reverse). The URLs are discovered from the demo data in the
database, so the demo must be seeded first (`seed_demo_for_pages`).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.management import call_command

from commonground.accounts import access
from commonground.accounts.services import organisations_to_manage
from commonground.actions.models import Action
from commonground.assessments.models import Assessment
from commonground.assessments.services import evaluate
from commonground.facilities.demo import PASSWORD
from commonground.sharing.models import Grant

ROLES = ("factory.admin", "factory.viewer", "buyer", "verifier", "authority", "cso")
DEMO_FACILITIES = 16  # enough for every page (each role's data, peer groups); quick to seed


def seed_demo_for_pages() -> None:
    """The demo, seeded as `manage.py seed_demo` does (facilities, actions, improvement, grants)."""
    call_command("seed_demo", facilities=DEMO_FACILITIES, stdout=_Quiet())


def login(username: str) -> tuple[str, str]:
    return username, PASSWORD


def main_pages(username: str) -> list[str]:
    """Every main page `username` uses, as paths (no host), in a stable order."""
    user = User.objects.get(username=username)
    pages = ["/", "/solutions/"]
    if access.facilities_for(user).exists():
        pages += _factory_pages(user)
    kinds = set(access.organisations_of(user).values_list("kind", flat=True))
    if "buyer" in kinds:
        pages += _buyer_pages(user)
    if "verifier_body" in kinds:
        pages += _verifier_pages(user)
    if kinds & {"authority", "cso"}:
        pages += ["/aggregates/", "/public/facilities/"]
    pages += [f"/organisations/{o.pk}/" for o in organisations_to_manage(user).order_by("pk")]
    return list(dict.fromkeys(pages))


def _factory_pages(user: User) -> list[str]:
    facility = access.facilities_for(user).order_by("pk").first()
    assert facility is not None
    f = facility.pk
    pages = [f"/facilities/{f}/", f"/facilities/{f}/sharing/", f"/facilities/{f}/actions/"]
    pages += [f"/facilities/{f}/actions/due/", f"/facilities/{f}/improvement/"]
    pages += [f"/facilities/{f}/trainings/", f"/facilities/{f}/priorities/", f"/facilities/{f}/benchmarks/"]
    if access.facilities_for(user, write=True).filter(pk=f).exists():
        pages += [f"/facilities/{f}/edit", "/facilities/new"]
    for item in Assessment.objects.filter(facility=facility).order_by("-period_end")[:2]:
        pages += _assessment_pages(item)
        if access.facilities_for(user, write=True).filter(pk=f).exists():
            pages.append(f"/assessments/{item.pk}/actions/new")
    action = Action.objects.filter(facility=facility).order_by("pk").first()
    if action is not None:
        pages.append(f"/actions/{action.pk}/")
    solution = next(iter(_solution_ids()), None)
    if solution:
        pages.append(f"/solutions/{solution}/")
    return pages


def _assessment_pages(item: Assessment) -> list[str]:
    a = item.pk
    pages = [f"/assessments/{a}/", f"/assessments/{a}/?left=1", f"/assessments/{a}/results/"]
    pages += [f"/assessments/{a}/history/"]
    pages += [f"/assessments/{a}/results/{fr.framework.id}/" for fr in evaluate(item).frameworks]
    return pages


def _buyer_pages(user: User) -> list[str]:
    pages = ["/suppliers/", "/portfolio/"]
    grant = (
        Grant.objects.filter(grantee__in=access.organisations_of(user), status=Grant.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    if grant is not None:
        pages.append(f"/shared/{grant.facility_id}/")
    return pages


def _verifier_pages(user: User) -> list[str]:
    submitted = (
        Assessment.objects.filter(
            verifier__in=access.organisations_of(user), status=Assessment.Status.SUBMITTED
        )
        .order_by("pk")
        .first()
    )
    if submitted is None:
        return []
    return _assessment_pages(submitted)


def _solution_ids() -> list[str]:
    from commonground.assessments.services import library

    return sorted(library().solutions)


class _Quiet:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

"""Who may read, change or verify an assessment: the facility's own people (facilities.access) and,
for reading and verifying, the verifier body it invited. An object the user may not see is reported
as missing (404), never as forbidden, so that its existence does not leak."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commonground.accounts.access import User, organisations_of
from commonground.accounts.signals import outside_read
from commonground.assessments.models import Assessment
from commonground.facilities import access as facility_access


def get_assessment(
    assessment_id: int, user: User, *, write: bool = False, channel: str = "page", what: str = ""
) -> Assessment:
    """The facility's own people; for reading, also the verifier body it invited — whose reads, as
    those of another organisation, go in the facility's access log (`what` says what was read)."""
    try:
        found = _visible(user, write=write).select_related("facility").get(pk=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404 from None
    if not write:
        _log_outside_read(found, user, channel, what)
    return found


def _visible(user: User, *, write: bool) -> QuerySet[Assessment]:
    own = Assessment.objects.filter(facility__in=facility_access.facilities_for(user, write=write))
    if not write:
        own = own | Assessment.objects.filter(verifier__in=organisations_of(user))
    return own.distinct()


def check_readable(assessment_id: int, user: User) -> None:
    """Http404 unless `user` may read the assessment (get_assessment's rule), and no read logged:
    for starting a job that reads it as `user` (and logs that read), or handing over a file such a
    job made (whose read was logged when it was made)."""
    if (
        user is None
        or not user.is_authenticated
        or not _visible(user, write=False).filter(pk=assessment_id).exists()
    ):
        raise Http404


def _log_outside_read(assessment: Assessment, user: User, channel: str, what: str) -> None:
    """A read by the verifier body: sent as accounts.signals.outside_read, which sharing logs."""
    if assessment.verifier_id is None:
        return
    owner = assessment.facility.owner_id
    mine = {o.pk: o for o in organisations_of(user).filter(pk__in=[owner, assessment.verifier_id])}
    if owner in mine:
        return  # the facility's own people
    verifier = mine[assessment.verifier_id]
    period = f"{assessment.period_start}–{assessment.period_end} v{assessment.version}"
    outside_read.send(
        sender=Assessment,
        facility=assessment.facility,
        user=user,
        organisation=verifier,
        grant=None,
        channel=channel,
        what=f"{what or 'assessment'} {period}",
    )


def get_assessment_to_verify(assessment_id: int, user: User) -> Assessment:
    """Only editors of the verifier body the facility invited may verify."""
    try:
        return Assessment.objects.get(pk=assessment_id, verifier__in=organisations_of(user, write=True))
    except Assessment.DoesNotExist:
        raise Http404 from None

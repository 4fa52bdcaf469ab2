"""Verified assessments' encoded columns are kept in the database between refreshes (decision 0034):
a refresh from kept columns gives exactly the snapshots a refresh from the answers gives — after a
new verification, a reopened assessment, a buyer's new code and a new catalogue — and reads from
the answers only what it must."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from commonground.accounts.models import Membership, Organisation
from commonground.accounts.services import upload_code
from commonground.assessments import columns
from commonground.assessments import verification as verifying
from commonground.assessments.models import Answer, Assessment
from commonground.improvement.sector import SectorRows
from commonground.snapshots import kept_columns, store
from commonground.snapshots.models import KeptColumns, Snapshot
from commonground.web.demo.facilities import PASSWORD, seed_demo

CODE = (Path(__file__).resolve().parents[2] / "docs" / "examples" / "my-brand" / "code.yaml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def demo(db: None, settings: Any) -> None:
    settings.SNAPSHOTS_REFRESH = "job"
    seed_demo(facilities=12)


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the assessments whose answers the refreshes read (the real reading, recorded)."""
    seen: list[int] = []
    real = columns.read_columns

    def recorded(assessments: Sequence[Assessment]) -> Any:
        seen.extend(a.pk for a in assessments)
        return real(assessments)

    monkeypatch.setattr(columns, "read_columns", recorded)
    return seen


def _contents() -> dict[str, Any]:
    """The newest snapshot of every kind, decoded into plain comparable values."""
    out: dict[str, Any] = {}
    for name, kind in store.KINDS.items():
        row = Snapshot.objects.filter(kind=name).order_by("-id").first()
        assert row is not None
        data = kind.decode(bytes(row.data))
        if isinstance(data, SectorRows):
            arrays = {
                "facility_ids": data.facility_ids,
                "years": data.years,
                "sector": data.profile.sector,
                "region": data.profile.region,
                "size": data.profile.size,
                **{f"metric.{m}": v for m, v in data.metrics.items()},
            }
            data = {k: (v.dtype.str, v.shape, v.tobytes()) for k, v in arrays.items()}
        out[name] = (row.rows, data)
    return out


def _from_scratch() -> dict[str, Any]:
    """Every kind refreshed with nothing kept (the answers read again), then the kept columns put back."""
    kept = list(KeptColumns.objects.all())
    KeptColumns.objects.all().delete()
    store.refresh_all()
    contents = _contents()
    KeptColumns.objects.all().delete()
    KeptColumns.objects.bulk_create(kept)
    return contents


def _refreshed() -> dict[str, Any]:
    store.refresh_all()
    return _contents()


def _verified() -> set[int]:
    return set(Assessment.objects.filter(status="verified").values_list("pk", flat=True))


def test_a_refresh_from_kept_columns_reads_only_what_is_not_verified(demo: None, read: list[int]) -> None:
    scratch = _refreshed()
    assert set(read) >= _verified() and KeptColumns.objects.exists()
    read.clear()
    assert _refreshed() == scratch
    assert read and not set(read) & _verified()  # the submitted ones of the panel only
    assert _from_scratch() == scratch


def test_a_new_verification_is_read_once_and_kept(demo: None, read: list[int]) -> None:
    _refreshed()
    assessment = Assessment.objects.filter(status="submitted", verifier__isnull=False).first()
    assert assessment is not None
    victor = User.objects.filter(memberships__organisation=assessment.verifier).first()
    verifying.confirm_answers(assessment.pk, "all", user=victor, method="document_review")
    verifying.complete_verification(assessment.pk, user=victor)
    read.clear()
    after = _refreshed()
    assert assessment.pk in read
    assert after == _from_scratch()
    read.clear()
    assert _refreshed() == after and assessment.pk not in read


def test_a_reopened_assessment_is_read_again(demo: None, read: list[int]) -> None:
    _refreshed()
    reopened = Assessment.objects.filter(status="verified").order_by("-period_end").first()
    assert reopened is not None
    # nothing in the application reopens a verified assessment; the database can (an administrator)
    Assessment.objects.filter(pk=reopened.pk).update(status="returned")
    Answer.objects.filter(assessment=reopened, datapoint="facility.workers_total").update(value=4321)
    read.clear()
    returned = _refreshed()
    assert reopened.pk in read
    assert returned == _from_scratch()
    Assessment.objects.filter(pk=reopened.pk).update(status="verified", verified_at=timezone.now())
    read.clear()
    again = _refreshed()
    assert reopened.pk in read and again == _from_scratch()
    assert again != returned
    kept = [tuple(k) for b in KeptColumns.objects.all() for k in kept_columns._keys(b.keys).tolist()]
    assert len(kept) == len(set(kept))  # the tidy dropped the rows of the first verification
    assert len({pk for pk, _stamp in kept}) == len(kept)


def test_a_library_change_invalidates_what_it_must(demo: None, read: list[int], monkeypatch: Any) -> None:
    before = _refreshed()
    buyer = Organisation.objects.get(name="Lotus Apparel")
    boss = User.objects.create_user("lotus.admin", "boss@example.test", PASSWORD)
    Membership.objects.create(user=boss, organisation=buyer, role=Membership.Role.ADMIN)
    upload_code(buyer.pk, CODE, user=boss)  # a buyer's code: frameworks, not data points
    read.clear()
    coded = _refreshed()
    assert not set(read) & _verified()  # the encoded answers are still good
    assert coded == _from_scratch() == before  # the code has no levels: no metric of it
    blocks = set(KeptColumns.objects.values_list("pk", flat=True))
    monkeypatch.setattr(columns, "FORMAT", "another")  # a new catalogue (or encoding)
    read.clear()
    changed = _refreshed()
    assert set(read) >= _verified()  # every verified assessment read again
    assert changed == coded == _from_scratch()
    assert not blocks & set(KeptColumns.objects.values_list("pk", flat=True))  # the old ones deleted


def test_the_catalogue_version_follows_the_data_points(demo: None) -> None:
    from commonground.accounts.library import library

    lib = library()
    version = columns.catalogue_version(lib)
    dp = next(d for d in lib.datapoints.values() if d.type == "enum")
    changed = type(lib)(**{**lib.__dict__, "datapoints": dict(lib.datapoints)})
    changed.datapoints[dp.id] = dp.model_copy(update={"options": tuple(reversed(dp.options))})
    assert columns.catalogue_version(changed) != version
    assert columns.catalogue_version(lib) == version


def test_small_blocks_are_merged_and_rows_out_of_use_dropped(demo: None) -> None:
    assessments = list(Assessment.objects.filter(status="verified").select_related("facility"))
    assert len(assessments) >= 4
    for a in assessments:  # one block per assessment, as many small refreshes would leave them
        kept_columns.sector_columns([a])
    assert KeptColumns.objects.count() == len(assessments)
    done = kept_columns.tidy()
    assert KeptColumns.objects.count() == 1 and done["blocks rewritten"] == len(assessments)
    whole = kept_columns.sector_columns(assessments)
    expected = columns.read_columns(assessments)
    for dp, column in expected.values.items():
        assert np.array_equal(whole.column(dp), column, equal_nan=column.dtype.kind == "f"), dp

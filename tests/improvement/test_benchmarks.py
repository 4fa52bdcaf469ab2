"""Benchmarks: a percentile among peers of the same sector, region and size band, widened on request,
hidden under k; no peer's name or value is ever shown."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from commonground.improvement import services
from tests.improvement.conftest import client_for, make_peer, own_assessment


def _overtime(found: services.Benchmarks) -> Any:
    assert found.group is not None
    return next(m for m in found.group.metrics if m.metric.id == "overtime_month_max")


def test_the_facility_is_placed_among_its_peers(cast: dict[str, Any]) -> None:
    own_assessment(cast, 30)
    for i, overtime in enumerate((40, 50, 60, 70, 80, 20)):
        make_peer(f"Peer {i}", overtime)
    found = services.get_benchmarks(cast["facility"].pk, user=cast["bob"])
    row = _overtime(found)
    assert found.group is not None and found.group.year == 2024 and found.group.size == 6
    assert row.value == 30
    assert row.position.n == 6
    assert row.position.percentile == pytest.approx(100 * 5 / 6, abs=0.1)  # lower overtime is better
    assert row.position.median == 55
    assert sum(b.count for b in row.bins) == 6


def test_under_k_peers_nothing_about_them_is_shown(cast: dict[str, Any]) -> None:
    own_assessment(cast, 30)
    for i, overtime in enumerate((77, 88, 99)):
        make_peer(f"Peer {i}", overtime)
    found = services.get_benchmarks(cast["facility"].pk, user=cast["alice"])
    assert found.group is not None and found.group.size is None
    assert _overtime(found).position is None and _overtime(found).bins == []
    body = client_for("alice", "en").get(f"/facilities/{cast['facility'].pk}/benchmarks/").content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)  # a token may hold "88"
    body = re.sub(r"/\d+/", "/N/", body)  # so may an id in an address (3377 on PostgreSQL)
    assert "Fewer than 5 similar factories" in body
    assert "Peer 0" not in body and "77" not in body and "88" not in body


def test_widening_the_region_brings_in_peers_of_other_regions(cast: dict[str, Any]) -> None:
    own_assessment(cast, 30)
    for i in range(3):
        make_peer(f"Near {i}", 50)
    for i in range(3):
        make_peer(f"Far {i}", 60, region="3")
    narrow = services.get_benchmarks(cast["facility"].pk, user=cast["bob"])
    wide = services.get_benchmarks(cast["facility"].pk, user=cast["bob"], widen=frozenset({"region"}))
    assert narrow.group is not None and narrow.group.size is None
    assert wide.group is not None and wide.group.size == 6 and _overtime(wide).position.n == 6
    body = (
        client_for("bob", "vi")
        .get(f"/facilities/{cast['facility'].pk}/benchmarks/?widen=region")
        .content.decode()
    )
    assert "6 nhà máy tương tự." in body and "<svg" in body and "Far 0" not in body
    assert "30 giờ" in body  # the unit in the reader's language


def test_only_the_latest_verified_version_of_the_same_year_counts(cast: dict[str, Any]) -> None:
    own_assessment(cast, 30)
    for i in range(5):
        make_peer(f"Peer {i}", 50, years=(2023,))  # another year: not a peer for 2024
    found = services.get_benchmarks(cast["facility"].pk, user=cast["bob"])
    assert found.group is not None and found.group.size is None


def test_a_facility_without_a_verified_assessment_gets_no_benchmark(cast: dict[str, Any]) -> None:
    own_assessment(cast, 30).__class__.objects.update(status="submitted")
    assert services.get_benchmarks(cast["facility"].pk, user=cast["bob"]).group is None
    body = client_for("bob", "en").get(f"/facilities/{cast['facility'].pk}/benchmarks/").content.decode()
    assert "Benchmarks need a verified assessment." in body


def test_an_unknown_dimension_is_refused(cast: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.get_benchmarks(cast["facility"].pk, user=cast["bob"], widen=frozenset({"province"}))


ANALYST_WORDS = {
    "en": ("median", "middle half", "n =", "percentile", "quartile", "peers", "100 = best"),
    "vi": ("trung vị", "nửa ở giữa", "n =", "phân vị", "tứ phân vị", "100 = tốt nhất"),
}


@pytest.mark.parametrize(
    ("lang", "half", "worse", "typical"),
    [
        (
            "en",
            "Half of the 6 similar factories are at or below 55 h; yours is at 30 h.",
            "5 of the 6 similar factories do worse than yours (lower is better).",
            "Half of the similar factories are between 42.5 h and 67.5 h.",
        ),
        (
            "vi",
            "Một nửa trong số 6 nhà máy tương tự ở mức 55 giờ trở xuống; nhà máy của bạn ở mức 30 giờ.",
            "5 trong số 6 nhà máy tương tự kém hơn nhà máy của bạn (càng thấp càng tốt).",
            "Một nửa số nhà máy tương tự ở trong khoảng 42,5 giờ – 67,5 giờ.",
        ),
    ],
)
def test_the_page_says_it_in_words_a_factory_manager_reads(
    cast: dict[str, Any], lang: str, half: str, worse: str, typical: str
) -> None:
    own_assessment(cast, 30)
    for i, overtime in enumerate((40, 50, 60, 70, 80, 20)):
        make_peer(f"Peer {i}", overtime)
    page = client_for("bob", lang).get(f"/facilities/{cast['facility'].pk}/benchmarks/")
    body = html.unescape(re.sub(r"<svg.*?</svg>", "", page.content.decode(), flags=re.S))
    assert page.status_code == 200
    assert half in body and worse in body and typical in body
    text = re.sub(r"<[^>]+>", " ", body.split("<main", 1)[-1]).lower()
    assert not [w for w in ANALYST_WORDS[lang] if w in text]

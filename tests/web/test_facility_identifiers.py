"""The facility form checks the Open Supply Hub ID and the tax code by their check characters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonground.facilities.models import Facility
from tests.web.conftest import PASSWORD

FORM = {
    "name": "Hoan Kiem Atelier",
    "name_vi": "Xưởng Hoàn Kiếm",
    "province": "Thành phố Hà Nội",
    "locality": "phường Hoàn Kiếm",
    "sector": "garment",
    "processes": ["sewing"],
    "workers": "120",
}


@pytest.fixture
def alice(cast: dict[str, Any]) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    return client


def test_valid_identifiers_are_kept_in_their_usual_form(alice: Client, cast: dict[str, Any]) -> None:
    response = alice.post(
        "/facilities/new", {**FORM, "os_id": "vn-2026041-htp7qj", "tax_code": "0314409058 002"}
    )
    assert response.status_code == 302
    created = Facility.objects.get(name="Hoan Kiem Atelier")
    assert (created.os_id, created.tax_code) == ("VN2026041HTP7QJ", "0314409058-002")


def test_identifiers_with_a_wrong_check_character_are_refused_in_the_readers_language(
    alice: Client, cast: dict[str, Any]
) -> None:
    response = alice.post("/facilities/new", {**FORM, "os_id": "VN2026041HTP7QK", "tax_code": "0100233480"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Không phải mã Open Supply Hub" in html and "Không phải mã số thuế" in html
    assert not Facility.objects.filter(name="Hoan Kiem Atelier").exists()


def test_identifiers_may_be_left_empty(alice: Client, cast: dict[str, Any]) -> None:
    response = alice.post("/facilities/new", {**FORM, "os_id": "", "tax_code": " "})
    assert response.status_code == 302
    created = Facility.objects.get(name="Hoan Kiem Atelier")
    assert (created.os_id, created.tax_code) == ("", "")


def test_facility_zero_is_no_facility_not_the_new_facility_form(alice: Client, cast: dict[str, Any]) -> None:
    assert alice.get("/facilities/0/edit").status_code == 404
    assert alice.post("/facilities/0/edit", FORM).status_code == 404
    assert not Facility.objects.filter(name=FORM["name"]).exists()  # nothing created through it
    assert alice.get("/facilities/new").status_code == 200

"""Provinces in the reader's language: one way to name them (core.provinces.label), for every
province in force and every former one."""

from __future__ import annotations

import datetime as dt

import pytest

from commonground.core import provinces, regions

TODAY = dt.date(2026, 1, 1)


def test_every_province_in_force_has_a_name_in_each_language() -> None:
    names = regions.provinces(TODAY)
    assert len(names) == 34
    for recorded in names:
        vi, en = provinces.label(recorded, "vi"), provinces.label(recorded, "en")
        assert vi != recorded, recorded  # known: the decree's "Tỉnh" / "Thành phố" is left out
        assert en.isascii() and not en.startswith(("Tinh ", "Thanh pho ")), en
        assert provinces.now_key(recorded) == regions.province_key(recorded)  # not merged into another


@pytest.mark.parametrize(
    ("recorded", "vi", "en"),
    [
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Ho Chi Minh City"),
        ("TP. HCM", "Hồ Chí Minh", "Ho Chi Minh City"),
        ("Thành phố Hà Nội", "Hà Nội", "Hanoi"),
        ("Thành phố Đà Nẵng", "Đà Nẵng", "Da Nang"),
        ("Tỉnh Thanh Hóa", "Thanh Hóa", "Thanh Hoa"),
        ("Bình Dương", "Bình Dương", "Binh Duong"),  # a former province keeps its own name
        ("Atlantis", "Atlantis", "Atlantis"),  # not a province: as recorded
    ],
)
def test_a_province_as_each_language_names_it(recorded: str, vi: str, en: str) -> None:
    assert (provinces.label(recorded, "vi"), provinces.label(recorded, "en")) == (vi, en)

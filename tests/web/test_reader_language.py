"""Pages speak the reader's language: Django's own messages, dates and library data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client
from django.utils import formats, translation

from commonground.accounts.tokens import create_token
from commonground.assessments.models import Answer, Assessment


def _refusal(field: forms.Field, value: str, lang: str) -> str:
    with translation.override(lang):
        with pytest.raises(ValidationError) as refused:
            field.clean(value)
        return " ".join(refused.value.messages)


def test_django_s_own_messages_read_correctly_in_vietnamese() -> None:
    assert _refusal(forms.IntegerField(), "abc", "vi") == "Hãy nhập một số nguyên."
    assert _refusal(forms.IntegerField(max_value=10), "11", "vi") == "Giá trị này phải nhỏ hơn hoặc bằng 10."
    too_long = _refusal(forms.CharField(max_length=3), "abcd", "vi")
    assert too_long == "Nội dung này chỉ được dài tối đa 3 ký tự (hiện có 4)."
    assert _refusal(forms.IntegerField(), "abc", "en") == "Enter a whole number."


@pytest.mark.parametrize(("lang", "shown"), [("vi", "06/12/2026"), ("en", "6 Dec 2026")])
def test_dates_are_day_first_in_both_languages(lang: str, shown: str) -> None:
    with translation.override(lang):
        assert formats.date_format(dt.date(2026, 12, 6), "SHORT_DATE_FORMAT") == shown
        assert formats.date_format(dt.date(2026, 12, 6), "DATE_FORMAT") == shown


@pytest.mark.parametrize(("lang", "decimal"), [("vi", "87,5"), ("en", "87.5")])
def test_django_s_separators_agree_with_the_language_and_ids_are_never_grouped(
    lang: str, decimal: str
) -> None:
    with translation.override(lang):
        assert formats.localize(87.5) == decimal
        assert Template("{{ n }}").render(Context({"n": 12345})) == "12345"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("vi", "đồng/tháng · Bộ luật Lao động 2019"), ("en", "VND/month · Vietnam Labour Code 2019")],
)
def test_units_and_framework_names_follow_the_page_language(db: None, lang: str, expected: str) -> None:
    template = Template(
        '{% load lang_tags %}{{ "VND/month"|unit_word }} · {{ "vn-labour-code-2019"|framework_name }}'
    )
    with translation.override(lang):
        assert template.render(Context()).startswith(expected)


@pytest.mark.parametrize(
    ("lang", "law"), [("vi", "Bộ luật Lao động 2019, Điều 107"), ("en", "Labour Code 2019, Art. 107")]
)
def test_the_api_gives_citations_in_the_language_asked_for(
    cast: dict[str, Any], assessment: Assessment, lang: str, law: str
) -> None:
    Answer.objects.create(
        assessment=assessment, datapoint="working_time.overtime_hours_month_max", value=48.0
    )
    token = create_token(cast["bob"], name="read")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": lang}
    findings = Client().get(f"/api/assessments/{assessment.pk}/findings", **headers).json()
    overtime = next(f for f in findings if f["datapoint"] == "working_time.overtime_hours_month_max")
    assert any(d["citation"].startswith(law) for d in overtime["details"])


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("vi", "chép từ kỳ 01/01/2024 – 31/12/2024"), ("en", "copied from 1 Jan 2024 – 31 Dec 2024")],
)
def test_reasons_the_system_records_read_in_the_page_language(lang: str, shown: str) -> None:
    template = Template("{% load lang_tags %}{{ reason|change_reason }}|{{ typed|change_reason }}")
    context = Context({"reason": "copied from 2024-01-01 – 2024-12-31", "typed": "sửa theo phiếu lương"})
    with translation.override(lang):
        assert template.render(context) == f"{shown}|sửa theo phiếu lương"

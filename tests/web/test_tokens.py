"""Personal API tokens people can use: the page, the `api_token` command, expiry, and the API's one
error shape for every refusal. Token auth is tested with clients that enforce CSRF checks, as a
browser-less program meets them."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from commonground.accounts.models import ApiToken
from commonground.accounts.tokens import create_token
from commonground.assessments.models import Assessment

ANSWER = "/api/assessments/{a}/answers/working_time.overtime_hours_month_max"


def bearer(token: str, lang: str = "en") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": lang}


def csrf_client(user: Any, lang: str = "en") -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def post_form(client: Client, url: str, data: dict[str, str]) -> Any:
    """A form post as a browser sends it: with the CSRF token of the page it came from."""
    client.get("/account/tokens/")
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def put_answer(token: str, assessment: Assessment, lang: str = "en") -> Any:
    body = json.dumps({"value": 2640, "unit": "min"})
    client = Client(enforce_csrf_checks=True)
    url = ANSWER.format(a=assessment.pk)
    return client.put(url, body, content_type="application/json", **bearer(token, lang))


def test_a_read_only_token_refuses_a_write_with_the_apis_json_error(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    read = create_token(cast["alice"], name="reporting")
    for lang, text in (("en", "read-only"), ("vi", "chỉ đọc")):
        refused = put_answer(read, assessment, lang)
        assert refused.status_code == 403, refused.content
        assert refused.json()["code"] == "read_only" and text in refused.json()["message"]
    write = create_token(cast["alice"], name="sync", can_write=True)
    assert put_answer(write, assessment).status_code == 200


def test_an_expired_or_revoked_token_is_refused_like_an_unknown_one(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    token = create_token(cast["alice"], name="short", can_write=True, expires_days=1)
    assert put_answer(token, assessment).status_code == 200
    ApiToken.objects.filter(name="short").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for response in (
        put_answer(token, assessment),
        Client(enforce_csrf_checks=True).get("/api/facilities", **bearer(token)),
        Client(enforce_csrf_checks=True).get("/api/facilities", **bearer("cg_nonsense")),
    ):
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_the_command_creates_lists_and_revokes(cast: dict[str, Any], assessment: Assessment) -> None:
    out = io.StringIO()
    call_command("api_token", "create", "alice", "--name", "sync", "--write", "--expires", "30", stdout=out)
    token = out.getvalue().strip()
    assert out.getvalue() == token + "\n" and token.startswith("cg_")  # the token alone, on its own line
    out = io.StringIO()
    call_command("api_token", "create", "alice", stdout=out)
    read = out.getvalue().strip()
    assert put_answer(read, assessment).status_code == 403  # read-only unless --write
    assert put_answer(token, assessment).status_code == 200
    listing = io.StringIO()
    call_command("api_token", "list", "alice", stdout=listing)
    lines = listing.getvalue().splitlines()
    row = next(line for line in lines if "\tsync\t" in line)
    assert "read-write" in row and row.split("\t")[4] != "-"  # last use is shown
    assert token not in listing.getvalue()
    token_id = row.split("\t")[0]
    call_command("api_token", "revoke", token_id, stdout=io.StringIO())
    assert put_answer(token, assessment).status_code == 401
    for args in (("revoke", token_id), ("list", "nobody"), ("create", "alice", "--expires", "-3")):
        with pytest.raises(CommandError):
            call_command("api_token", *args, stdout=io.StringIO())


def test_the_page_creates_shows_once_lists_and_revokes(cast: dict[str, Any], assessment: Assessment) -> None:
    client = csrf_client(cast["alice"], "vi")
    created = post_form(client, "/account/tokens/", {"name": "đồng bộ", "access": "write", "expires": "7"})
    assert created.status_code == 200
    token = created.context["new_token"]
    assert token in created.content.decode() and "chỉ hiển thị một lần" in created.content.decode()
    assert put_answer(token, assessment).status_code == 200
    listed = client.get("/account/tokens/").content.decode()
    assert token not in listed and "đồng bộ" in listed and "Đọc và ghi" in listed
    token_id = ApiToken.objects.get(name="đồng bộ").pk
    revoked = post_form(client, f"/account/tokens/{token_id}/revoke", {})
    assert revoked.status_code == 302
    assert put_answer(token, assessment).status_code == 401
    after = client.get("/account/tokens/").content.decode()
    assert "Mã “đồng bộ” đã bị thu hồi." in after  # said once, then gone from the list
    assert "đồng bộ" not in client.get("/account/tokens/").content.decode()
    english = csrf_client(cast["alice"], "en")
    english.cookies["django_language"] = "en"
    read = post_form(english, "/account/tokens/", {"name": "reporting", "expires": ""})
    assert "shown only this once" in read.content.decode() and "Read only" in read.content.decode()
    assert ApiToken.objects.get(name="reporting").expires_at is None


def test_another_persons_token_cannot_be_listed_or_revoked(cast: dict[str, Any]) -> None:
    create_token(cast["alice"], name="alices-secret-sync", can_write=True)
    theirs = ApiToken.objects.get(name="alices-secret-sync")
    charlie = csrf_client(cast["charlie"])
    assert "alices-secret-sync" not in charlie.get("/account/tokens/").content.decode()
    assert post_form(charlie, f"/account/tokens/{theirs.pk}/revoke", {}).status_code == 404
    assert post_form(charlie, "/account/tokens/99999999/revoke", {}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert Client().get("/account/tokens/").status_code == 302  # signed out: to the log-in page


HOSTILE = [
    {"name": "x" * 101},
    {"name": "a\x00b"},
    {"name": "pay\u202eroll"},
    {"name": "zero\u200bwidth"},
    {"name": "   "},
    {"name": "ok", "expires": "-5"},
    {"name": "ok", "expires": "0"},
    {"name": "ok", "expires": "9" * 400},
    {"name": "ok", "expires": "1e400"},
    {"name": "ok", "expires": "3651"},
    {"name": "ok", "expires": "seven"},
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_input_on_the_form_gets_a_message_not_a_server_error(
    cast: dict[str, Any], data: dict[str, str]
) -> None:
    client = csrf_client(cast["alice"], "vi")
    response = post_form(client, "/account/tokens/", data)
    if "\x00" in data["name"]:  # refused for every form before any view runs
        assert response.status_code == 400 and "Yêu cầu bị từ chối" in response.content.decode()
    else:
        assert response.status_code == 200 and response.context["new_token"] is None
        assert 'role="alert"' in response.content.decode()
    assert not ApiToken.objects.filter(user=cast["alice"]).exists()


def test_every_api_error_has_the_one_json_shape(
    cast: dict[str, Any], assessment: Assessment, settings: Any, monkeypatch: Any
) -> None:
    token = create_token(cast["alice"], name="sync", can_write=True)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    url = ANSWER.format(a=assessment.pk)
    big = json.dumps({"value": 1, "note": "x" * 2000})
    too_large = client.put(url, big, content_type="application/json", **bearer(token, "vi"))
    assert too_large.status_code == 413 and too_large.json()["code"] == "too_large"
    assert too_large.json()["message"] == "nội dung yêu cầu quá lớn"

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a fault")

    monkeypatch.setattr("commonground.facilities.access.facilities_for", broken)
    settings.DEBUG = False
    failed = client.get("/api/facilities", **bearer(token, "en"))
    assert failed.status_code == 500 and failed["Content-Type"].startswith("application/json")
    assert failed.json() == {
        "code": "server_error",
        "message": "something went wrong on the server; the error is logged",
    }


def test_a_request_django_refuses_to_read_is_the_usual_json_error(
    cast: dict[str, Any], assessment: Assessment, settings: Any
) -> None:
    token = create_token(cast["alice"], name="sync", can_write=True)
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    fields = {f"f{i}": "x" for i in range(5)}
    response = Client(enforce_csrf_checks=True).post(
        f"/api/assessments/{assessment.pk}/evidence", fields, **bearer(token, "vi")
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert response.json()["message"].startswith("yêu cầu không hợp lệ")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = Client(enforce_csrf_checks=True).post(
        f"/api/assessments/{assessment.pk}/evidence", {"datapoint": "x" * 5000}, **bearer(token, "en")
    )
    assert big.status_code == 413 and big.json()["code"] == "too_large"

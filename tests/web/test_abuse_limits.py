"""Abuse limits and grant requests (issue 12, point 8; decision 0022): password-reset mails and
access requests are counted in the shared cache, a request for many suppliers counting once; only
buyers ask for access, and only of their own suppliers, the answer never telling whether some other
facility exists; a facility never shares with a factory group."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from commonground.accounts.models import Membership, Organisation
from commonground.accounts.tokens import create_token
from commonground.facilities.models import Facility
from commonground.sharing.models import Grant
from tests.web.conftest import client_for, member

RESET = "/accounts/password-reset/"
TOO_MANY_RESETS = {
    "en": "Too many password-reset requests for this address or from this network: try again after",
    "vi": "Có quá nhiều yêu cầu đặt lại mật khẩu cho địa chỉ này hoặc từ mạng này: hãy thử lại sau",
}
TOO_MANY_REQUESTS = {
    "en": "Your organisation has sent too many access requests for now: try again after",
    "vi": "Tổ chức của bạn đã gửi quá nhiều yêu cầu truy cập trong lúc này: hãy thử lại sau",
}


@pytest.fixture(autouse=True)
def _empty_cache(db: None) -> Iterator[None]:
    """Each test counts from zero (the cache is a table, outside the test's rolled-back rows on
    some backends)."""
    cache.clear()
    yield
    cache.clear()


def _csrf_free(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# ---- the cache itself ----------------------------------------------------------------------------------


def test_the_counts_live_in_the_shared_cache_never_in_process_memory(db: None) -> None:
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    assert isinstance(cache, (DatabaseCache, RedisCache))  # decision 0019: one cache for every process
    if isinstance(cache, DatabaseCache):
        assert django_settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


# ---- password reset ------------------------------------------------------------------------------------


def _reset(email: str, lang: str = "en", ip: str = "127.0.0.1") -> Any:
    return Client(HTTP_ACCEPT_LANGUAGE=lang, REMOTE_ADDR=ip).post(RESET, {"email": email})


def test_five_mails_an_hour_to_one_address_then_a_clear_refusal(cast: dict[str, Any]) -> None:
    for _ in range(5):
        assert _reset("alice@example.test").status_code == 302
    assert len(mail.outbox) == 5
    for lang in ("en", "vi"):
        refused = _reset("Alice@Example.test", lang)  # the same address, however written
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 3600
        assert TOO_MANY_RESETS[lang] in refused.content.decode()
    assert len(mail.outbox) == 5


def test_the_page_says_the_same_whether_or_not_the_address_has_an_account(cast: dict[str, Any]) -> None:
    known = [_reset("alice@example.test") for _ in range(6)]
    unknown = [_reset("nobody@example.test") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [302] * 5 + [429]
    assert {r["Location"] for r in known[:5]} == {r["Location"] for r in unknown[:5]}
    assert _csrf_free(known[5].content.decode()) == _csrf_free(unknown[5].content.decode()).replace(
        "nobody@example.test", "alice@example.test"
    )
    assert len(mail.outbox) == 5  # only the account's own address gets mail


def test_one_network_asks_at_most_twenty_an_hour(cast: dict[str, Any]) -> None:
    for i in range(20):
        assert _reset(f"person{i}@example.test").status_code == 302
    assert _reset("alice@example.test").status_code == 429
    assert _reset("alice@example.test", ip="10.0.0.2").status_code == 302  # another network
    assert len(mail.outbox) == 1


def test_a_bad_address_is_still_refused_as_before_and_not_counted(cast: dict[str, Any]) -> None:
    for _ in range(8):
        page = _reset("not-an-address")
        assert page.status_code == 200 and "Enter a valid email address." in page.content.decode()
    assert _reset("alice@example.test").status_code == 302


# ---- grant requests ------------------------------------------------------------------------------------


@pytest.fixture
def sourcing(cast: dict[str, Any]) -> dict[str, Any]:
    """Bao edits for the buyer (a supplier: Song Hong Factory 1); Other Group has a facility of its own."""
    bao = member("bao", cast["buyer"], Membership.Role.EDITOR)
    other = Facility.objects.create(
        owner=Organisation.objects.get(name="Other Group"),
        name="Other Factory",
        province="Thành phố Hà Nội",
        sector=Facility.Sector.GARMENT,
        minimum_wage_region="1",
        workers=300,
    )
    return {**cast, "bao": bao, "other": other}


def _until() -> str:
    return (timezone.now() + dt.timedelta(days=60)).isoformat()


def _terms(**more: Any) -> dict[str, Any]:
    return {"scope": "both", "content": "results", "purpose": "due diligence", "expires_at": _until(), **more}


def _api(user: Any, url: str, body: dict[str, Any], lang: str = "en") -> Any:
    token = create_token(user, name="sourcing", can_write=True)
    return Client().post(
        f"/api{url}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def _ask_page(client: Client, ids: list[int]) -> Any:
    until = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    form = {"facility": ids, "scope": "both", "content": "results", "purpose": "dd", "expires": until}
    return client.post("/suppliers/ask", form, follow=True)


def test_a_request_for_many_suppliers_counts_once(sourcing: dict[str, Any], settings: Any) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "grant_requests": (3, 3600)}
    bao, mine = sourcing["bao"], sourcing["facility"].pk
    many = [mine, *range(10**6, 10**6 + 400)]  # 401 suppliers asked at once: one action
    first = _api(bao, "/grant-requests", {"facility_ids": many, **_terms()})
    assert first.status_code == 200 and len(first.json()["sent"]) == 1
    assert _api(bao, "/grant-requests", {"facility_ids": many, **_terms()}).status_code == 200
    page = _ask_page(client_for("bao", "vi"), many)
    assert page.status_code == 200 and TOO_MANY_REQUESTS["vi"] not in page.content.decode()
    refused = _api(bao, "/grant-requests", {"facility_ids": many, **_terms()}, "vi")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    body = refused.json()
    assert body["code"] == "throttled" and body["message"].startswith(TOO_MANY_REQUESTS["vi"])
    page = _ask_page(client_for("bao", "en"), many)
    assert TOO_MANY_REQUESTS["en"] in page.content.decode()
    single = _api(bao, f"/facilities/{mine}/grant-requests", {"grantee_id": sourcing["buyer"].pk, **_terms()})
    assert single.status_code == 429 and single.json()["code"] == "throttled"
    assert Grant.objects.count() == 1


def test_the_limit_is_the_organisations_not_each_persons(sourcing: dict[str, Any], settings: Any) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "grant_requests": (2, 3600)}
    lan = member("lan", sourcing["buyer"], Membership.Role.ADMIN)
    body = {"facility_ids": [sourcing["facility"].pk], **_terms()}
    assert _api(sourcing["bao"], "/grant-requests", body).status_code == 200
    assert _api(lan, "/grant-requests", body).status_code == 200
    assert _api(lan, "/grant-requests", body).status_code == 429


@pytest.mark.parametrize("username", ["alice", "victor", "charlie"])
def test_only_a_buyer_asks_for_access(sourcing: dict[str, Any], username: str) -> None:
    """A factory group (naming itself as grantee too), a verifier body: 403 with the reason."""
    user = sourcing[username]
    own = user.memberships.get().organisation
    f = sourcing["facility"].pk
    single = _api(user, f"/facilities/{f}/grant-requests", {"grantee_id": own.pk, **_terms()}, "vi")
    assert single.status_code == 403
    assert single.json() == {
        "code": "not_a_buyer",
        "message": "Chỉ nhãn hàng mới được đề nghị nhà cung cấp cho truy cập, qua người quản trị hoặc biên tập của mình.",
    }
    bulk = _api(user, "/grant-requests", {"facility_ids": [f], **_terms()})
    assert bulk.status_code == 403 and bulk.json()["code"] == "not_a_buyer"
    assert "Only a buyer organisation asks suppliers for access" in bulk.json()["message"]
    page = _ask_page(client_for(username, "en"), [f])
    assert page.status_code == 403 and "Only a buyer organisation asks suppliers" in page.content.decode()
    assert not Grant.objects.exists()


def test_a_facility_that_does_not_exist_is_answered_like_one_that_is_not_a_supplier(
    sourcing: dict[str, Any],
) -> None:
    """The single request answers 201 for the buyer's own suppliers only; any other id, whether a
    facility has it or not, gets the very same 404, again and again (nothing is stored, no 409)."""
    bao, buyer = sourcing["bao"], sourcing["buyer"].pk
    answers = []
    for facility_id in (sourcing["other"].pk, 999_999, sourcing["other"].pk, 999_999, 2**70):
        asked = _api(bao, f"/facilities/{facility_id}/grant-requests", {"grantee_id": buyer, **_terms()})
        answers.append((asked.status_code, asked.json(), sorted(asked.headers.items())))
    assert answers[0][:2] == (404, {"code": "not_found", "message": "not found"})
    assert all(a == answers[0] for a in answers)
    assert not Grant.objects.exists()
    mine = _api(
        bao, f"/facilities/{sourcing['facility'].pk}/grant-requests", {"grantee_id": buyer, **_terms()}
    )
    assert mine.status_code == 201 and mine.json()["status"] == "requested"


def test_a_facility_never_shares_with_a_factory_group(sourcing: dict[str, Any]) -> None:
    f, own = sourcing["facility"], sourcing["facility"].owner
    alice = sourcing["alice"]
    for grantee in (own, Organisation.objects.get(name="Other Group")):
        given = _api(alice, f"/facilities/{f.pk}/grants", {"grantee_id": grantee.pk, **_terms()}, "vi")
        assert given.status_code == 422 and given.json()["code"] == "invalid"
        assert "không bao giờ với một nhóm nhà máy, kể cả nhóm của chính cơ sở" in given.json()["message"]
        until = (dt.date.today() + dt.timedelta(days=60)).isoformat()
        form = {
            "grantee": grantee.pk,
            "scope": "both",
            "content": "results",
            "purpose": "x",
            "expires": until,
        }
        page = client_for("alice", "en").post(f"/facilities/{f.pk}/sharing/give", form, follow=True)
        assert "never with a factory group, the facility&#x27;s own included" in page.content.decode()
    assert not Grant.objects.exists()

"""A schema-driven fuzz run of the API (schemathesis) against the real application: no server error,
whatever a client sends, for an insider, an outsider and the invited verifier."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from commonground.accounts.tokens import create_token
from commonground.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def tokens(cast: dict[str, Any], assessment: Any) -> dict[str, str]:
    return {
        "alice": create_token(cast["alice"], name="fuzz", can_write=True),
        "charlie": create_token(cast["charlie"], name="fuzz", can_write=True),
        "victor": create_token(cast["victor"], name="fuzz", can_write=True),  # the verifier's routes
    }


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case: Any, tokens: dict[str, str]) -> None:
    for token in tokens.values():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, (
            case.method,
            case.formatted_path,
            response.status_code,
            response.text[:300],
        )

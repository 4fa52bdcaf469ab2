"""A `seed_demo` killed half-way leaves nothing (one transaction), so `--if-empty` or a plain run
seeds the whole demo; a demo missing parts is repaired with `--reset`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from commonground.actions.models import Action
from commonground.facilities.models import Facility
from commonground.sharing.models import Grant
from commonground.web.management.commands import seed_demo as command


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--facilities", "4", *args, stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, int, int, int]:
    return Facility.objects.count(), User.objects.count(), Action.objects.count(), Grant.objects.count()


def test_a_run_killed_before_its_last_part_leaves_nothing_and_is_seeded_again(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(**_: Any) -> Any:
        raise KeyboardInterrupt  # as a kill between the demo's parts

    monkeypatch.setattr(command, "seed_demo_grants", killed)
    with pytest.raises(KeyboardInterrupt):
        _seed()
    assert _counts() == (0, 0, 0, 0)
    monkeypatch.undo()
    assert "Seeded in" in _seed("--if-empty")
    facilities, users, actions, grants = _counts()
    assert facilities == 4 and users > 0 and actions > 0 and grants > 0


@pytest.mark.django_db(transaction=True)  # as the command runs: flush outside any test transaction
def test_a_half_seeded_demo_is_repaired_with_reset() -> None:
    _seed()
    whole = _counts()
    Grant.objects.all().delete()  # a demo that lost its last part
    Facility.objects.filter(pk=Facility.objects.order_by("pk").last().pk).delete()  # type: ignore[union-attr]
    assert _counts() != whole
    assert "no demo data seeded" in _seed("--if-empty")
    with pytest.raises(CommandError, match="--reset"):
        _seed()
    assert "Seeded in" in _seed("--reset")
    assert _counts() == whole
    assert "Seeded in" in _seed("--reset")  # and again: the same demo
    assert _counts() == whole

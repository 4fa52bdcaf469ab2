"""Safe aggregates: no group under k is published, and no subtraction of published figures reveals one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.disclosure import Cell, safe_table


def _rows(spec: dict[tuple[str, str], int]) -> list[tuple[tuple[str, str], dict[str, float]]]:
    rows = []
    for (province, sector), n in spec.items():
        rows += [((province, sector), {"overtime_breach": float(i % 2)}) for i in range(n)]
    return rows


def _by_key(cells: list[Cell]) -> dict[tuple[object, ...], Cell]:
    return {c.key: c for c in cells}


def test_small_groups_are_suppressed_and_large_ones_published() -> None:
    cells = _by_key(
        safe_table(_rows({("HCM", "garment"): 12, ("HCM", "footwear"): 7, ("HN", "garment"): 6}), 2)
    )
    assert cells[("HCM", "garment")].published and cells[("HCM", "garment")].values == {
        "overtime_breach": 0.5
    }
    assert cells[(None, None)].facilities == 25 and cells[(None, None)].published


def test_a_single_small_cell_forces_a_second_suppression() -> None:
    # HCM footwear has 2 facilities: suppressed. HCM (all sectors) = 12 + 7 + 2 is published, so
    # HCM minus garment minus leather would give footwear: one more HCM cell must be suppressed.
    cells = _by_key(
        safe_table(_rows({("HCM", "garment"): 12, ("HCM", "leather"): 7, ("HCM", "footwear"): 2}), 2)
    )
    assert not cells[("HCM", "footwear")].published
    assert not cells[("HCM", "leather")].published  # the smaller published sibling
    assert cells[("HCM", "garment")].published and cells[("HCM", None)].published
    assert cells[("HCM", "footwear")].values == {}
    assert cells[("HCM", "footwear")].public() == {
        "key": ["HCM", "footwear"],
        "facilities": None,
        "values": None,
    }
    assert cells[("HCM", "garment")].public()["facilities"] == 12


def test_k_below_two_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError):
        safe_table([], 2, k=1)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from("ABCD"), st.sampled_from("xyz")), st.integers(1, 12), min_size=1
    ),
    st.integers(2, 6),
)
def test_no_margin_minus_its_published_parts_leaves_a_group_under_k(
    spec: dict[tuple[str, str], int], k: int
) -> None:
    cells = _by_key(safe_table(_rows(spec), 2, k=k))
    for key, cell in cells.items():
        if cell.published:
            assert cell.facilities >= k
        if not cell.published or None not in key:
            continue
        for position in (i for i, v in enumerate(key) if v is None):
            parts = [
                c
                for c in cells.values()
                if c.key[position] is not None and all(c.key[i] == key[i] for i in range(2) if i != position)
            ]
            hidden = sum(c.facilities for c in parts if not c.published)
            assert hidden == 0 or hidden >= k, (key, position, hidden)

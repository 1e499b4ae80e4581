"""Small numbers: suppression, rounding, percentages from rounded figures and
secondary suppression across rows, columns and totals. Table-driven, plus a
property test that no hidden cell can be worked out from what is shown."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.reporting.disclosure import (
    REPORTING_FILE,
    Rules,
    load_rules,
    percent,
    protect,
    protect_column,
    round_count,
)
from crm.settings import ConfigError

RULES = Rules()
H = None  # hidden


@pytest.mark.parametrize(("n", "shown"), [
    (0, 0), (1, H), (4, H), (7, H), (8, 10), (10, 10), (12, 10), (13, 15), (22, 20),
    (23, 25), (1002, 1000), (1003, 1005),
])
def test_one_count_is_hidden_or_rounded_to_5(n: int, shown: int | None) -> None:
    assert round_count(n, RULES) == shown


@pytest.mark.parametrize(("counts", "cells", "total"), [
    # Nothing small: rounded only.
    ([100, 200], [100, 200], 300),
    # One small cell: the next smallest shown cell is hidden too, so the
    # small one cannot be worked out from the total.
    ([120, 3, 40, 0, 55], [120, H, H, 0, 55], 220),
    # Two small cells protect each other.
    ([50, 2, 6, 80], [50, H, H, 80], 140),
    # A positive count is hidden before a zero.
    ([0, 5, 30, 0], [0, H, H, 0], 35),
    # Everything small: the total is small too.
    ([3, 4], [H, H], H),
    # A lone small cell and only zeros besides: the total goes.
    ([5, 0, 0], [H, 0, 0], H),
    ([], [], 0),
])
def test_a_one_dimensional_table(counts: list[int], cells: list[int | None],
                                 total: int | None) -> None:
    assert protect_column(counts, RULES) == (cells, total)


def test_a_two_dimensional_table_is_protected_across_rows_and_columns() -> None:
    result = protect([[10, 3, 20], [15, 30, 12]], RULES)
    assert result.cells == [[H, H, 20], [H, H, 10]]
    assert result.row_totals == [35, 55]
    assert result.column_totals == [25, 35, 30]
    assert result.total == 90


def test_a_small_row_total_is_protected_against_the_grand_total() -> None:
    # Row 1 totals 6: hidden; so another row total must go, and with it a
    # cell in that row, and so on until nothing can be subtracted out.
    result = protect([[40, 50], [2, 4], [30, 25]], RULES)
    assert result.row_totals[1] is H
    assert sum(t is H for t in result.row_totals) >= 2
    assert_nothing_recoverable([[40, 50], [2, 4], [30, 25]], result)


@pytest.mark.parametrize(("part", "whole", "share"), [
    (10, 40, 25.0), (H, 40, None), (10, H, None), (0, 0, None), (5, 15, 33.3),
])
def test_percentages_come_from_the_rounded_figures(part: int | None, whole: int | None,
                                                   share: float | None) -> None:
    assert percent(part, whole) == share


def test_percentages_of_a_table_use_its_rounded_totals() -> None:
    result = protect([[12, 13]], RULES)  # rounded to 10 and 15, total 25
    assert result.cells == [[10, 15]] and result.row_totals == [25]
    assert result.row_percents() == [[40.0, 60.0]]


def assert_nothing_recoverable(counts: list[list[int]], result) -> None:  # type: ignore[no-untyped-def]
    """No line (row, column, totals) has exactly one hidden item."""
    n_rows, n_cols = len(counts), len(counts[0])
    lines = [[result.cells[i][j] for j in range(n_cols)] + [result.row_totals[i]]
             for i in range(n_rows)]
    lines += [[result.cells[i][j] for i in range(n_rows)] + [result.column_totals[j]]
              for j in range(n_cols)]
    lines += [[*result.row_totals, result.total], [*result.column_totals, result.total]]
    for line in lines:
        assert sum(v is H for v in line) != 1, line
    for i, j in itertools.product(range(n_rows), range(n_cols)):
        n = counts[i][j]
        if 1 <= n <= 7:
            assert result.cells[i][j] is H


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda cols: st.lists(
    st.lists(st.integers(0, 40), min_size=cols, max_size=cols), min_size=1, max_size=4)))
def test_no_hidden_figure_can_be_worked_out(counts: list[list[int]]) -> None:
    assert_nothing_recoverable(counts, protect(counts, RULES))


def test_the_shipped_rules_are_the_nhs_ones() -> None:
    assert load_rules() == Rules(suppress_from=1, suppress_to=7, round_to=5,
                                 under_represented_below=0.8)


def test_bad_rules_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "reporting.toml"
    bad.write_text(REPORTING_FILE.read_text().replace("round_to = 5", "round_to = 0"))
    with pytest.raises(ConfigError, match="round_to"):
        load_rules(bad)

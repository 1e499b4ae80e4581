"""Disclosure control for counts below national level: pure functions, no
database, no Flask.

- A count from ``suppress_from`` to ``suppress_to`` (1 to 7) is hidden.
- Every other count is rounded to the nearest ``round_to`` (5); zero stays 0.
- Percentages are worked out from the rounded figures, never the true ones.
- Secondary suppression: where a hidden cell could be worked out from the
  others in its line and the line's total (a row, a column, or a table and
  its total), the smallest other shown cell in that line is hidden too,
  until no line has exactly one hidden cell. A hidden total hides its line.

The input is a grid of true counts with its totals; the output says for
each cell either its rounded value or that it is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crm.settings import CONFIG_DIR, ConfigError, read_toml

REPORTING_FILE = CONFIG_DIR / "reporting.toml"
HIDDEN = None


@dataclass(frozen=True)
class Rules:
    suppress_from: int = 1
    suppress_to: int = 7
    round_to: int = 5
    under_represented_below: float = 0.8


def load_rules(path: Path = REPORTING_FILE) -> Rules:
    raw = read_toml(path)
    d, r = raw.get("disclosure") or {}, raw.get("representation") or {}
    try:
        rules = Rules(suppress_from=int(d["suppress_from"]), suppress_to=int(d["suppress_to"]),
                      round_to=int(d["round_to"]),
                      under_represented_below=float(r["under_represented_below"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: missing or bad key {exc}") from None
    if not 1 <= rules.suppress_from <= rules.suppress_to or rules.round_to < 1 \
            or not 0 < rules.under_represented_below <= 1:
        raise ConfigError(f"{path}: [disclosure] needs 1 <= suppress_from <= suppress_to, "
                          "round_to of 1 or more, and 0 < under_represented_below <= 1")
    return rules


def round_count(n: int, rules: Rules) -> int | None:
    """One count on its own: hidden if small, else rounded (half up)."""
    if rules.suppress_from <= n <= rules.suppress_to:
        return HIDDEN
    return ((n + rules.round_to // 2) // rules.round_to) * rules.round_to if n else 0


def percent(part: int | None, whole: int | None) -> float | None:
    """A share from the rounded figures; None when either is hidden or zero."""
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)


@dataclass(frozen=True)
class Protected:
    """A grid after disclosure control. ``cells[r][c]`` is a rounded count
    or None (hidden); ``row_totals``, ``column_totals`` and ``total`` too."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    def row_percents(self) -> list[list[float | None]]:
        """Each cell as a share of its row total (from the rounded figures)."""
        return [[percent(v, self.row_totals[i]) for v in row] for i, row in enumerate(self.cells)]

    def column_percents(self) -> list[list[float | None]]:
        return [[percent(v, self.column_totals[j]) for j, v in enumerate(row)]
                for row in self.cells]


def protect(counts: list[list[int]], rules: Rules) -> Protected:
    """Primary and secondary suppression, then rounding, of a grid of true
    counts with its row, column and grand totals (a single column is a
    one-dimensional table with its total).

    Every line is a sum: each row's cells make its row total, each column's
    its column total, and the row totals (and column totals) make the grand
    total. While any line has exactly one hidden item, the smallest shown
    cell of that line is hidden as well (a positive count before a zero),
    or its total when no cell is left, so no hidden figure can be worked
    out by subtraction."""
    n_rows = len(counts)
    n_cols = len(counts[0]) if counts else 0
    value: dict[tuple[str, int, int], int] = {}
    for i in range(n_rows):
        for j in range(n_cols):
            value[("cell", i, j)] = counts[i][j]
        value[("row", i, 0)] = sum(counts[i])
    for j in range(n_cols):
        value[("col", j, 0)] = sum(counts[i][j] for i in range(n_rows))
    value[("all", 0, 0)] = sum(value[("row", i, 0)] for i in range(n_rows))
    lines: list[tuple[list[tuple[str, int, int]], tuple[str, int, int]]] = [
        ([("cell", i, j) for j in range(n_cols)], ("row", i, 0)) for i in range(n_rows)]
    lines += [([("cell", i, j) for i in range(n_rows)], ("col", j, 0)) for j in range(n_cols)]
    lines.append(([("row", i, 0) for i in range(n_rows)], ("all", 0, 0)))
    lines.append(([("col", j, 0) for j in range(n_cols)], ("all", 0, 0)))

    hidden = {key for key, n in value.items() if rules.suppress_from <= n <= rules.suppress_to}
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            items = [*parts, total]
            if sum(item in hidden for item in items) != 1:
                continue
            shown_parts = [p for p in parts if p not in hidden]
            if shown_parts:
                hidden.add(min(shown_parts, key=lambda k: (value[k] == 0, value[k], k)))
            else:
                hidden.add(total)
            changed = True

    def shown(key: tuple[str, int, int]) -> int | None:
        return HIDDEN if key in hidden else round_count(value[key], rules)

    return Protected(
        cells=[[shown(("cell", i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown(("row", i, 0)) for i in range(n_rows)],
        column_totals=[shown(("col", j, 0)) for j in range(n_cols)],
        total=shown(("all", 0, 0)),
    )


def protect_column(counts: list[int], rules: Rules) -> tuple[list[int | None], int | None]:
    """A one-dimensional table (groups and their total)."""
    result = protect([[n] for n in counts], rules)
    return [row[0] for row in result.cells], result.total

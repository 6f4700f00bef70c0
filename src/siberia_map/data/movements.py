"""Journeys along the railway: `movements.csv` checked, and the rules of routing and slicing.

A movement is a contingent travelling from one station to another over an EDTF interval,
optionally through `via` stations. The route is the shortest railway path between each
pair of consecutive waypoints (the same graph as `where` stretches), and the position on it
is interpolated linearly by date: `month_fractions` is the share travelled by the start and
end of each calendar month, which the checks (the stations a journey passes each month),
the join (`model/join.py`) and the payload (`output/blocks.py`) all use.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from . import timeline
from ..errors import Problem
from .schema import MOVEMENT_KINDS as KINDS, MOVEMENTS, OPTIONAL_COLUMNS, check_id, one_of, row_at, \
    split_ids
from .gazetteer import Gazetteer, WhereProblem

COLUMNS = OPTIONAL_COLUMNS[MOVEMENTS]


@dataclass(frozen=True)
class Route:
    """A movement's path: railway segment steps and the waypoints it passes."""

    steps: tuple[tuple[str, bool], ...]
    waypoints: tuple[str, ...]


split_via = split_ids


def route(gaz: Gazetteer, start: str, end: str, via: list[str]) -> Route:
    """The railway path start -> via... -> end; WhereProblem if a leg has no path."""
    points = [start, *via, end]
    steps: list[tuple[str, bool]] = []
    for a, b in zip(points, points[1:]):
        steps.extend(gaz.path(a, b))
    return Route(tuple(steps), tuple(points))


def check(table, gaz: Gazetteer, contingents: dict, span, ids: dict) -> list[Problem]:
    """Every problem of `movements.csv` rows, each naming row, field and value."""
    problems: list[Problem] = []
    if table is None:
        return problems
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        problems.append(Problem(MOVEMENTS, row_at(1), "header", ",".join(table.columns),
                                f"the columns {', '.join(missing)}"))
        return problems
    for i, row in enumerate(table.rows):
        where = table.where(i)

        def bad(field, value, expected, where=where):
            problems.append(Problem(MOVEMENTS, where, field, value, expected))

        check_id(problems, MOVEMENTS, where, row.get("id", ""), ids, slug=False)
        if row.get("contingent", "") not in contingents:
            bad("contingent", row.get("contingent", ""), "a contingent id from contingents.csv")
        if row.get("kind", "") not in KINDS:
            bad("kind", row.get("kind", ""), one_of(KINDS))
        if not row.get("source", "").strip():
            bad("source", "", "a source")
        _check_date(row.get("date", ""), span, bad)
        ok = True
        for field in ("from", "to"):
            if row.get(field, "") not in gaz.places:
                bad(field, row.get(field, ""), "a place id from places.geojson")
                ok = False
        via = split_via(row.get("via", ""))
        for pid in via:
            if pid not in gaz.places:
                bad("via", pid, "place ids from places.geojson, separated by ';'")
                ok = False
        if ok:
            try:
                route(gaz, row["from"], row["to"], via)
            except WhereProblem as exc:
                bad("from..to", f"{row['from']}..{row['to']}", f"a journey along the railway: {exc}")
    return problems


def _check_date(text, span, bad):
    try:
        s = timeline.parse(text)
    except timeline.DateProblem as exc:
        bad("date", text, str(exc))
        return
    lo, hi = span if span is not None else (None, None)
    if (lo is not None and s.first_month < lo) or (hi is not None and s.last_month > hi):
        bad("date", text, "a date within the slider set in dataset.json ("
                          f"{timeline.month_key(lo) if lo is not None else '…'} to "
                          f"{timeline.month_key(hi) if hi is not None else '…'})")


def _ordinal(ymd: tuple[int, int, int]) -> int:
    return dt.date(*ymd).toordinal()


def month_fractions(span: timeline.Span) -> list[tuple[float, float]]:
    """For each month the interval touches, the share of the journey done at its start and end.

    Travel is spread evenly over the days from the first to the end of the last day, so a
    journey of 1-30 September 1918 is half done on 16 September.
    """
    d0, d1 = _ordinal(span.first), _ordinal(span.last) + 1
    total = d1 - d0
    out = []
    for m in range(span.first_month, span.last_month + 1):
        y, mo = divmod(m, 12)
        start = dt.date(y, mo + 1, 1).toordinal()
        end = start + calendar.monthrange(y, mo + 1)[1]  # (December 9999 has no next month)
        f0 = (max(start, d0) - d0) / total
        f1 = (min(end, d1) - d0) / total
        out.append((round(f0, 4), round(f1, 4)))
    return out

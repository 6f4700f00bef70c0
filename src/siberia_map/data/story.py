"""Story chapters (`story.csv`): a guided walk through the months, checked.

A chapter names a month, a view (places to fit, or explicit bounds), the contingents to
show and the records to ring, with a short text and its sources. Everything a chapter
refers to is checked here; `model/join.py` resolves the view into bounds and the month
into its number, and the payload turns the ids into indices, so the browser only applies
a chapter and never looks anything up by name.
"""

from __future__ import annotations

import re

from . import timeline
from ..errors import Problem
from .schema import STORY, STORY_FROM_MONTH, check_id, split_ids

MONTH = re.compile(r"^\d{4}-\d{2}$", re.ASCII)
BOUNDS = "bounds:"


def parse_bounds(text: str) -> list[list[float]] | None:
    """'bounds:s,w,n,e' -> [[s, w], [n, e]]; None when malformed or inverted."""
    try:
        s, w, n, e = (float(v) for v in text[len(BOUNDS):].split(","))
    except ValueError:
        return None
    if not (-90 <= s < n <= 90 and -180 <= w < e <= 360):
        return None
    return [[s, w], [n, e]]


def record_months(raw) -> dict[str, tuple[int, int]]:
    """First and last month number of every event, presence and movement id."""
    out: dict[str, tuple[int, int]] = {}
    tables = [(raw.events, False), (raw.presence, True)]
    if raw.movements is not None:
        tables.append((raw.movements, False))
    for table, presence in tables:
        for i, row in enumerate(table.rows):
            rid = row.get("id") or (f"presence-{table.lines[i]}" if presence else "")
            try:
                span = timeline.parse(row.get("date", ""))
            except timeline.DateProblem:
                continue
            if rid:
                out[rid] = (span.first_month, span.last_month)
    return out


def check(raw, places: set[str], contingents: set[str], slider) -> list[Problem]:
    """Every problem of `story.csv`, each naming its row, field and value."""
    table, problems = raw.story, []
    if table is None:
        return problems
    months = record_months(raw)
    seen: dict[str, str] = {}
    lo, hi = slider
    for i, row in enumerate(table.rows):
        where = table.where(i)

        def bad(field, value, expected, where=where):
            problems.append(Problem(STORY, where, field, value, expected))

        check_id(problems, STORY, where, row.get("id", ""), seen,
                 use="used in the link #story=ID")
        for field in ("title", "text"):
            if not row.get(field, "").strip():
                bad(field, row.get(field, ""), "non-empty text")
        if not row.get("source", "").strip():
            bad("source", "", "a source")
        month = _month("month", row.get("month", ""), lo, hi, bad)
        first = _from_month(row, month, lo, hi, bad)
        _check_view(row.get("view", ""), places, bad)
        for c in split_ids(row.get("contingents", "")):
            if c not in contingents:
                bad("contingents", c, "contingent ids from contingents.csv, separated by ';' "
                    "(empty: all)")
        for rid in split_ids(row.get("highlight", "")):
            if rid not in months:
                bad("highlight", rid, "ids of events, presence records or movements, "
                    "separated by ';'")
            elif month is not None and not (months[rid][0] <= month and
                                            months[rid][1] >= (month if first is None else first)):
                shown = row["month"] if first is None else f"{row[STORY_FROM_MONTH]}..{row['month']}"
                bad("highlight", rid, f"a record on the map in {shown} (it runs "
                    f"{timeline.month_key(months[rid][0])} to {timeline.month_key(months[rid][1])})")
    return problems


def _from_month(row, month, lo, hi, bad) -> int | None:
    """The optional first month of a chapter's range, checked; None when there is none."""
    text = row.get(STORY_FROM_MONTH) or ""
    if not text.strip():
        return None
    first = _month(STORY_FROM_MONTH, text, lo, hi, bad)
    if first is not None and month is not None and first > month:
        bad(STORY_FROM_MONTH, text, f"a month no later than the chapter's month {row['month']} "
            "(the range runs from_month..month)")
        return None
    return first


def _month(field, text, lo, hi, bad) -> int | None:
    if not MONTH.match(text):
        bad(field, text, "a month YYYY-MM")
        return None
    try:
        m = timeline.parse_month_key(text)
    except timeline.DateProblem as exc:
        bad(field, text, str(exc))
        return None
    if (lo is not None and m < lo) or (hi is not None and m > hi):
        bad(field, text, "a month on the slider ("
            f"{timeline.month_key(lo) if lo is not None else '…'} to "
            f"{timeline.month_key(hi) if hi is not None else '…'})")
        return None
    return m


def _check_view(view, places, bad) -> None:
    if view.startswith(BOUNDS):
        if parse_bounds(view) is None:
            bad("view", view, "bounds:south,west,north,east in degrees (south < north, "
                "west < east)")
        return
    ids = split_ids(view)
    if not ids:
        bad("view", view, "place ids separated by ';', or bounds:south,west,north,east")
    for pid in ids:
        if pid not in places:
            bad("view", pid, "a place id from places.geojson")

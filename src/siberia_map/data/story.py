"""Story chapters (`story.csv`): a guided walk through the months, checked and resolved.

A chapter names a month, a view (places to fit, or explicit bounds), the contingents to
show and the records to ring, with a short text and its sources. Everything a chapter
refers to is resolved here, in Python: the view becomes bounds and the ids become indices,
so the browser only applies a chapter and never looks anything up by name.
"""

from __future__ import annotations

import re

from . import timeline
from ..errors import Problem
from .schema import STORY, STORY_FROM_MONTH, check_id, split_ids

MONTH = re.compile(r"^\d{4}-\d{2}$", re.ASCII)
BOUNDS = "bounds:"
# A chapter fitted to one town would zoom in to street level: a view spans at least this
# many degrees each way, and a margin around the places keeps them off the edges.
MIN_SPAN = 3.0
MARGIN = 0.1


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


def join(table, geoms: dict) -> list[dict]:
    """The checked chapters with their month number and view bounds ([[s, w], [n, e]]).

    `geoms` maps place id -> shapely geometry."""
    out = []
    for row in (table.rows if table is not None else []):
        view = row["view"]
        if view.startswith(BOUNDS):
            bounds = parse_bounds(view)
        else:
            boxes = [geoms[pid].bounds for pid in split_ids(view)]
            bounds = _padded(min(b[1] for b in boxes), min(b[0] for b in boxes),
                             max(b[3] for b in boxes), max(b[2] for b in boxes))
        out.append({"id": row["id"], "title": row["title"],
                    "month": timeline.parse_month_key(row["month"]), "bounds": bounds,
                    "from_month": (timeline.parse_month_key(row[STORY_FROM_MONTH])
                                   if (row.get(STORY_FROM_MONTH) or "").strip() else None),
                    "contingents": split_ids(row.get("contingents", "")),
                    "highlight": split_ids(row.get("highlight", "")),
                    "text": row["text"], "source": row["source"],
                    # The chapter in other languages (`title_ru`, `text_fr`), as the data has it.
                    **{k: v for k, v in row.items()
                       if k.startswith(("title_", "text_")) and isinstance(v, str) and v}})
    return out


def _padded(s, w, n, e) -> list[list[float]]:
    dy, dx = (n - s) * MARGIN, (e - w) * MARGIN
    s, w, n, e = max(-90.0, s - dy), w - dx, min(90.0, n + dy), e + dx
    if n - s < MIN_SPAN:
        mid = (n + s) / 2
        s, n = max(-90.0, mid - MIN_SPAN / 2), min(90.0, mid + MIN_SPAN / 2)
    if e - w < MIN_SPAN:
        mid = (e + w) / 2
        w, e = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    return [[s, w], [n, e]]



"""Months in which a contingent is on the record but present nowhere, and their explanations.

Between a contingent's first and last record (event or presence) every month should place it
somewhere; a month that does not is a gap. A row of the optional `gaps.csv` (`contingent,
date, note, source`) explains the gap months its interval covers. Everything here is a sort
and a sweep per contingent, so 100,000 records cost well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from . import timeline
from ..errors import Problem
from .load import GAPS, Table
from .schema import split_ids

# How a date that is not an interval is refused.
INTERVAL = ("an EDTF interval with both ends covering the gap months,"
            " e.g. 1919-03/1919-05")


@dataclass(frozen=True)
class Gap:
    contingent: str
    months: tuple[int, ...]
    explained: tuple[bool, ...]  # per month

    @property
    def unexplained(self) -> list[int]:
        return [m for m, e in zip(self.months, self.explained) if not e]


def find(records: Iterable[tuple[str, int, int, bool]],
         explanations: dict[str, list[tuple[int, int]]] | None = None) -> dict[str, Gap]:
    """`records` are (contingent, first month, last month, is presence); gaps by contingent."""
    ends: dict[str, list[int]] = {}
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for cid, m0, m1, presence in records:
        e = ends.get(cid)
        if e is None:
            ends[cid] = [m0, m1]
        else:
            e[0], e[1] = min(e[0], m0), max(e[1], m1)
        if presence:
            spans[cid].append((m0, m1))
    out = {}
    for cid, (first, last) in ends.items():
        missing, cursor = [], first
        for m0, m1 in sorted(spans.get(cid, [])):
            missing.extend(range(cursor, m0))
            cursor = max(cursor, m1 + 1)
        missing.extend(range(cursor, last + 1))
        if missing:
            covered = explanations.get(cid, []) if explanations else []
            out[cid] = Gap(cid, tuple(missing),
                           tuple(any(a <= m <= b for a, b in covered) for m in missing))
    return out


def raw_records(raw) -> Iterable[tuple[str, int, int, bool]]:
    """`find`'s records from a loaded data set (every dated event and presence row)."""
    for table, presence in ((raw.events, False), (raw.presence, True)):
        for row in table.rows:
            try:
                s = timeline.parse(row.get("date", ""))
            except timeline.DateProblem:
                continue
            cids = [row.get("contingent", "")] if presence else split_ids(row.get("contingents"))
            for cid in cids:
                yield cid, s.first_month, s.last_month, presence


def check_table(table: Table, contingents: set[str], problems: list[Problem], slider=None
                ) -> dict[str, list[tuple[int, int]]]:
    """gaps.csv rows by contingent as (first, last) month intervals; a row whose interval
    leaves the slider's (first, last) months is named (it could explain nothing there)."""
    lo, hi = slider if slider is not None else (None, None)
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, row in enumerate(table.rows):
        where, cid, date = table.where(i), row.get("contingent", ""), row.get("date", "")
        if cid not in contingents:
            problems.append(Problem(GAPS, where, "contingent", cid,
                                    "a contingent id from contingents.csv"))
        span = timeline.interval_months(problems, GAPS, where, date, INTERVAL)
        if span is not None:
            if (lo is not None and span[0] < lo) or (hi is not None and span[1] > hi):
                problems.append(Problem(GAPS, where, "date", date, "an interval on the slider ("
                                        f"{timeline.month_key(lo) if lo is not None else '…'} "
                                        f"to {timeline.month_key(hi) if hi is not None else '…'})"))
        for key in ("note", "source"):
            if not row.get(key):
                problems.append(Problem(GAPS, where, key, row.get(key), "non-empty text saying "
                                        "why the contingent is on no map that time"
                                        if key == "note" else "a source"))
        if span is not None:
            out[cid].append(span)
    return dict(out)


def problems_for(gaps: dict[str, Gap], names: dict[str, str]) -> list[Problem]:
    out = []
    for cid, gap in gaps.items():
        months = gap.unexplained
        if months:
            out.append(Problem(GAPS, "", "contingent", cid, f"presence of {names.get(cid, cid)} "
                               f"somewhere in {timeline.month_ranges(months)} (between its first and "
                               "last record), or a gaps.csv row covering those months with a "
                               "note saying why"))
    return out

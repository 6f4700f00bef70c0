"""`siberia-map report`: what a data set covers, and what a historian should look at next.

Coverage by contingent and year, months with no record, each contingent's gaps (months
between its first and last record with no presence anywhere, explained or not by gaps.csv),
records by the type of source they cite, records at odds with the control chronology, and
(audit.py) where the map draws each contingent month by month, conflict months flagged.
Every count is one pass over the records (no contingent x year x record loops), so 10,000
contingents and 100,000 events take seconds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from . import audit
from ..data import citations, gaps, timeline
from ..errors import DataError
from ..model.join import join, read_and_check
from ..data.validate import cited_tables


def run(root: str | Path) -> list[str]:
    """The report's lines for the data set in `root`; DataError if it does not validate."""
    details: dict = {}
    raw, checked, found = read_and_check(root, details)  # every file's problems at once
    problems = [p for p in found if p.severity == "error"]
    if problems:
        raise DataError(problems)
    return lines(raw, join(raw, checked), details) \
        + audit.lines(raw, checked, details.get("conflicts"))


def lines(raw, ds, details: dict) -> list[str]:
    return (_summary(ds) + _by_contingent_and_year(ds) + _empty_months(ds)
            + _gaps(ds, details.get("explanations")) + _source_types(raw, details.get("sources"))
            + _conflicts(raw, details.get("conflicts")))


def _summary(ds) -> list[str]:
    kinds = ds.places["kind"].value_counts().sort_index()
    return [f"places: {len(ds.places)} (" + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")",
            f"railway segments: {len(ds.railways)}; events: {len(ds.events)}; "
            f"presence records: {len(ds.presence)}"]


def _records(ds):
    """(contingent ids, first month, last month, is presence) of every record."""
    for df, presence in ((ds.events, False), (ds.presence, True)):
        yield from zip(df["contingents"], df["m0"], df["m1"], [presence] * len(df))


def _by_contingent_and_year(ds) -> list[str]:
    years = range(ds.first_month // 12, ds.last_month // 12 + 1)
    counts: dict[str, Counter] = defaultdict(Counter)
    for cids, m0, m1, presence in _records(ds):
        for cid in cids:
            for y in range(m0 // 12, m1 // 12 + 1):
                counts[cid][(y, presence)] += 1
    out = ["", "records by contingent and year (events/presence):",
           f"  {'contingent':<28}" + "".join(f"{y:>10}" for y in years)]
    for cid, name in zip(ds.contingents["id"], ds.contingents["name"]):
        c = counts.get(cid, Counter())
        cells = [f"{c[(y, False)]}/{c[(y, True)]}" for y in years]
        out.append(f"  {str(name)[:28]:<28}" + "".join(f"{cell:>10}" for cell in cells))
    return out


def _empty_months(ds) -> list[str]:
    first, n = ds.first_month, ds.last_month - ds.first_month + 1
    # Difference arrays: +1 where a record starts, -1 after it ends.
    any_record, events = [0] * (n + 1), [0] * (n + 1)
    for df, marks in ((ds.events, (any_record, events)), (ds.presence, (any_record,))):
        for m0, m1 in zip(df["m0"], df["m1"]):
            for arr in marks:
                arr[m0 - first] += 1
                arr[m1 - first + 1] -= 1

    def empty(arr):
        months, running = [], 0
        for i in range(n):
            running += arr[i]
            if not running:
                months.append(first + i)
        return timeline.month_ranges(months) if months else "none"

    return ["", "months with no record: " + empty(any_record),
            "months with no event: " + empty(events)]


def _gaps(ds, explanations) -> list[str]:
    found = gaps.find(((cid, m0, m1, presence) for cids, m0, m1, presence in _records(ds)
                       for cid in cids), explanations)
    out = ["", "gaps (months between a contingent's first and last record with no presence "
           "anywhere" + ("; explained = covered by gaps.csv):" if explanations is not None
                         else "; no gaps.csv explains any):")]
    total = unexplained = 0
    for cid, name in zip(ds.contingents["id"], ds.contingents["name"]):
        gap = found.get(cid)
        if gap is None:
            continue
        total += len(gap.months)
        unexplained += len(gap.unexplained)
        explained = [m for m, e in zip(gap.months, gap.explained) if e]
        parts = []
        if gap.unexplained:
            parts.append(f"unexplained {timeline.month_ranges(gap.unexplained)}")
        if explained:
            parts.append(f"explained {timeline.month_ranges(explained)}")
        out.append(f"  {name} ({cid}): " + "; ".join(parts))
    out.append(f"  gap months: {total}, unexplained: {unexplained}" if total else "  none")
    return out


def _source_types(raw, sources) -> list[str]:
    if sources is None:
        return ["", "records by source type: no sources.csv (sources are free text)"]
    types = citations.TYPES
    out = ["", "records by source type (a record counts once under each type it cites):",
           f"  {'file':<18}{'records':>8}" + "".join(f"{t:>11}" for t in types)
           + f"{'weak only':>11}"]
    totals = Counter()
    for table in cited_tables(raw):
        c = Counter()
        for row in table.rows:
            cited = {sources[k].get("type") for k, _ in citations.resolve(row.get("source", ""),
                                                                          sources)}
            c.update(cited & set(types))
            c["records"] += 1
            if cited and cited <= set(citations.WEAK):
                c["weak only"] += 1
        totals.update(c)
        out.append(_type_row(table.name, c, types))
    out.append(_type_row("all", totals, types))
    return out


def _type_row(name, c, types) -> str:
    return f"  {name:<18}{c['records']:>8}" + "".join(f"{c[t]:>11}" for t in types) \
        + f"{c['weak only']:>11}"


def _conflicts(raw, conflicts) -> list[str]:
    if conflicts is None:
        return ["", "control conflicts: no control.csv"]
    explained = {(c.file, c.row) for c in conflicts if c.explained}
    unexplained = {(c.file, c.row) for c in conflicts if not c.explained}
    by_kind = Counter(kind for kind, _ in {(c.exception.partition("@")[0], (c.file, c.row))
                                           for c in conflicts if c.explained})
    detail = ", ".join(f"{v} {n}" for v, n in sorted(by_kind.items()))
    return ["", f"control conflicts (records placed where the opposite camp held the place): "
            f"{len(explained)} explained" + (f" ({detail})" if detail else "")
            + f", {len(unexplained)} unexplained"]

"""The report's audit: per contingent and month, where the map draws it, with every month in
which one of its records sits on a station the other camp held (explained or not).

A historian checks the whole map against the standard works in one page: runs of months in
which a contingent is drawn at the same places are one line, and each conflict month is
flagged under it with the record, the holder and the exception that explains it, if any.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from ..data import timeline
from ..data.control.chronology import PASS_TOLERANCE
from ..data.control.conflicts import Conflict, record_tables
from ..data.gazetteer import WhereProblem
from ..data.load import EVENTS, PRESENCE
from ..data.movements import MOVEMENTS, month_fractions, route, split_via


def lines(raw, checked, conflicts: list[Conflict] | None) -> list[str]:
    """The audit section of `siberia-map report`."""
    gaz, chron = checked.gazetteer, checked.chronology
    names = {pid: name for pid, (name, _) in gaz.places.items()}
    drawn: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    events: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for table in record_tables(raw):
        target = events if table.name == EVENTS else drawn
        for row in table.rows:
            for cid, month, label in _placed(table.name, row, gaz, chron, names):
                target[cid][month].add(label)
    flags: dict[str, dict[int, set[tuple]]] = defaultdict(lambda: defaultdict(set))
    for c in conflicts or []:
        holders = ", ".join(sorted({chron.rows[k]["held_by"] for k in c.holders}))
        why = f"explained by {c.exception}" if c.explained else "UNEXPLAINED"
        for m in c.months:
            flags[c.contingent][m].add((c.record or c.row, c.file, c.row, why, holders,
                                        names.get(c.place, c.place)))
    out = ["", "where the map draws each contingent, month by month (presence and journeys; "
           "runs of months alike on one line, with the events of those months; '!' flags a "
           "record on a station the other camp held that month):"]
    for cid, name in ((r.get("id"), r.get("name", "")) for r in raw.contingents.rows):
        months = set(drawn.get(cid, {})) | set(events.get(cid, {}))
        if not months:
            continue
        flagged = sorted(m for m, f in flags.get(cid, {}).items() if f)
        out.append(f"  {name} ({cid})" + (f": flagged in {timeline.month_ranges(flagged)}"
                                         if flagged else ""))
        here, marked = drawn.get(cid, {}), flags.get(cid, {})
        runs = groupby(range(min(months), max(months) + 1),
                       key=lambda m: (tuple(sorted(here.get(m, ()))), tuple(sorted(marked.get(m, ())))))
        for key, run in runs:
            run = list(run)
            out.extend(_run(run[0], run[-1], key, events.get(cid, {})))
    return out


def _run(first: int, last: int, key, events) -> list[str]:
    places, flagged = key
    when = timeline.month_key(first) + (f" to {timeline.month_key(last)}" if last > first else "")
    out = [f"    {when}: " + ("; ".join(places) if places else "no presence on the map")]
    seen: dict[str, list[int]] = {}
    for m in range(first, last + 1):
        for label in sorted(events.get(m, ())):
            seen.setdefault(label, []).append(m)
    if seen:
        out.append("      events: " + "; ".join(
            label + (f" ({timeline.month_ranges(ms)})" if last > first else "")
            for label, ms in seen.items()))
    # One line per record and explanation: the stations it sits on, by holder.
    grouped: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for record, file, row, why, holders, station in flagged:
        grouped[(record, file, row, why)][holders].append(station)
    for (record, file, row, why), by_holder in grouped.items():
        at = "; ".join(f"{', '.join(st)} (held by {h})" for h, st in by_holder.items())
        out.append(f"      ! {record} ({file}, {row}) at {at}: {why}")
    return out


def _placed(file, row, gaz, chron, names):
    """(contingent, month, label) for each month a record is drawn, where it is drawn."""
    try:
        s = timeline.parse(row.get("date", ""))
    except timeline.DateProblem:
        return
    cids = [row.get("contingent", "")] if file in (PRESENCE, MOVEMENTS) else \
        [c.strip() for c in (row.get("contingents") or "").split(";") if c.strip()]
    if file == MOVEMENTS:
        yield from _on_the_move(row, s, cids, gaz, chron, names)
        return
    where = (row.get("where") or "").strip()
    if not where:
        return
    try:
        r = gaz.resolve(where)
    except WhereProblem:
        return
    label = names[r.place] if r.kind == "place" else f"{names[r.start]}\u2013{names[r.end]}"
    for cid in cids:
        for m in range(s.first_month, s.last_month + 1):
            yield cid, m, label


def _on_the_move(row, s, cids, gaz, chron, names):
    try:
        r = route(gaz, row.get("from", ""), row.get("to", ""), split_via(row.get("via", "")))
    except WhereProblem:
        return
    journey = f"moving {names[row['from']]}\u2192{names[row['to']]}"
    # The stations passed each month come from the chronology's table of stations along
    # each segment; without control.csv the journey is named only.
    along = chron.route_stations(r.steps) if chron is not None else None
    for k, (f0, f1) in enumerate(month_fractions(s)):
        label = journey
        if along is not None:
            passed = [names[pid] for pid, share in along
                      if f0 - PASS_TOLERANCE <= share <= f1 + PASS_TOLERANCE]
            label += f" ({passed[0]}\u2013{passed[-1]})" if len(passed) > 1 else \
                f" ({passed[0]})" if passed else " (between stations)"
        for cid in cids:
            yield cid, s.first_month + k, label

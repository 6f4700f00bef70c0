"""Records checked against the control chronology month by month (issue 19).

For every event, presence and movement record, in every month of its interval, each station
it is drawn at (a stretch at all its stations, a journey at the stations it passes that month)
is looked up in the chronology's month table. A month in which the other camp firmly held one
(no contested row) is a conflict, explained only when one of the record's dated exceptions
(`control`, exceptions.py) covers that month and the record has a note. `validate` reports
each record's unexplained months once; `report` lists the explained ones too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from .. import timeline
from . import exceptions
from ...errors import Problem
from .chronology import CAMP, Chronology
from ..gazetteer import WhereProblem
from ..load import PRESENCE, RawDataset, Table
from ..movements import MOVEMENTS, month_fractions, route, split_via


@dataclass(frozen=True)
class Conflict:
    file: str
    row: str
    contingent: str
    place: str
    months: tuple[int, ...]
    holders: tuple[int, ...]  # control row indices
    explained: bool
    record: str = ""  # the record's id
    exception: str = ""  # the dated exception that explains it ('evacuation@1920-01/1920-02')


def record_tables(raw: RawDataset) -> list[Table]:
    """The tables whose records the map draws at places: events, presence, movements."""
    return [t for t in (raw.events, raw.presence, raw.movements) if t is not None]


def record_conflicts(raw: RawDataset, chron: Chronology, sides: dict[str, str],
                     problems: list[Problem] | None, explained: bool = True) -> list[Conflict]:
    """Every conflict of the events, presence and movement records, month by month; the
    months a dated exception covers are `explained`, the others not. With `explained`
    false only the unexplained ones are returned (all `validate` needs), and a record whose
    exceptions cover every month of its date is not looked up at all."""
    found: list[Conflict] = []
    for table in record_tables(raw):
        for i, row in enumerate(table.rows):
            if not explained:
                # The common case at scale, without a call per row: a record with a note
                # whose dated exceptions cover every month of its date and read without a
                # problem has nothing to report (as `_record` would find).
                control = (row.get("control") or "").strip()
                _, _, refused, whole = _dated(control, row.get("date", ""))
                if whole and not refused and (row.get("note") or "").strip():
                    continue
            found.extend(_record(table, i, row, chron, sides, problems, explained))
    return found


@lru_cache(maxsize=1 << 16)
def _dated(control: str, date: str):
    """(span or None, exemptions, refused, whether the exemptions cover every month of the
    span): large data sets repeat their dates and exceptions, so each pair is read once."""
    try:
        s = timeline.parse(date)
    except timeline.DateProblem:
        s = None
    exemptions, refused = exceptions.parse(control, s, date)
    whole = s is not None and bool(exemptions) and all(
        exceptions.covering(exemptions, m) for m in range(s.first_month, s.last_month + 1))
    return s, tuple(exemptions), tuple(refused), whole


def _record(table, i, row, chron, sides, problems, explained=True) -> list[Conflict]:
    where = table.where(i)
    control = (row.get("control") or "").strip()
    s, exemptions, refused, whole = _dated(control, row.get("date", ""))
    if problems is not None:
        for value, expected in refused:
            problems.append(Problem(table.name, where, "control", value, expected))
        if control and not (row.get("note") or "").strip():
            problems.append(Problem(table.name, where, "note", "", "a note saying why the "
                                    f"record stands where the other camp held the place "
                                    f"(control={control!r})"))
    if not (row.get("note") or "").strip():
        exemptions, whole = (), False
    if whole and not explained:  # every month it could conflict in is explained
        return []
    multi = table.name not in (PRESENCE, MOVEMENTS)
    cids = [c.strip() for c in (row.get("contingents") or "").split(";") if c.strip()] \
        if multi else [row.get("contingent", "")]
    camps = [(c, CAMP[sides[c]]) for c in cids if sides.get(c) in CAMP]
    if s is None or not camps:
        return []
    span = (s.first_month, s.last_month)
    if table.name == MOVEMENTS:
        try:
            steps = route(chron.gaz, row.get("from", ""), row.get("to", ""),
                          split_via(row.get("via", ""))).steps
        except WhereProblem:
            return []
        fractions = month_fractions(s)
    elif not (row.get("where") or "").strip():
        return []
    out = []
    for cid, camp in camps:
        hits = chron.found_on_route(steps, fractions, s.first_month, camp) \
            if table.name == MOVEMENTS else chron.found(row["where"], span, camp)
        for pid, months, cell in hits:
            # Split the run where the exception covering it changes (or none does).
            for held, part in groupby(months, key=lambda m: exceptions.covering(exemptions, m)):
                if held is not None and not explained:
                    continue
                out.append(Conflict(table.name, where, cid, pid, tuple(part), cell,
                                    held is not None, row.get("id") or "",
                                    held.text if held else ""))
    return out


def conflict_problems(conflicts: list[Conflict], chron: Chronology, contingents: dict[str, str],
                      rows: dict[tuple[str, str], dict]) -> list[Problem]:
    """One problem per record: for each of its contingents at odds with the chronology (those
    alike in one part), the stations grouped by months, the holders and their control.csv
    rows, so a stretch record across a front is one line, not one per station."""
    groups: dict[tuple, dict[str, dict[str, list]]] = {}
    for c in conflicts:
        if c.explained:
            continue
        by_cid = groups.setdefault((c.file, c.row, c.record), {})
        months, cells = by_cid.setdefault(c.contingent, {}).setdefault(c.place, ([], []))
        months.extend(c.months)
        cells.append(c.holders)
    out = []
    for (file, row, rid), by_cid in groups.items():
        parts: dict[tuple[str, str], list[str]] = {}
        for cid, places in by_cid.items():
            by_months: dict[str, list[str]] = {}
            for pid, (months, _cells) in places.items():
                by_months.setdefault(timeline.month_ranges(sorted(set(months))), []).append(
                    f"{chron.places.get(pid, pid)} ({pid})")
            where = "; ".join(f"{', '.join(names)} in {months}"
                              for months, names in by_months.items())
            held = chron.holder_names([cell for _, cs in places.values() for cell in cs])
            parts.setdefault((where, held), []).append(f"{cid} ({contingents.get(cid, '')})")
        text = " | ".join(f"{', '.join(cids)} at {where}, where the opposite camp held it and "
                          f"nobody contested it: held by {held}"
                          for (where, held), cids in parts.items())
        control = (rows.get((file, row), {}).get("control") or "").strip()
        hint = (f"; its control={control!r} does not cover these months" if control else "") \
            + "; correct the record (split it by the dates the front passed, or make it a " \
            "movement), or name in control a dated exception kind@date covering those months " \
            "(e.g. evacuation@1920-01/1920-02-07), with a note saying why"
        out.append(Problem(file, row, "contingent" if file in (PRESENCE, MOVEMENTS) else
                           "contingents", ";".join(by_cid), (f"record {rid}: " if rid else "")
                           + text + hint))
    return out

"""Who held each place month by month (`control.csv`): the table records are checked against
(conflicts.py).

The control chronology is turned once into a table per place: for every month of the slider,
the control rows holding it (a place's own rows shadow the rows of a stretch through it) and
the camp that cannot be there. Each record then costs one look-up per station and month, so
the check stays linear in the number of records.

Camps: `allied` and `white` are one camp, `red` the other, `other` neither. A record conflicts
when one of its contingents stands where every row holding the place that month belongs to the
opposite camp and none is contested; every month on its own. Here: the month table, which
stations a `where` stands for, and which a journey passes each month.
"""

from __future__ import annotations


from .. import timeline
from ...errors import Problem
from ..gazetteer import STRETCH, Gazetteer, WhereProblem
from ..load import AUTHORITIES, CONTROL, RawDataset, Table
from ..schema import COLOUR, COLOUR_MESSAGE, SIDES, check_id, one_of

# How a date that is not an interval is refused.
INTERVAL = ("an EDTF interval with both ends,"
            " e.g. 1918-05-26/1919-11-14 or 1918-07~/1918-08-15")

CAMP = {"allied": 0, "white": 0, "red": 1}
CAMP_NAME = ("allied/white", "red")
# A station is passed in a month when its share of the route lies within the month's part
# of the journey, give or take this much (rounding of the fractions).
PASS_TOLERANCE = 1e-3


def check_authorities(table: Table, problems: list[Problem]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    seen: dict[str, str] = {}
    for i, row in enumerate(table.rows):
        where, aid = table.where(i), row.get("id", "")
        if check_id(problems, AUTHORITIES, where, aid, seen):
            found[aid] = row
        if row.get("side") not in SIDES:
            problems.append(Problem(AUTHORITIES, where, "side", row.get("side"), one_of(SIDES)))
        if not COLOUR.fullmatch(row.get("colour", "")):
            problems.append(Problem(AUTHORITIES, where, "colour", row.get("colour"),
                                    COLOUR_MESSAGE))
        for key in ("name", "source"):
            if not row.get(key):
                problems.append(Problem(AUTHORITIES, where, key, row.get(key), "non-empty text"))
    return found


def railway_stations(raw: RawDataset, places) -> dict[str, list[str]]:
    """Segment id -> its stations in order (from, via..., to), place ids only."""
    out = {}
    for feat in raw.railways.features:
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict) or not isinstance(props.get("id"), str):
            continue
        via = props.get("via") if isinstance(props.get("via"), list) else []
        out[props["id"]] = [s for s in [props.get("from"), *via, props.get("to")]
                            if isinstance(s, str) and s in places]
    return out


def station_shares(raw: RawDataset, places) -> dict[str, list[float]]:
    """Segment id -> the share (0..1) of its length at which each of its stations lies, in
    the order of `railway_stations`: where a movement is in a month says which it passed."""
    from shapely.geometry import shape

    out = {}
    stations = railway_stations(raw, places)
    for feat in raw.railways.features:
        props = feat.get("properties") if isinstance(feat, dict) else None
        sid = props.get("id") if isinstance(props, dict) else None
        if sid not in stations:
            continue
        stops = stations[sid]
        try:
            line = shape(feat["geometry"])
            shares = [line.project(places[s]["geom"], normalized=True) for s in stops]
        except Exception:  # a bad geometry is validate's to report; stations spread evenly
            shares = [i / max(1, len(stops) - 1) for i in range(len(stops))]
        if stops:
            shares[0], shares[-1] = 0.0, 1.0
        out[sid] = shares
    return out


class Chronology:
    """The control chronology of a data set, checked, as a month table per place.

    `places` maps place id -> name; `segments` maps segment id -> its stations in order;
    `span` is the slider's (first, last) month number.
    """

    def __init__(self, raw: RawDataset, gaz: Gazetteer, places: dict[str, str],
                 segments: dict[str, list[str]], span: tuple[int, int],
                 authorities: dict[str, dict], problems: list[Problem],
                 shares: dict[str, list[float]] | None = None):
        self.gaz, self.places, self.segments = gaz, places, segments
        self.shares = shares or {}
        self.first, self.last = span
        self.authorities = authorities
        self.table = raw.control
        self.rows: list[dict] = []  # usable control rows: where, held_by, contested, camp
        self._stations: dict[str, tuple[str, ...] | None] = {}
        self._conflicts: dict[tuple, list[tuple]] = {}
        n = self.last - self.first + 1
        direct: dict[str, list[list[int]]] = {}
        stretch: dict[str, list[list[int]]] = {}
        for i, row in enumerate(self.table.rows):
            checked = self._check_row(i, row, problems)
            if checked is None:
                continue
            stations, (m0, m1) = checked
            k = len(self.rows)
            side = authorities[row["held_by"]].get("side")
            self.rows.append({"i": i, "held_by": row["held_by"], "camp": CAMP.get(side),
                              "contested": row["contested"] == "true"})
            target = stretch if STRETCH in row["where"] else direct
            for pid in stations:
                cells = target.get(pid)
                if cells is None:
                    cells = target[pid] = [[] for _ in range(n)]
                for m in range(max(m0, self.first), min(m1, self.last) + 1):
                    cells[m - self.first].append(k)
        # Per place and month: the holding rows, and the camp none of whose contingents may
        # stand there (None when a row is contested, the holders disagree or are 'other').
        self.holders: dict[str, list[tuple[int, ...]]] = {}
        self.barred: dict[str, list[int | None]] = {}
        for pid in set(direct) | set(stretch):
            own, through = direct.get(pid), stretch.get(pid)
            cells = [tuple(own[m] if own and own[m] else through[m] if through else [])
                     for m in range(n)]
            self.holders[pid] = cells
            self.barred[pid] = [self._barred(c) for c in cells]

    def _barred(self, cell: tuple[int, ...]) -> int | None:
        camps = {self.rows[k]["camp"] for k in cell}
        if not cell or len(camps) != 1 or None in camps:
            return None
        if any(self.rows[k]["contested"] for k in cell):
            return None
        return 1 - camps.pop()

    def _check_row(self, i, row, problems):
        where, ok = self.table.where(i), True
        stations = self._where(row.get("where", ""), where, problems)
        ok = stations is not None
        span = timeline.interval_months(problems, CONTROL, where, row.get("date", ""), INTERVAL)
        if row.get("held_by") not in self.authorities:
            problems.append(Problem(CONTROL, where, "held_by", row.get("held_by"),
                                    "an authority id from authorities.csv"))
            ok = False
        if row.get("contested") not in ("true", "false"):
            problems.append(Problem(CONTROL, where, "contested", row.get("contested"),
                                    "exactly true or false"))
            ok = False
        if not row.get("source"):
            problems.append(Problem(CONTROL, where, "source", row.get("source"), "a source"))
        return (stations, span) if ok and span is not None else None

    def _where(self, text: str, where: str, problems) -> tuple[str, ...] | None:
        ends = [p.strip() for p in text.split(STRETCH, 1)] if STRETCH in text else [text.strip()]
        unknown = [p for p in ends if p not in self.places]
        if unknown:
            problems.append(Problem(CONTROL, where, "where", text, "a place id or a railway "
                                    f"stretch 'a..b' of place ids; unknown: {', '.join(unknown)}"))
            return None
        try:
            return self.stations(text)
        except WhereProblem as exc:
            problems.append(Problem(CONTROL, where, "where", text, str(exc)))
            return None

    def stations(self, where: str) -> tuple[str, ...]:
        """The place ids a `where` stands for: the place, or every station along the stretch."""
        found = self._stations.get(where)
        if found is None:
            r = self.gaz.resolve(where)
            if r.kind == "place":
                found = (r.place,)
            else:
                seq = [r.start]
                for sid, rev in r.steps:
                    stops = self.segments.get(sid, [])
                    seq.extend((stops[::-1] if rev else stops)[1:])
                found = tuple(dict.fromkeys(seq + [r.end]))
            self._stations[where] = found
        return found

    def coverage(self, problems: list[Problem]) -> None:
        """Every railway station needs a holder in every month of the slider."""
        names = {s for stops in self.segments.values() for s in stops}
        for pid in sorted(names):
            cells = self.holders.get(pid)
            missing = [self.first + m for m in range(self.last - self.first + 1)
                       if not cells or not cells[m]]
            if missing:
                problems.append(Problem(CONTROL, "", "where", pid, f"a control row holding "
                                        f"{self.places[pid]} ({pid}) in every month from "
                                        f"{timeline.month_key(self.first)} to "
                                        f"{timeline.month_key(self.last)}; none for "
                                        f"{timeline.month_ranges(missing)}"))

    def found(self, where: str, span: tuple[int, int], camp: int) -> list[tuple]:
        """(place, months, holding rows) where `camp` is barred along `where` during `span`;
        one entry per run of months held by the same rows. Cached: records repeat these."""
        key = (where, span, camp)
        found = self._conflicts.get(key)
        if found is None:
            try:
                stations = self.stations(where)
            except WhereProblem:
                stations = ()
            lo, hi = max(span[0], self.first), min(span[1], self.last)
            months = list(range(lo, hi + 1))
            found = self._conflicts[key] = [hit for pid in stations
                                            for hit in self._runs(pid, months, camp)]
        return found

    def found_on_route(self, steps, fractions: list[tuple[float, float]], first_month: int,
                       camp: int) -> list[tuple]:
        """Like `found`, for a movement: each month only the stations it passes that month
        (the part of the route the map draws boldly), from the month fractions of its route."""
        along = self.route_stations(steps)
        months: dict[str, list[int]] = {}
        for k, (f0, f1) in enumerate(fractions):
            m = first_month + k
            if not self.first <= m <= self.last:
                continue
            for pid, share in along:
                if f0 - PASS_TOLERANCE <= share <= f1 + PASS_TOLERANCE:
                    months.setdefault(pid, []).append(m)
        return [hit for pid, ms in months.items() for hit in self._runs(pid, ms, camp)]

    def route_stations(self, steps) -> list[tuple[str, float]]:
        """(station, share of the route's km) of every station along segment `steps`."""
        km = [self.gaz.segments[sid][2] for sid, _ in steps]
        total = sum(km) or 1.0
        out: list[tuple[str, float]] = []
        done = 0.0
        for (sid, rev), length in zip(steps, km):
            stops = self.segments.get(sid, [])
            shares = self.shares.get(sid) or [i / max(1, len(stops) - 1)
                                               for i in range(len(stops))]
            pairs = list(zip(stops, shares))
            if rev:
                pairs = [(pid, 1.0 - f) for pid, f in reversed(pairs)]
            for pid, f in pairs:
                share = (done + f * length) / total
                if not out or out[-1][0] != pid:
                    out.append((pid, share))
            done += length
        return out

    def _runs(self, pid: str, months: list[int], camp: int) -> list[tuple]:
        """(place, months, holding rows) for each run of consecutive `months` in which
        `camp` is barred from `pid` by the same control rows."""
        barred = self.barred.get(pid)
        if barred is None:
            return []
        cells = self.holders[pid]
        out = []
        run: list[int] = []
        for m in [*months, None]:
            hit = m is not None and barred[m - self.first] == camp
            if run and (not hit or m != run[-1] + 1
                        or cells[m - self.first] != cells[run[0] - self.first]):
                out.append((pid, tuple(run), cells[run[0] - self.first]))
                run = []
            if hit:
                run.append(m)
        return out

    def holder_names(self, cells) -> str:
        """'soviet (Soviet power), fer (Far Eastern Republic), control.csv rows 12, 40'."""
        ks = sorted({k for cell in cells for k in cell}, key=lambda k: self.rows[k]["i"])
        names = dict.fromkeys(f"{self.rows[k]['held_by']} "
                              f"({self.authorities[self.rows[k]['held_by']].get('name', '')})"
                              for k in ks)
        lines = [self.table.lines[self.rows[k]["i"]] for k in ks]
        return ", ".join(names) + f", control.csv row{'s' if len(lines) > 1 else ''} " \
            + ", ".join(str(n) for n in lines)

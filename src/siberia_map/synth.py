"""A synthetic campaign over a real data set's places and railways, for tests and benchmarks.

`generate(data_dir, out_dir, n, seed)` copies the places, railways, contingents and basemap
of `data_dir` (and its control chronology, `authorities.csv` and `control.csv`, when it has
one) and writes `n` random events, `n // 5` presence records and `n // 100` movements along
the railway that use them:
place ids, place names and railway stretches `a..b` between connected stations, dated in
the EDTF forms a historian writes (days, day and month intervals, months, seasons, years,
approximate `~` and uncertain `?` dates) between August 1918 and October 1922. The records
are plausible in shape and length, not in history: every source says it is synthetic, and
every record says (`control`, `note`) that it was not checked against the chronology.

The same source, `n` and seed always give byte-identical files, written together through
`outputs.Batch` (all or none). `n` runs from 1 to `MAX_EVENTS` (1,000,000): each event is
about 460 bytes of CSV, so the largest set's events.csv (~460 MB) stays below the size the
loader reads (`load.MAX_FILE_BYTES`, 512 MiB). The records are written as they are drawn,
row by row, so memory stays small whatever `n`.

An output directory that already holds a data set (any of its file names) is refused unless
`force=True` (`--force`): then the whole set is replaced in that one batch, the tables this
run does not write (a bibliography, gaps, a story...) removed with it, so no mix of two data
sets is ever left.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
from collections import deque
from pathlib import Path

from .data import timeline
from .errors import ArgumentError, DataError, Problem
from .output.files.outputs import Batch, OutputError, from_os_error
from .data.gazetteer import STRETCH, Gazetteer, normalise
from .data.load import OPTIONAL_COLUMNS
from .data.load import (AUTHORITIES, BASEMAP_DIR, CONTINGENTS, CONTROL, DATASET, EVENTS,
                   MAX_FILE_BYTES, MOVEMENTS, PLACES, PRESENCE, RAILWAYS, REQUIRED_COLUMNS, FeatureFile, RawDataset, Table, _read_features,
                   _read_json_object, _read_table)
from .data.schema import MOVEMENT_KINDS
from .data.validate import validate

FIRST = timeline.month_number(1918, 8)
LAST = timeline.month_number(1922, 10)
PRESENCE_SHARE = 5  # one presence record per this many events
MAX_EVENTS = 1_000_000
MOVEMENT_SHARE = 100  # one movement per this many events
MAX_HOPS = 6  # railway stretches run over at most this many segments

EVENT_COLUMNS = ("id", "date", "where", "contingents", "kind", "title", "description",
                 "source", "note", "control")
PRESENCE_COLUMNS = ("id", "contingent", "where", "date", "strength", "note", "source",
                    "control")
MOVEMENT_COLUMNS = ("id", "contingent", "from", "to", "via", "date", "kind", "note", "source",
                    "control")
# Random records stand where the real chronology says the other side held the line; they
# say so, as a record must (see chronology.py), rather than being left out of the check.
UNCHECKED = "Synthetic record, not checked against the control chronology."

# How often events land at a place of each kind (stations and cities carry the war).
KIND_WEIGHT = {"city": 6, "town": 3, "port": 3, "station": 2}
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11)}  # winter is left out: EDTF libraries
# disagree on whether it runs into the next year.

EVENT_KINDS = ("arrival", "battle", "capture", "deployment", "withdrawal", "political",
               "incident", "landing", "agreement", "evacuation", "other")
ACTIONS = {
    "arrival": ("echelon arrives at", "reinforcements reach", "staff train pulls into"),
    "battle": ("fights a rearguard action near", "repulses a partisan attack at",
               "engages a Red column near", "holds the line at"),
    "capture": ("takes", "occupies the station at", "seizes the depot at"),
    "deployment": ("posts a guard at", "deploys a battalion to", "garrisons"),
    "withdrawal": ("pulls back from", "evacuates the garrison of", "hands over"),
    "political": ("negotiates with the town council of", "proclaims martial law in",
                  "meets the local zemstvo at"),
    "incident": ("armoured train derailed near", "sentries fired on at",
                 "typhus breaks out among the troops at"),
    "landing": ("lands stores at", "disembarks a company at"),
    "agreement": ("signs a local truce at", "agrees a railway protocol at"),
    "evacuation": ("evacuates refugees from", "moves the wounded out of"),
    "other": ("reports on conditions at", "inspects the works at", "requisitions fuel at"),
}
SENTENCES = (
    "The {who} detachment reached {where} after {days} days on the line, short of fuel and fodder.",
    "Partisans had cut the telegraph twice that week, and the garrison at {where} was on half "
    "rations.",
    "A company of about {men} men held the station buildings while the track was repaired.",
    "Local officials complained that requisitioned wagons were not returned.",
    "The weather had closed the roads, so everything moved by rail.",
    "Reports from {where} reached headquarters only {days} days later.",
    "The commander wrote that the Red forces were {adverb} organised than expected.",
    "Prisoners taken at {where} were handed over to the White authorities.",
    "Coal from the Suchan mines ran short and several trains were stopped.",
    "An armoured train covered the withdrawal, firing on the hills above the line.",
    "Refugees crowded the platforms, and a typhus barracks was set up in a goods shed.",
    "The Inter-Allied Railway Committee's inspectors passed through {where} the same month.",
)
ADVERBS = ("better", "worse", "far better", "much less")
SOURCES = (
    "John Ward, With the \"Die-Hards\" in Siberia (1920), ch. {ch}",
    "William S. Graves, America's Siberian Adventure (1931), ch. {ch}",
    "Siberian intervention (article), § Participants › {who}",
    "Report of the Inter-Allied Railway Committee, vol. {ch}, p. {page}",
    "Betty Miller Unterberger, America's Siberian Expedition (1956), pp. {page}-{page2}",
    "Paul Dotsenko, The Struggle for a Democracy in Siberia (1983), ch. {ch}",
)
STRENGTHS = ("{n:,}", "about {n:,}", "{n:,} (ration strength)", "one battalion", "two companies",
             "a regiment", "")
NOTES = ("railway guard", "garrison", "winter quarters", "reserve behind the front",
         "escort of supply trains", "")


# Every file name that makes a directory a data set: one of them in --out means a data set
# would be overwritten in part.
DATA_FILES = (PLACES, RAILWAYS, CONTINGENTS, EVENTS, PRESENCE, DATASET, *OPTIONAL_COLUMNS)


def existing_data(out_dir: str | Path) -> list[str]:
    """The data set files already in `out_dir` (a basemap folder counts too)."""
    out_dir = Path(out_dir)
    found = [name for name in DATA_FILES if os.path.lexists(out_dir / name)]
    if (out_dir / BASEMAP_DIR).is_dir() and any((out_dir / BASEMAP_DIR).iterdir()):
        found.append(BASEMAP_DIR + "/")
    return found


def check_out(out_dir: str | Path, force: bool, shown: str | None = None) -> None:
    """OutputError if `out_dir` holds a data set and `force` is not given."""
    found = existing_data(out_dir) if os.path.isdir(out_dir) else []
    if found and not force:
        listed = ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")
        raise OutputError(shown or out_dir, f"it already holds a data set ({listed})",
                          "give --force to replace that whole data set, or choose an "
                          "empty directory")


def generate(data_dir: str | Path, out_dir: str | Path, n: int, seed: int = 1918,
             force: bool = False) -> dict:
    """Write a synthetic data set with `n` events to `out_dir`; return what was written.

    `out_dir` must not hold a data set yet unless `force` is true; then every file of the
    old set is replaced or removed in one batch.

    Raises DataError when `data_dir` has no usable places or contingents yet, or when its
    places, railways or contingents have problems (a synthetic set over them would not
    validate either).
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    check_n(n)
    if out_dir.exists() and data_dir.exists() and out_dir.resolve() == data_dir.resolve():
        raise DataError([Problem(str(out_dir), "", "--out", str(out_dir),
                                 "a directory other than the source data set")])
    check_out(out_dir, force)
    source = _Source(data_dir)
    rng = random.Random(seed)
    # Drawn as they are written, in this order (events, presence, then movements, so that
    # adding movements left the records of a seed as they were).
    counts = {EVENTS: n, PRESENCE: max(1, n // PRESENCE_SHARE),
              MOVEMENTS: n // MOVEMENT_SHARE if source.stations else 0}
    events = (_event(i, source, rng) for i in range(counts[EVENTS]))
    presence = (_presence(i, source, rng) for i in range(counts[PRESENCE]))
    moves = (_movement(i, source, rng) for i in range(counts[MOVEMENTS]))

    meta = {
        "title": f"A synthetic campaign: {n:,} events (seed {seed})",
        "subtitle": "Random records over real places and railways, for tests and benchmarks; "
                    "not history.",
        "citation": "Generated by `siberia-map synth`.",
        "first_month": timeline.month_key(FIRST),
        "last_month": timeline.month_key(LAST),
    }
    if source.bounds:
        meta["bounds"] = source.bounds
    with Batch() as batch:
        for name in (PLACES, RAILWAYS, CONTINGENTS):
            batch.write(out_dir / name, source.files[name])
        _copy_basemap(data_dir / BASEMAP_DIR, out_dir / BASEMAP_DIR, batch)
        _write_csv(batch, out_dir / EVENTS, EVENT_COLUMNS, events)
        _write_csv(batch, out_dir / PRESENCE, PRESENCE_COLUMNS, presence)
        for name in (AUTHORITIES, CONTROL):
            if name in source.chronology:
                batch.write(out_dir / name, source.chronology[name])
        if counts[MOVEMENTS]:
            _write_csv(batch, out_dir / MOVEMENTS, MOVEMENT_COLUMNS, moves)
        written = {*source.chronology, *([MOVEMENTS] if counts[MOVEMENTS] else [])}
        for name in OPTIONAL_COLUMNS:  # the old set's other tables go with it
            if name not in written and os.path.lexists(out_dir / name):
                batch.remove(out_dir / name)
        batch.write(out_dir / DATASET, json.dumps(meta, indent=2, sort_keys=True,
                                                  ensure_ascii=False, allow_nan=False) + "\n")
    return {"events": counts[EVENTS], "presence": counts[PRESENCE],
            "movements": counts[MOVEMENTS],
            "control rows": source.control_rows, "places": len(source.places),
            "railway segments": source.segments, "contingents": len(source.contingents)}


def check_n(n: int) -> None:
    """Refuse a number of events this generator cannot handle (see MAX_EVENTS)."""
    if not 1 <= n <= MAX_EVENTS:
        raise ArgumentError(f"N={n}: synth writes from 1 to {MAX_EVENTS:,} events (a larger "
                            "set would not load: its events.csv would pass the loader's "
                            f"{MAX_FILE_BYTES // (1024 * 1024):,} MiB limit); choose a "
                            "smaller N")


def output_files(data_dir: str | Path) -> list[str]:
    """The files `generate` writes, relative to its output directory."""
    folder = Path(data_dir) / BASEMAP_DIR
    basemap = sorted(f"{BASEMAP_DIR}/{p.name}" for p in folder.iterdir()
                     if p.is_file()) if folder.is_dir() else []
    return [PLACES, RAILWAYS, CONTINGENTS, EVENTS, PRESENCE, DATASET, AUTHORITIES, CONTROL,
            MOVEMENTS, *basemap]


class _Source:
    """The source data set's places, stations and contingents, checked."""

    def __init__(self, root: Path):
        problems: list[Problem] = []
        if not root.is_dir():
            raise DataError([Problem(str(root), "", "", str(root), "a data set directory")])
        places = _read_features(root, PLACES, problems)
        if (root / RAILWAYS).exists():
            railways = _read_features(root, RAILWAYS, problems)
        else:
            railways = None
        contingents = _read_table(root, CONTINGENTS, problems)
        meta = (_read_json_object(root / DATASET, DATASET, problems)
                if (root / DATASET).exists() else {})
        if not problems and not places.features:
            problems.append(Problem(PLACES, "", "features", "no places", "at least one place "
                                    "to put synthetic records at (is the data set still being "
                                    "filled in?)"))
        if problems:
            raise DataError(problems)
        self.files = {name: (root / name).read_bytes() for name in (PLACES, CONTINGENTS)}
        self.files[RAILWAYS] = ((root / RAILWAYS).read_bytes() if railways is not None
                                else b'{"type": "FeatureCollection", "features": []}\n')
        # The real chronology comes along whole, so the benchmark draws the control layer.
        self.chronology = {name: (root / name).read_bytes() for name in (AUTHORITIES, CONTROL)
                           if railways is not None and (root / AUTHORITIES).is_file()
                           and (root / CONTROL).is_file()}
        self.control_rows = max(0, self.chronology.get(CONTROL, b"").count(b"\n") - 1)
        railways = railways or FeatureFile(RAILWAYS, [])
        empty = {name: Table(name, list(REQUIRED_COLUMNS[name]), [], [])
                 for name in (EVENTS, PRESENCE)}
        raw = RawDataset(root, places, railways, contingents, empty[EVENTS], empty[PRESENCE],
                         meta or {}, {})
        errors = [p for p in validate(raw) if p.severity == "error"]
        if errors:
            raise DataError(errors)

        self.bounds = (meta or {}).get("bounds")
        self.contingents = [row["id"] for row in contingents.rows]
        self.contingent_names = {row["id"]: row["name"].split(" (")[0] for row in contingents.rows}
        self.places, weights = [], []
        self.names: dict[str, str] = {}
        for feat in places.features:
            p = feat["properties"]
            self.places.append(p["id"])
            self.names[p["id"]] = p["name"]
            weights.append(KIND_WEIGHT.get(p.get("kind"), 1))
        self.place_weights = _cumulative(weights)
        gaz = Gazetteer({f["properties"]["id"]: (f["properties"]["name"],
                                                 [str(x) for x in f["properties"].get("names", [])])
                         for f in places.features}, {})
        # A place may be cited by its name when the name finds it and nothing else.
        self.by_name = {pid: name for pid, name in self.names.items()
                        if STRETCH not in name and gaz.by_name.get(normalise(name)) == [pid]
                        and (name not in self.names or name == pid)}
        self.segments = len(railways.features)
        self.graph: dict[str, list[str]] = {}
        for feat in railways.features:
            a, b = feat["properties"]["from"], feat["properties"]["to"]
            if a != b:
                self.graph.setdefault(a, []).append(b)
                self.graph.setdefault(b, []).append(a)
        self.stations = list(self.graph)
        self.reach = {s: _within(self.graph, s, MAX_HOPS) for s in self.stations}
        self.month_weights = _cumulative([_month_weight(m) for m in range(FIRST, LAST + 1)])

    def place(self, rng) -> str:
        return rng.choices(self.places, cum_weights=self.place_weights)[0]

    def stretch(self, rng) -> tuple[str, str] | None:
        if not self.stations:
            return None
        a = rng.choice(self.stations)
        return a, rng.choice(self.reach[a])

    def month(self, rng) -> int:
        return FIRST + rng.choices(range(LAST - FIRST + 1), cum_weights=self.month_weights)[0]


def _within(graph: dict[str, list[str]], start: str, hops: int) -> list[str]:
    """Stations 1..hops segments from `start`, nearest first (breadth-first, file order)."""
    seen, out, queue = {start: 0}, [], deque([start])
    while queue:
        node = queue.popleft()
        if seen[node] == hops:
            continue
        for nxt in graph[node]:
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                out.append(nxt)
                queue.append(nxt)
    return out


def _month_weight(m: int) -> int:
    # The intervention is densest in its first year and thins out after the 1920 withdrawals.
    year = m // 12
    return 4 if year <= 1919 else 2 if year == 1920 else 1


def _cumulative(weights: list[int]) -> list[int]:
    out, total = [], 0
    for w in weights:
        total += w
        out.append(total)
    return out


def _ym(m: int) -> tuple[int, int]:
    return m // 12, m % 12 + 1


def _days(m: int) -> int:
    y, mo = _ym(m)
    return (dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.date(y, mo, 1)).days


def _day(m: int, d: int) -> str:
    y, mo = _ym(m)
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _event_date(m: int, rng) -> str:
    r = rng.random()
    key = timeline.month_key(m)
    if r < 0.33:
        return _day(m, rng.randint(1, _days(m)))
    if r < 0.48:  # a span of days, possibly running into the next month
        start = dt.date(*_ym(m), rng.randint(1, _days(m)))
        end = start + dt.timedelta(days=rng.randint(1, 21))
        if timeline.month_number(end.year, end.month) > LAST:
            return start.isoformat()
        return f"{start.isoformat()}/{end.isoformat()}"
    if r < 0.66:
        return key
    if r < 0.74:  # a span of months
        end = min(LAST, m + rng.randint(1, 5))
        return f"{key}/{timeline.month_key(end)}"
    if r < 0.84:
        return _day(m, rng.randint(1, _days(m))) + "~"
    if r < 0.90:
        return key + "~"
    if r < 0.93:
        return key + "?"
    y, mo = _ym(m)
    if r < 0.98:  # the season of the month, when all of it lies in the data set's months
        for code, (a, b) in SEASON_MONTHS.items():
            if a <= mo <= b and _inside(y, a, b):
                return f"{y:04d}-{code}"
        return key
    return f"{y:04d}" if _inside(y, 1, 12) else key


def _inside(year: int, first: int, last: int) -> bool:
    return timeline.month_number(year, first) >= FIRST and timeline.month_number(year, last) <= LAST


def _presence_date(m: int, rng) -> str:
    end = min(LAST, m + rng.randint(0, 11))
    r = rng.random()
    if r < 0.5:
        return f"{timeline.month_key(m)}/{timeline.month_key(end)}"
    if r < 0.8:
        if end == m:
            return f"{_day(m, 1)}/{_day(m, _days(m))}"
        return f"{_day(m, rng.randint(1, _days(m)))}/{_day(end, rng.randint(1, _days(end)))}"
    if r < 0.9:
        return f"{timeline.month_key(m)}~/{timeline.month_key(end)}"
    return timeline.month_key(m)


def _where(source: _Source, rng, stretch_share: float) -> tuple[str, str]:
    """(where as written, where in words)."""
    if rng.random() < stretch_share:
        pair = source.stretch(rng)
        if pair:
            a, b = pair
            return f"{a}{STRETCH}{b}", f"the {source.names[a]} \u2013 {source.names[b]} railway"
    pid = source.place(rng)
    if pid in source.by_name and rng.random() < 0.15:
        return source.by_name[pid], source.names[pid]
    return pid, source.names[pid]


def _source_text(rng, who: str) -> str:
    text = rng.choice(SOURCES).format(ch=rng.randint(1, 24), page=rng.randint(10, 380),
                                      page2=rng.randint(381, 420), who=who)
    return f"Synthetic record; style of: {text}"


def _description(rng, who: str, where: str) -> str:
    picks = rng.sample(SENTENCES, rng.randint(1, 3))
    return " ".join(s.format(who=who, where=where, days=rng.randint(2, 12),
                             men=rng.randint(2, 40) * 50, adverb=rng.choice(ADVERBS))
                    for s in picks)


def _event(i: int, source: _Source, rng) -> list[str]:
    m = source.month(rng)
    where, where_words = _where(source, rng, 0.35)
    k = rng.choices((0, 1, 2, 3), cum_weights=(4, 74, 94, 100))[0]
    cids = rng.sample(source.contingents, min(k, len(source.contingents)))
    who = source.contingent_names[cids[0]] if cids else "Allied"
    kind = rng.choice(EVENT_KINDS)
    title = f"{who}: {rng.choice(ACTIONS[kind])} {where_words}"
    note = "Day uncertain; placed by the nearest dated report. " if rng.random() < 0.08 else ""
    date = _event_date(m, rng)
    return [f"synth-e{i + 1:06d}", date, where, ";".join(cids), kind, title,
            _description(rng, who, where_words), _source_text(rng, who), note + UNCHECKED,
            _excused(date)]


def _presence(i: int, source: _Source, rng) -> list[str]:
    m = source.month(rng)
    where, where_words = _where(source, rng, 0.6)
    cid = rng.choice(source.contingents)
    strength = rng.choice(STRENGTHS).format(n=rng.randint(1, 120) * 100)
    note = rng.choice(NOTES)
    date = _presence_date(m, rng)
    return [f"synth-p{i + 1:06d}", cid, where, date, strength,
            f"{note}. {UNCHECKED}" if note else UNCHECKED,
            _source_text(rng, source.contingent_names[cid]), _excused(date)]


def _movement(i: int, source: _Source, rng) -> list[str]:
    a, b = source.stretch(rng)
    m = source.month(rng)
    start = dt.date(*_ym(m), rng.randint(1, _days(m)))
    last = dt.date(*_ym(LAST), _days(LAST))
    end = min(start + dt.timedelta(days=rng.randint(5, 60)), last)
    if end <= start:
        start = end - dt.timedelta(days=5)
    cid = rng.choice(source.contingents)
    date = f"{start.isoformat()}/{end.isoformat()}"
    return [f"synth-m{i + 1:06d}", cid, a, b, "", date, rng.choice(MOVEMENT_KINDS), UNCHECKED,
            _source_text(rng, source.contingent_names[cid]), _excused(date)]


def _excused(date: str) -> str:
    """A dated exception over the record's whole date: random records are not history, and
    say so (UNCHECKED) rather than being left out of the month-by-month check."""
    return f"transit@{date}"


def _write_csv(batch: Batch, path: Path, columns, rows) -> None:
    """Stage `path` and write the header and `rows` (drawn one by one) into it."""
    tmp = batch.stage(path)
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(columns)
            w.writerows(rows)
    except OSError as exc:
        raise from_os_error(path, exc) from None


def _copy_basemap(src: Path, dst: Path, batch: Batch) -> None:
    """Copy the basemap files; drop ones a previous run left that the source lacks."""
    names = sorted(p.name for p in src.iterdir() if p.is_file()) if src.is_dir() else []
    if dst.is_dir():
        for p in dst.iterdir():
            stale = p.suffix == ".geojson" or p.name == "_meta.json"
            if p.is_file() and stale and p.name not in names:
                batch.remove(p)
    for name in names:
        batch.write(dst / name, (src / name).read_bytes())

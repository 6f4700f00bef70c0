"""Join events and presence to places and railway stretches, with their months.

`join(raw)` expects a data set that `validate` passed, and returns GeoDataFrames (WGS84)
that `render` and `export` share: every record carries its resolved geometry, its first and
last month number and its date in words.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, shape
from shapely.ops import linemerge

from ..data import calendars
from ..data import timeline
from ..data.movements import route, split_via
from ..data.story import BOUNDS, parse_bounds
from . import territory
from .dataset import CRS, MOVEMENT_COLUMNS, SOURCE_COLUMNS, STORY_COLUMNS, Dataset
from ..errors import DataError, Problem
from ..data.gazetteer import Gazetteer, line_km
from ..data.load import EVENTS, RawDataset, consequence, read, set_aside_unreadable
from ..data.schema import STORY_FROM_MONTH, split_ids
from ..data.validate import Checked, check, chronology


def prepare(root: str | Path, warnings: list[Problem] | None = None, *,
            text_objects: bool = False) -> Dataset:
    """load -> validate -> join; raises DataError with every problem found.

    Problems of severity "warning" do not stop the join; they go into `warnings` if given.
    A file that cannot be read does not stop the checks of the others: all are reported.
    `text_objects`: see `join`."""
    raw, checked, found = read_and_check(root)
    problems = [p for p in found if p.severity == "error"]
    if warnings is not None:
        warnings.extend(p for p in found if p.severity != "error")
    if problems:
        raise DataError(problems)
    return join(raw, checked, text_objects=text_objects)


def read_and_check(root: str | Path, details: dict | None = None):
    """(raw, checked, problems): every file that can be read, checked; the problems of the
    unreadable ones first, then the checks of the rest without their mere consequences."""
    raw, unreadable = read(root)
    broken = set_aside_unreadable(raw, unreadable)
    checked = check(raw, details)
    return raw, checked, unreadable + [p for p in checked.problems if not consequence(p, broken)]


def join(raw: RawDataset, checked: Checked | None = None, *,
         text_objects: bool = False) -> Dataset:
    """The joined data set; `checked` (from `validate.check`) saves building the railway
    graph, resolving every `where` and reading the control chronology a second time.

    With `text_objects` the records' text columns are object columns holding the loaded
    strings themselves, not pandas' own (Arrow) strings, a copy of every text: at a million
    records that copy, and the Python strings read back out of it, cost about 2 GB. `build`
    asks for it; exports keep pandas' string type, which their files record."""
    places = _places(raw)
    railways = _railways(raw)
    if checked is not None:
        gaz = checked.gazetteer
    else:
        gaz = Gazetteer({r.id: (r.name, list(r.names)) for r in places.itertuples()},
                        {r.id: (r["from"], r["to"], line_km(list(r.geometry.coords)))
                         for _, r in railways.iterrows()})
    geoms = dict(zip(places["id"], places.geometry))
    lines = dict(zip(railways["id"], railways.geometry))
    names = dict(zip(places["id"], places["name"]))
    cache: dict[str, tuple] = {}

    def locate(where: str):
        if not where:  # an event with no place on the map (validate allows it for events only)
            return None, "", ""
        if where not in cache:
            r = gaz.resolve(where)
            if r.kind == "place":
                cache[where] = (geoms[r.place], names[r.place], r.place)
            else:
                cache[where] = (_stretch(r.steps, lines),
                                f"{names[r.start]} \u2013 {names[r.end]} (railway)",
                                f"{r.start}..{r.end}")
        return cache[where]

    contingents = pd.DataFrame(raw.contingents.rows, columns=raw.contingents.columns).fillna("")
    events = _records(raw.events.rows, "event", locate, text_objects=text_objects)
    presence = _records(raw.presence.rows, "presence", locate, raw.presence.lines,
                        text_objects)
    moves = _movements(raw.movements, gaz, lines, names)
    months = [m for df in (events, presence, moves) for m in (*df["m0"], *df["m1"])]
    months += [timeline.parse_month_key(raw.meta[key])
               for key in ("first_month", "last_month") if raw.meta.get(key)]
    if not months:
        raise DataError([Problem(EVENTS, "", "", "no rows",
                                 "at least one dated event or presence record")])
    first, last = min(months), max(months)
    chron = None
    if raw.control is not None and raw.authorities is not None:
        chron = checked.chronology if checked is not None else None
        if chron is None or (chron.first, chron.last) != (first, last):
            chron = chronology(raw, {pid: {"name": n} for pid, n in names.items()}, gaz,
                               (first, last), [])
    control = territory.build(chron, raw.authorities, railways, places, raw.basemap)
    sources = pd.DataFrame(raw.sources.rows if raw.sources is not None else [],
                           columns=raw.sources.columns if raw.sources is not None
                           else list(SOURCE_COLUMNS), dtype=object).fillna("")
    return Dataset(places, railways, contingents, events, presence, first, last,
                   dict(raw.meta), dict(raw.basemap), moves, control.holds,
                   control.authorities, control.territory, sources,
                   _chapters(raw.story, geoms))


def _places(raw) -> gpd.GeoDataFrame:
    rows = []
    for feat in raw.places.features:
        p = dict(feat["properties"])
        p.setdefault("names", [])
        p["geometry"] = shape(feat["geometry"])
        rows.append(p)
    df = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    for col, default in (("modern_name", ""), ("note", ""), ("label", False),
                         ("precision_km", None), ("geonames_id", None)):
        if col not in df:
            df[col] = default
    df["label"] = [False if v is None or v != v else bool(v) for v in df["label"]]
    for col in ("modern_name", "note"):  # free text; a missing or numeric value shows as text
        df[col] = ["" if v is None or v != v else str(v) for v in df[col]]
    return df


def _railways(raw) -> gpd.GeoDataFrame:
    rows = [{**feat["properties"], "geometry": shape(feat["geometry"])}
            for feat in raw.railways.features]
    if not rows:  # a campaign without railways (GeoDataFrame([]) has no geometry column)
        return gpd.GeoDataFrame({"id": [], "line": [], "from": [], "to": [], "source": []},
                                geometry=[], crs=CRS)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def _stretch(steps, lines) -> LineString:
    coords: list = []
    for sid, rev in steps:
        seg = list(lines[sid].coords)
        seg = seg[::-1] if rev else seg
        coords.extend(seg if not coords else seg[1:])
    merged = linemerge([LineString(coords)])
    return merged if merged.geom_type == "LineString" else LineString(coords)


def _movements(table, gaz, lines: dict, names: dict) -> gpd.GeoDataFrame:
    """Each journey of `movements.csv` routed over the railway: `Dataset.movements`."""
    data: dict[str, list] = {c: [] for c in MOVEMENT_COLUMNS}
    for row in (table.rows if table is not None else []):
        span = timeline.parse(row["date"])
        r = route(gaz, row["from"], row["to"], split_via(row.get("via", "")))
        values = {
            "id": row["id"], "contingent": row["contingent"], "kind": row["kind"],
            "from": row["from"], "to": row["to"], "via": row.get("via", ""),
            "date": row["date"], "calendar": calendars.calendar_of(row),
            "date_as_written": row.get("date_as_written") or "",
            "when": calendars.when(span.label, row), "note": row.get("note", ""),
            "source": row.get("source", ""), "m0": span.first_month, "m1": span.last_month,
            "approximate": span.approximate, "uncertain": span.uncertain,
            "uncertainty": span.qualifier_note,
            "label": f"{names[row['from']]} \u2013 {names[row['to']]}",
            "geometry": _stretch(r.steps, lines),
        }
        for c in MOVEMENT_COLUMNS:
            data[c].append(values[c])
    return gpd.GeoDataFrame(data, columns=list(MOVEMENT_COLUMNS), geometry="geometry", crs=CRS)


# A chapter fitted to one town would zoom in to street level: a view spans at least this
# many degrees each way, and a margin around the places keeps them off the edges.
MIN_SPAN = 3.0
MARGIN = 0.1


def _chapters(table, geoms: dict) -> pd.DataFrame:
    """The checked chapters of `story.csv` with their month numbers and view bounds
    (`[[s, w], [n, e]]`): `Dataset.story`. `geoms` maps place id -> shapely geometry."""
    rows = []
    # The chapter in other languages (`title_ru`, `text_fr`), as the data has it.
    translated = [c for c in (table.columns if table is not None else [])
                  if c.startswith(("title_", "text_"))]
    for row in (table.rows if table is not None else []):
        view = row["view"]
        if view.startswith(BOUNDS):
            bounds = parse_bounds(view)
        else:
            boxes = [geoms[pid].bounds for pid in split_ids(view)]
            bounds = _padded(min(b[1] for b in boxes), min(b[0] for b in boxes),
                             max(b[3] for b in boxes), max(b[2] for b in boxes))
        rows.append({"id": row["id"], "title": row["title"],
                     "month": timeline.parse_month_key(row["month"]),
                     "from_month": (timeline.parse_month_key(row[STORY_FROM_MONTH])
                                    if (row.get(STORY_FROM_MONTH) or "").strip() else None),
                     "bounds": bounds,
                     "contingents": split_ids(row.get("contingents", "")),
                     "highlight": split_ids(row.get("highlight", "")),
                     "text": row["text"], "source": row["source"],
                     **{c: row.get(c) or "" for c in translated}})
    story = pd.DataFrame(rows, columns=[*STORY_COLUMNS, *translated])
    # Object, not float: a chapter without a range keeps None, not NaN, and the others ints.
    story["from_month"] = pd.Series([r["from_month"] for r in rows], dtype=object)
    return story


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


def _records(rows, kind, locate, lines=None, text_objects=False) -> gpd.GeoDataFrame:
    # Built column by column (a list of row dicts made pandas box every cell), each distinct
    # date, place and contingent list worked out once: large chronologies repeat them, and
    # rows that share one share its (never changed) values.
    columns = ["id", "type", "date", "calendar", "date_as_written", "when", "m0", "m1",
               "contingents", "where", "where_id",
               "where_label", "approximate", "uncertain", "uncertainty", "sort", "source",
               "geometry"]
    if not rows:
        return gpd.GeoDataFrame([], columns=columns, geometry="geometry", crs=CRS)
    dates: dict[str, tuple] = {}
    for date in {row["date"] for row in rows}:
        span = timeline.parse(date)
        dates[date] = (span.first_month, span.last_month, span.label, span.approximate,
                       span.uncertain, span.qualifier_note,
                       f"{span.first[0]:04d}-{span.first[1]:02d}-{span.first[2]:02d}")
    derived = dict(zip(("m0", "m1", "when", "approximate", "uncertain", "uncertainty", "sort"),
                       (list(c) for c in zip(*[dates[row["date"]] for row in rows]))))
    places = {where: locate(where) for where in {row["where"] for row in rows}}
    derived.update(zip(("geometry", "where_label", "where_id"),
                       (list(c) for c in zip(*[places[row["where"]] for row in rows]))))
    if kind == "presence":
        derived["id"] = [row.get("id") or f"presence-{line}" for row, line in zip(rows, lines)]
        derived["contingents"] = [[row["contingent"]] for row in rows]
    else:
        derived["id"] = [row.get("id", _MISSING) for row in rows]
        lists: dict[str, list[str]] = {}
        derived["contingents"] = [lists[text] if text in lists else
                                  lists.setdefault(text, split_ids(text))
                                  for text in (row.get("contingents", "") for row in rows)]
    derived["type"] = [kind] * len(rows)
    # A Julian row's words also say its Old Style date: "14 June 1919 (1 June O.S.)".
    # (Only rows that have one pay for it: 100,000 Gregorian rows add nothing measurable.)
    written = [row.get("date_as_written") for row in rows]
    if any(written):
        derived["when"] = [calendars.when(d[2], row) if w else d[2] for d, w, row in
                           zip((dates[row["date"]] for row in rows), written, rows)]
    derived["calendar"] = [calendars.calendar_of(row) if row.get("calendar")
                           else calendars.GREGORIAN for row in rows]
    derived["date_as_written"] = [w or "" for w in written]
    keys = set().union(*rows) | set(derived)
    order = columns + sorted(keys - set(columns))
    data = {k: derived[k] if k in derived else [r.get(k, _MISSING) for r in rows] for k in order}
    if text_objects:
        data = {k: v if k in _TYPED else pd.Series(v, dtype=object) for k, v in data.items()}
    return gpd.GeoDataFrame(data, columns=order, geometry="geometry", crs=CRS)


# The columns whose type pandas infers as it always has (numbers, flags, geometry).
_TYPED = ("m0", "m1", "approximate", "uncertain", "geometry")


_MISSING = float("nan")

"""Pure checks over a loaded data set: every problem, each naming file, row, field and value.

Nothing here reads files, prints or raises; `validate(raw)` returns the list of problems so
the CLI can show them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import shape
from shapely.validation import explain_validity

from . import calendars, cells, citations, gaps, movements, story, strength, strict, timeline
from .control.chronology import Chronology, check_authorities, railway_stations, station_shares
from .control.conflicts import conflict_problems, record_conflicts, record_tables
from ..errors import Problem
from .gazetteer import Gazetteer, WhereProblem, line_km
from .load import CONTROL, EVENTS, PRESENCE, RawDataset, Table
from .schema import (COLOUR, COLOUR_MESSAGE, PLACE_NAME_LANGS, SIDES, TRANSLATED_META, check_id,
                     feature_at, first_use, one_of, row_at, split_ids)
from .slider import slider_range
WGS84 = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326",
         "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:4326", "CRS84", "OGC:CRS84")
PLACE_GEOMETRIES = ("Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString")
# How far a railway segment's end may lie from its station: a 1918 station and a modern
# town centre can be a few km apart, but more means the segment belongs elsewhere.
ENDPOINT_KM = 15.0


@dataclass
class Checked:
    """What `check` worked out and `join` reuses instead of working it out again: the
    gazetteer (railway graph built once, each distinct `where` resolved once) and the
    control chronology (None without control.csv)."""

    problems: list[Problem]
    gazetteer: Gazetteer
    chronology: Chronology | None = None


def validate(raw: RawDataset, details: dict | None = None) -> list[Problem]:
    """Every problem of the data set. `details`, if given, receives what `report` counts:
    `sources` (the bibliography by key), `conflicts` (every record/control conflict, explained
    ones too) and `explanations` (gaps.csv intervals by contingent)."""
    return check(raw, details).problems


def check(raw: RawDataset, details: dict | None = None) -> Checked:
    """`validate`'s problems, with the gazetteer and chronology built to find them."""
    # Explained conflicts are worked out only for a caller that reads them (`report`).
    explained = details is not None
    details = {} if details is None else details
    problems: list[Problem] = []
    chron = None
    strict.check_place_types(raw.places.name, raw.places.features, problems)
    places = _check_places(raw, problems)
    segments = _check_railways(raw, places, problems)
    gaz = Gazetteer({pid: (p["name"], p["names"]) for pid, p in places.items()}, segments)
    contingents = _check_contingents(raw.contingents, problems)
    ids: dict[str, str] = {}
    dated: list[tuple[str, str, str, int, int]] = []
    for table in (raw.events, raw.presence):
        _check_records(table, gaz, contingents, ids, problems, dated)
    span, slider = slider_range(raw, dated, problems)  # the one cause of a bad range first
    if raw.sources is not None:
        sources = citations.check_sources(raw.sources, problems)
        details["sources"] = sources
        citations.check_tables(cited_tables(raw), sources, problems)
        citations.check_tables([raw.story], sources, problems)
    citations.check_links([raw.sources, raw.contingents, raw.events, raw.presence,
                           raw.movements, raw.control, raw.gaps, raw.story, raw.authorities],
                          problems)
    citations.check_feature_links([raw.places, raw.railways], feature_id, problems)
    problems.extend(movements.check(raw.movements, gaz, contingents, span, ids))
    for table in (raw.events, raw.presence, raw.movements):
        calendars.check(table, problems)
    strength.check(raw.presence, problems)
    problems.extend(story.check(raw, set(places), contingents, slider))
    if raw.control is not None and None not in slider:
        chron = chronology(raw, places, gaz, slider, problems)
        chron.coverage(problems)
        details["conflicts"] = _check_conflicts(raw, chron, problems, explained)
    elif raw.authorities is not None:
        check_authorities(raw.authorities, problems)
    if raw.gaps is not None:
        explanations = details["explanations"] = gaps.check_table(raw.gaps, contingents,
                                                                   problems, slider)
        # Records off the slider are named already; their gap months would only follow.
        lo, hi = slider
        found = gaps.find((r for r in gaps.raw_records(raw) if None in slider
                           or (lo <= r[1] and r[2] <= hi)), explanations)
        names = {r.get("id"): r.get("name", "") for r in raw.contingents.rows}
        problems.extend(gaps.problems_for(found, names))
    return Checked(problems, gaz, chron)


def cited_tables(raw: RawDataset) -> list[Table]:
    """The tables whose `source` cites sources.csv, when it exists."""
    tables = [raw.events, raw.presence, raw.contingents, raw.authorities, raw.control, raw.gaps,
              raw.movements]
    return [t for t in tables if t is not None]


def chronology(raw: RawDataset, places: dict[str, dict], gaz: Gazetteer, slider,
               problems: list[Problem]) -> Chronology:
    """The checked control chronology (authorities.csv is needed to read it)."""
    if raw.authorities is None:
        problems.append(Problem(CONTROL, "", "held_by", "authorities.csv", "an authorities.csv "
                                "beside control.csv naming every held_by"))
        authorities: dict[str, dict] = {}
    else:
        authorities = check_authorities(raw.authorities, problems)
    shares = station_shares(raw, places) if all("geom" in p for p in places.values()) else None
    return Chronology(raw, gaz, {pid: p["name"] for pid, p in places.items()},
                      railway_stations(raw, places), slider, authorities, problems, shares)


def _check_conflicts(raw: RawDataset, chron: Chronology, problems: list[Problem],
                     explained: bool = True) -> list:
    sides = {r.get("id"): r.get("side") for r in raw.contingents.rows}
    names = {r.get("id"): r.get("name", "") for r in raw.contingents.rows}
    found = record_conflicts(raw, chron, sides, problems, explained)
    rows = {(t.name, t.where(i)): row for t in record_tables(raw)
            for i, row in enumerate(t.rows)} if found else {}
    problems.extend(conflict_problems(found, chron, names, rows))
    return found


def feature_id(feature, i: int) -> str:
    return feature_at(i, feature)


def _geometry(file, where, feature, allowed, problems):
    geom = feature.get("geometry")
    if not isinstance(geom, dict) or geom.get("type") not in allowed:
        kind = geom.get("type") if isinstance(geom, dict) else geom
        problems.append(Problem(file, where, "geometry", kind, f"a geometry of type "
                                f"{' or '.join(allowed)}"))
        return None
    try:
        g = shape(geom)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        problems.append(Problem(file, where, "geometry.coordinates", str(exc)[:60],
                                "well-formed GeoJSON coordinates"))
        return None
    if g.is_empty:
        problems.append(Problem(file, where, "geometry", geom.get("type"), "a non-empty geometry"))
        return None
    if not g.is_valid:
        problems.append(Problem(file, where, "geometry", explain_validity(g), "a valid geometry"))
        return None
    return g


def _check_crs(ff, problems):
    if ff.crs is None:
        return
    name = ff.crs.get("properties", {}).get("name") if isinstance(ff.crs, dict) else ff.crs
    if name not in WGS84:
        problems.append(Problem(ff.name, "", "crs", name, "WGS84 longitude/latitude "
                                "(OGC:CRS84); reproject the file, e.g. ogr2ogr -t_srs EPSG:4326"))


def _features(ff, problems):
    """(where, feature, properties) of each feature that has a properties object."""
    _check_crs(ff, problems)
    for i, feat in enumerate(ff.features):
        where = feature_id(feat, i)
        props = feat.get("properties") if isinstance(feat, dict) else None
        if isinstance(props, dict):
            cells.check_json_text(ff.name, where, props, problems)
            yield where, feat, props
        else:
            problems.append(Problem(ff.name, where, "properties", props, "an object of properties"))


def _check_places(raw: RawDataset, problems) -> dict[str, dict]:
    ff, places, points, seen = raw.places, {}, [], {}
    bounds = _check_meta(raw.meta, problems)
    for where, feat, props in _features(ff, problems):
        pid = props.get("id")
        if not check_id(problems, ff.name, where, pid, seen):
            continue
        for key in ("name", "kind", "source"):
            if not isinstance(props.get(key), str) or not props[key].strip():
                problems.append(Problem(ff.name, where, key, props.get(key), "non-empty text"))
        for code in PLACE_NAME_LANGS:
            own = props.get(f"name_{code}")
            if own is not None and (not isinstance(own, str) or not own.strip()):
                problems.append(Problem(ff.name, where, f"name_{code}", own,
                                        "non-empty text (the place's name in that language), "
                                        "or no such property"))
        names = props.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            problems.append(Problem(ff.name, where, "names", names, "a list of strings"))
            names = []
        prec = props.get("precision_km")
        if prec is not None and (not isinstance(prec, (int, float)) or not 0 <= prec <= 20000):
            problems.append(Problem(ff.name, where, "precision_km", prec, "a number of km from "
                                    "0 to 20,000 (half the way round the Earth)"))
        g = _geometry(ff.name, where, feat, PLACE_GEOMETRIES, problems)
        if g is not None and _check_coords(ff.name, where, g, bounds, problems):
            points.append((where, g.representative_point()))
        places[pid] = {"name": str(props.get("name") or pid), "names": names, "geom": g}
    _check_hemisphere(ff.name, points, problems)
    return places


def _check_coords(file, where, g, bounds, problems) -> bool:
    minx, miny, maxx, maxy = g.bounds
    if not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
        swapped = -180 <= miny and maxy <= 180 and -90 <= minx and maxx <= 90
        problems.append(Problem(file, where, "geometry.coordinates", [round(minx, 4), round(miny, 4)],
                                "[longitude, latitude] within -180..180 and -90..90"
                                + ("; longitude and latitude look swapped" if swapped else "")))
        return False
    if bounds:
        (s, w), (n, e) = bounds
        if not (w <= minx and maxx <= e and s <= miny and maxy <= n):
            p = g.representative_point()
            swapped = w <= p.y <= e and s <= p.x <= n
            problems.append(Problem(file, where, "geometry.coordinates", [round(p.x, 4), round(p.y, 4)],
                                    f"a position inside the data set's bounds {bounds}"
                                    + ("; longitude and latitude look swapped" if swapped else "")))
            return False
    return True


def _check_hemisphere(file, points, problems):
    """A sign slip puts a town on the wrong side of the equator or meridian: flag the odd one out."""
    if len(points) < 5:
        return
    for axis, words in (("y", ("north", "south")), ("x", ("east", "west"))):
        signs = [getattr(p, axis) >= 0 for _, p in points]
        majority = sum(signs) * 2 > len(signs)
        if sum(s != majority for s in signs) > max(1, len(signs) // 10):
            continue
        for (where, p), s in zip(points, signs):
            if s != majority:
                problems.append(Problem(file, where, "geometry.coordinates",
                                        [round(p.x, 4), round(p.y, 4)],
                                        f"a position in the {words[0 if majority else 1]}ern "
                                        "hemisphere like the other places (a sign or "
                                        "longitude/latitude mix-up?)"))


def _check_railways(raw, places, problems) -> dict[str, tuple[str, str, float]]:
    ff, segments, seen = raw.railways, {}, {}
    for where, feat, props in _features(ff, problems):
        sid = props.get("id")
        # Railway ids name stretches ("omsk--tatarskaya"), so '--' is allowed: no slug.
        if not check_id(problems, ff.name, where, sid, seen, slug=False):
            continue
        for key in ("line", "source"):
            if not isinstance(props.get(key), str) or not props[key].strip():
                problems.append(Problem(ff.name, where, key, props.get(key), "non-empty text"))
        ends = []
        for key in ("from", "to"):
            if not isinstance(props.get(key), str) or props[key] not in places:
                problems.append(Problem(ff.name, where, key, props.get(key), "a place id from "
                                        "places.geojson"))
            else:
                ends.append(places[props[key]]["geom"])
        g = _geometry(ff.name, where, feat, ("LineString",), problems)
        if g is None or len(ends) < 2:
            continue
        coords = list(g.coords)
        _check_railway_ends(ff.name, where, props, ends, coords, problems)
        segments[sid] = (props["from"], props["to"], line_km(coords))
    return segments


def _check_railway_ends(name, where, props, ends, coords, problems):
    """A segment runs between two stations: Point places its line starts and ends near.

    A region, lake or river as an end would let a line run anywhere (its interior point can
    be 1,000 km from the railway), so it is refused outright.
    """
    for key, end, point in (("from", ends[0], coords[0]), ("to", ends[1], coords[-1])):
        if end is None:
            continue
        if end.geom_type != "Point":
            problems.append(Problem(name, where, key, props[key], f"a station or town (a Point "
                                    f"place), not a {end.geom_type}"))
            continue
        gap = line_km([point, (end.x, end.y)])
        if gap > ENDPOINT_KM:
            problems.append(Problem(name, where, key, props[key], f"the line to "
                                    f"{'start' if key == 'from' else 'end'} at this "
                                    f"station (it is {gap:.0f} km away, more than "
                                    f"{ENDPOINT_KM:.0f} km)"))


def _check_contingents(table: Table, problems) -> set[str]:
    ids: set[str] = set()
    seen: dict[str, str] = {}
    for i, row in enumerate(table.rows):
        where, cid = table.where(i), row.get("id", "")
        check_id(problems, table.name, where, cid, seen)
        ids.add(cid)
        if not row.get("name"):
            problems.append(Problem(table.name, where, "name", row.get("name"), "non-empty text"))
        if row.get("side") not in SIDES:
            problems.append(Problem(table.name, where, "side", row.get("side"), one_of(SIDES)))
        if not COLOUR.fullmatch(row.get("colour", "")):
            problems.append(Problem(table.name, where, "colour", row.get("colour"), COLOUR_MESSAGE))
        if not row.get("source"):
            problems.append(Problem(table.name, where, "source", row.get("source"), "a source"))
    if not table.rows and table.columns:
        problems.append(Problem(table.name, "", "", "no rows", "at least one contingent"))
    return ids


def _check_meta(meta: dict, problems) -> list | None:
    """dataset.json's texts and bounds; returns the bounds when they are usable."""
    cells.check_json_text("dataset.json", "", meta, problems)
    # (Also in another language: `title_ru`, `citation_fr`.)
    for key in [k for k in meta if k.rsplit("_", 1)[0] in TRANSLATED_META]:
        if not isinstance(meta[key], str):
            problems.append(Problem("dataset.json", "", key, meta[key], "text"))
    bounds = meta.get("bounds")
    if bounds is None:
        return None
    try:
        (s, w), (n, e) = bounds
        ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (s, w, n, e))
        ok = ok and -90 <= s < n <= 90 and -180 <= w < e <= 360
    except (TypeError, ValueError):
        ok = False
    if not ok:
        problems.append(Problem("dataset.json", "", "bounds", bounds,
                                "[[south, west], [north, east]] in degrees, south < north, "
                                "west < east"))
        return None
    return bounds


def _check_records(table, gaz, contingents, ids, problems, dated) -> None:
    """Every row of events.csv or presence.csv; `dated` gets (file, row, date, first month,
    last month) of each row with a date. What rows repeat (a date, a place, a contingent
    list) is worked out once per distinct value, so that a row costs dict look-ups: a million
    rows hold about 90,000 distinct dates."""
    name = table.name
    events = name == EVENTS
    places: dict[str, str | None] = {}  # where -> why it does not resolve, or None
    strangers: dict[str, list[str]] = {}  # contingents cell -> its ids not in contingents
    spans: dict[str, tuple[int, int] | str] = {}  # date -> (first, last month), or why not
    for row, line in zip(table.rows, table.lines):
        where = row_at(line)
        rid = row.get("id") or ""
        if events or rid:
            if not isinstance(rid, str) or rid in ids or not rid.strip():  # named by check_id
                check_id(problems, name, where, rid, ids, slug=False)
            else:
                ids[rid] = first_use(name, where)
        date = row.get("date", "")
        span = spans.get(date)
        if span is None:
            try:
                s = timeline.parse(date)
                span = spans[date] = (s.first_month, s.last_month)
            except timeline.DateProblem as exc:
                span = spans[date] = str(exc)
        if isinstance(span, str):
            problems.append(Problem(name, where, "date", row.get("date"), span))
            span = None
        note = row.get("note", "")
        loose = timeline.unmarked_approximation(note, date) if note else None
        if span is not None and loose:
            problems.append(Problem(name, where, "date", row.get("date"), f"a '~' (or '%') on "
                                    f"the {'date' if loose == 'date' else loose + ' of the date'}"
                                    ": the note says it is approximate", "warning"))
        # An event may have no place on the map (a decision taken in Washington or Tokyo):
        # it is listed for its month but not drawn. Presence always needs a place.
        place = row.get("where", "")
        if place or not events:
            if place not in places:
                try:
                    gaz.resolve(place)
                    places[place] = None
                except WhereProblem as exc:
                    places[place] = str(exc)
            if places[place] is not None:
                problems.append(Problem(name, where, "where", row.get("where"), places[place]))
        if name == PRESENCE:
            if row.get("contingent") not in contingents:
                problems.append(Problem(name, where, "contingent", row.get("contingent"),
                                        "a contingent id from contingents.csv"))
        else:
            cell = row.get("contingents", "")
            bad = strangers.get(cell)
            if bad is None:
                bad = strangers[cell] = [c for c in split_ids(cell) if c not in contingents]
            for cid in bad:
                problems.append(Problem(name, where, "contingents", cid,
                                        "contingent ids from contingents.csv, separated by ';'"))
            for key in ("title", "kind"):
                if not row.get(key):
                    problems.append(Problem(name, where, key, row.get(key), "non-empty text"))
        if not row.get("source"):
            problems.append(Problem(name, where, "source", row.get("source"),
                                    "a source (article section or outside work)"))
        if span is not None:
            dated.append((name, where, date, span[0], span[1]))

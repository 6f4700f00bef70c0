"""The control chronology as a map: who held each station and town in each month.

`control.csv` says who held a place or railway stretch over an EDTF interval. Here those rows
become, per controlled place, one holder per calendar month (the newest holder by the month's
end, marked contested when the place changed hands or was fought over that month), plus
the geometry the browser colours: the railway cut into pieces between consecutive stations,
and an approximate area around each held place.

The areas are a stated approximation, not a claim about borders: Voronoi cells around the
controlled places, clipped to land and to `REACH_KM` of the railway (or of the place, for
towns off the line). Control in Siberia was a matter of the railway and the towns on it;
the cells only show which town's holder is nearest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyproj
import shapely

from shapely.geometry import LineString, MultiPoint, Point, shape
from shapely.ops import substring, unary_union, voronoi_diagram

from . import timeline
from .gazetteer import Gazetteer

# Areas reach this far from the railway (or from a town off the line): far enough to read
# as territory at the default view, near enough not to claim the taiga nobody held.
REACH_KM = 120.0
# An equal-area projection centred on Siberia, so distances and cells are not stretched.
_PROJ = pyproj.CRS.from_proj4("+proj=laea +lat_0=55 +lon_0=100 +datum=WGS84 +units=m")
_TO = pyproj.Transformer.from_crs("EPSG:4326", _PROJ, always_xy=True)
_FROM = pyproj.Transformer.from_crs(_PROJ, "EPSG:4326", always_xy=True)


def transform(transformer: pyproj.Transformer, geom):
    return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
CAMPS = {"allied": "anti-Bolshevik", "white": "anti-Bolshevik", "red": "Soviet"}


@dataclass
class Territory:
    """Month-by-month control, ready for the payload (see docs/architecture.md)."""

    authorities: list[dict]
    places: list[str]  # controlled place ids
    runs: list[list[list]]  # per place: [m0, m1, authority index, contested, row index]
    rows: list[dict]  # the control rows cited by runs: date, when, note, source, where
    pieces: list[dict]  # {"c": [[lat, lon], ...], "a": place index, "b": place index}
    cells: dict[int, object] = field(default_factory=dict)  # place index -> WGS84 polygon


def camp(side: str) -> str | None:
    return CAMPS.get(side)


def stations(gaz: Gazetteer, steps, segment_stops: dict[str, list[str]]) -> list[str]:
    """The stations a stretch passes, in travel order, via stations included."""
    out: list[str] = []
    for sid, rev in steps:
        stops = segment_stops[sid][::-1] if rev else segment_stops[sid]
        out.extend(stops if not out else stops[1:])
    return out


def holders(control_rows, gaz: Gazetteer, segment_stops, authority_index, first, last):
    """Per place id, per month number: the list of (row index, direct?) holding it then."""
    table: dict[str, dict[int, list[tuple[int, bool]]]] = {}
    for i, row in enumerate(control_rows):
        try:
            span = timeline.parse(row["date"])
            r = gaz.resolve(row["where"])
        except Exception:  # validate reports it; a bad row holds nothing
            continue
        if row.get("held_by") not in authority_index:
            continue
        direct = r.kind == "place"
        ids = [r.place] if direct else stations(gaz, r.steps, segment_stops)
        for m in range(max(first, span.first_month), min(last, span.last_month) + 1):
            for pid in ids:
                table.setdefault(pid, {}).setdefault(m, []).append((i, direct))
    return table


def month_holder(entries, control_rows, spans):
    """(row index, contested) for one place and month: direct rows first, newest start wins."""
    direct = [e for e in entries if e[1]]
    pool = [i for i, _ in (direct or entries)]
    best = max(pool, key=lambda i: (spans[i].first, i))
    held = {control_rows[i]["held_by"] for i in pool}
    contested = len(held) > 1 or any(_truthy(control_rows[i].get("contested")) for i in pool)
    return best, contested


def _truthy(value) -> bool:
    return str(value).strip().lower() == "true"


def build(raw_control, raw_authorities, gaz, railways, places, first, last,
          basemap: dict | None = None) -> Territory | None:
    """`railways`/`places` are the joined GeoDataFrames; None when there is no chronology."""
    if raw_control is None or raw_authorities is None or not raw_control.rows:
        return None
    authorities = [{k: row.get(k, "") for k in ("id", "name", "side", "colour", "note", "source")}
                   for row in raw_authorities.rows]
    aindex = {a["id"]: i for i, a in enumerate(authorities)}
    stops = {r["id"]: [r["from"], *_via(r.get("via")), r["to"]] for _, r in railways.iterrows()}
    rows = raw_control.rows
    spans = {}
    for i, row in enumerate(rows):
        try:
            spans[i] = timeline.parse(row["date"])
        except timeline.DateProblem:
            pass
    table = holders(rows, gaz, stops, aindex, first, last)
    order = {pid: k for k, pid in enumerate(gaz.places)}
    pids = sorted(table, key=lambda p: order.get(p, len(order)))
    runs = []
    for pid in pids:
        months = table[pid]
        seq = []
        for m in sorted(months):
            i, contested = month_holder(months[m], rows, spans)
            item = [m - first, m - first, aindex[rows[i]["held_by"]], int(contested), i]
            prev = seq[-1] if seq else None
            if prev and prev[1] == item[0] - 1 and prev[2:] == item[2:]:
                prev[1] = item[1]
            else:
                seq.append(item)
        runs.append(seq)
    used = sorted({run[4] for seq in runs for run in seq})
    renumber = {old: new for new, old in enumerate(used)}
    for seq in runs:
        for run in seq:
            run[4] = renumber[run[4]]
    cited = [{"where": rows[i]["where"], "date": rows[i]["date"],
              "when": spans[i].label if i in spans else rows[i]["date"],
              "note": rows[i].get("note", ""), "source": rows[i].get("source", "")} for i in used]
    pindex = {pid: k for k, pid in enumerate(pids)}
    pieces = _pieces(railways, places, pindex)
    cells = _cells(places, pids, railways, land_from_basemap(basemap))
    return Territory(authorities, pids, runs, cited, pieces, cells)


def _via(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def _pieces(railways, places, pindex) -> list[dict]:
    """Each railway segment cut at its stations: the pieces a holder colours."""
    pts = {r.id: r.geometry for r in places.itertuples() if r.geometry.geom_type == "Point"}
    out = []
    for _, seg in railways.iterrows():
        line: LineString = seg.geometry
        stops = [seg["from"], *_via(seg.get("via")), seg["to"]]
        at = [line.project(pts[s]) if s in pts else None for s in stops]
        for (a, da), (b, db) in zip(zip(stops, at), list(zip(stops, at))[1:]):
            if da is None or db is None or a not in pindex or b not in pindex or db <= da:
                continue
            part = substring(line, da, db)
            if part.geom_type != "LineString" or part.length == 0:
                continue
            out.append({"c": [[round(y, 4), round(x, 4)] for x, y in part.coords],
                        "a": pindex[a], "b": pindex[b]})
    return out


def _cells(places, pids, railways, land) -> dict[int, object]:
    geoms = {r.id: r.geometry for r in places.itertuples()}
    pts = [(k, transform(_TO, geoms[p])) for k, p in enumerate(pids)
           if p in geoms and geoms[p].geom_type == "Point"]
    if len(pts) < 2:
        return {}
    reach = REACH_KM * 1000
    lines = [transform(_TO, g) for g in railways.geometry] if len(railways) else []
    area = unary_union([ln.buffer(reach, 8) for ln in lines] + [p.buffer(reach * 0.8, 16) for _, p in pts])
    if land:
        area = area.intersection(unary_union(land))
    diagram = voronoi_diagram(MultiPoint([p for _, p in pts]), envelope=area.envelope)
    out = {}
    for cell in diagram.geoms:
        owner = next((k for k, p in pts if cell.contains(p)), None)
        if owner is None:
            continue
        clipped = cell.intersection(area).simplify(2000)
        if not clipped.is_empty:
            out[owner] = transform(_FROM, clipped)
    return out


def land_from_basemap(basemap: dict):
    """The basemap's land as projected polygons (theatre longitudes only), or []."""
    layer = (basemap or {}).get("land") or {}
    out = []
    for feat in layer.get("features", []) if isinstance(layer, dict) else []:
        try:
            g = shape(feat["geometry"])
        except Exception:
            continue
        out.append(transform(_TO, g.buffer(0)))
    return out


def point_in_cells(cells: dict[int, object], lon: float, lat: float):
    p = Point(lon, lat)
    return next((k for k, c in cells.items() if c.contains(p)), None)


def to_payload(t: Territory | None, encode) -> dict | None:
    """The `control` block of the payload; `encode` is payload.encode (geometry -> JSON)."""
    if t is None:
        return None
    cells = []
    for k, geom in sorted(t.cells.items()):
        e = encode(geom)
        if e["t"] == "pg":
            cells.append({"p": k, "c": e["c"]})
    pieces = []
    for piece in t.pieces:
        c = piece["c"]
        mid = _midpoint(c)
        first = c[: mid[0] + 1] + [mid[1]]
        second = [mid[1]] + c[mid[0] + 1:]
        pieces.append({"c": first, "a": piece["a"], "b": piece["b"], "m": mid[1]})
        pieces.append({"c": second, "a": piece["b"], "b": piece["a"]})
    return {
        "authorities": t.authorities,
        "places": t.places,
        "runs": t.runs,
        "rows": {k: [r[k] for r in t.rows] for k in ("where", "date", "when", "note")}
        | {"src": [r["source"] for r in t.rows]},
        "pieces": pieces,
        "cells": cells,
    }


def _midpoint(coords: list) -> tuple[int, list]:
    """(index of the vertex before the middle, the middle [lat, lon]) by planar length."""
    legs = [((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 for a, b in zip(coords, coords[1:])]
    half, run = sum(legs) / 2, 0.0
    for i, leg in enumerate(legs):
        if run + leg >= half and leg > 0:
            t = (half - run) / leg
            a, b = coords[i], coords[i + 1]
            return i, [round(a[0] + (b[0] - a[0]) * t, 4), round(a[1] + (b[1] - a[1]) * t, 4)]
        run += leg
    return 0, coords[0]

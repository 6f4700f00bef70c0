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

from ..data import timeline

# Areas reach this far from the railway (or from a town off the line): far enough to read
# as territory at the default view, near enough not to claim the taiga nobody held.
REACH_KM = 120.0
# An equal-area projection centred on Siberia, so distances and cells are not stretched.
_PROJ = pyproj.CRS.from_proj4("+proj=laea +lat_0=55 +lon_0=100 +datum=WGS84 +units=m")
_TO = pyproj.Transformer.from_crs("EPSG:4326", _PROJ, always_xy=True)
_FROM = pyproj.Transformer.from_crs(_PROJ, "EPSG:4326", always_xy=True)


def transform(transformer: pyproj.Transformer, geom):
    return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


@dataclass
class Territory:
    """Month-by-month control, ready for the payload (see docs/architecture.md)."""

    authorities: list[dict]
    places: list[str]  # controlled place ids
    runs: list[list[list]]  # per place: [m0, m1, authority index, contested, row index]
    rows: list[dict]  # the control rows cited by runs: date, when, note, source, where
    pieces: list[dict]  # {"c": [[lat, lon], ...], "a": place index, "b": place index}
    cells: dict[int, object] = field(default_factory=dict)  # place index -> WGS84 polygon
    first: int = 0  # the month number that run month 0 stands for


def build(chron, authorities_table, railways, places, basemap: dict | None = None) -> Territory | None:
    """Month holders and geometry from a checked `chronology.Chronology` (None: no chronology).

    The chronology already knows which control rows hold each place each month (a place's
    own rows shadow a stretch through it); here each month gets one holder for the map: the
    row that began last (who held the place at the month's end), contested when the rows
    disagree or one of them is contested.
    """
    if chron is None or authorities_table is None or not chron.rows:
        return None
    authorities = [{k: row.get(k, "") for k in ("id", "name", "side", "colour", "note", "source")}
                   for row in authorities_table.rows]
    aindex = {a["id"]: i for i, a in enumerate(authorities)}
    raw_rows = chron.table.rows
    start = {}
    for k, r in enumerate(chron.rows):
        start[k] = timeline.parse(raw_rows[r["i"]]["date"]).first
    order = {pid: n for n, pid in enumerate(chron.gaz.places)}
    pids = sorted((p for p, cells in chron.holders.items() if any(cells)),
                  key=lambda p: order.get(p, len(order)))
    runs, used = [], {}
    for pid in pids:
        seq: list[list] = []
        for m, cell in enumerate(chron.holders[pid]):
            if not cell:
                continue
            best = max(cell, key=lambda k: (start[k], k))
            held = {chron.rows[k]["held_by"] for k in cell}
            contested = len(held) > 1 or any(chron.rows[k]["contested"] for k in cell)
            row = used.setdefault(chron.rows[best]["i"], len(used))
            item = [m, m, aindex[chron.rows[best]["held_by"]], int(contested), row]
            prev = seq[-1] if seq else None
            if prev and prev[1] == m - 1 and prev[2:] == item[2:]:
                prev[1] = m
            else:
                seq.append(item)
        runs.append(seq)
    cited = []
    for i in sorted(used, key=used.get):
        row = raw_rows[i]
        cited.append({"where": row["where"], "date": row["date"],
                      "when": timeline.parse(row["date"]).label,
                      "note": row.get("note", ""), "source": row.get("source", "")})
    pindex = {pid: k for k, pid in enumerate(pids)}
    pieces = _pieces(railways, places, pindex)
    cells = _cells(places, pids, railways, land_from_basemap(basemap))
    return Territory(authorities, pids, runs, cited, pieces, cells, chron.first)


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


def frame(t: Territory | None, places):
    """The month runs as a table for exports: one row per place and unbroken hold.

    Month numbers are absolute (`m0`, `m1`, as for records); the geometry is the place.
    """
    import geopandas as gpd

    columns = ["id", "place", "place_name", "held_by", "authority", "side", "contested",
               "control_where", "control_date", "note", "source", "m0", "m1", "geometry"]
    if t is None:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry="geometry", crs="EPSG:4326")
    geoms = dict(zip(places["id"], places.geometry))
    names = dict(zip(places["id"], places["name"]))
    rows = []
    for k, pid in enumerate(t.places):
        for m0, m1, a, contested, r in t.runs[k]:
            auth, row = t.authorities[a], t.rows[r]
            rows.append({"id": f"{pid}@{timeline.month_key(t.first + m0)}", "place": pid,
                         "place_name": names.get(pid, pid), "held_by": auth["id"],
                         "authority": auth["name"], "side": auth["side"],
                         "contested": bool(contested), "control_where": row["where"],
                         "control_date": row["date"], "note": row["note"],
                         "source": row["source"], "m0": t.first + m0, "m1": t.first + m1,
                         "geometry": geoms.get(pid)})
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")


def holders_at(t: Territory | None, month: int) -> dict[int, tuple[int, bool]]:
    """Place index -> (authority index, contested) in month number `month`."""
    out: dict[int, tuple[int, bool]] = {}
    if t is None:
        return out
    m = month - t.first
    for k, seq in enumerate(t.runs):
        for m0, m1, a, contested, _ in seq:
            if m0 <= m <= m1:
                out[k] = (a, bool(contested))
                break
    return out

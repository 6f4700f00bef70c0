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

from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from shapely.geometry import LineString, MultiPoint, Point, shape
from shapely.ops import substring, unary_union, voronoi_diagram

from ..data import timeline
from .dataset import AUTHORITY_COLUMNS, CRS, HOLD_COLUMNS, TERRITORY_COLUMNS
from .window import within

# Areas reach this far from the railway (or from a town off the line): far enough to read
# as territory at the default view, near enough not to claim the taiga nobody held.
REACH_KM = 120.0
# An equal-area projection centred on Siberia, so distances and cells are not stretched.
_PROJ = pyproj.CRS.from_proj4("+proj=laea +lat_0=55 +lon_0=100 +datum=WGS84 +units=m")
_TO = pyproj.Transformer.from_crs("EPSG:4326", _PROJ, always_xy=True)
_FROM = pyproj.Transformer.from_crs(_PROJ, "EPSG:4326", always_xy=True)


def transform(transformer: pyproj.Transformer, geom):
    return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


class Control(NamedTuple):
    """`Dataset.control`, `Dataset.authorities` and `Dataset.territory` (see `Dataset`)."""

    holds: gpd.GeoDataFrame
    authorities: pd.DataFrame
    territory: gpd.GeoDataFrame


def build(chron, authorities_table, railways, places, basemap: dict | None = None) -> Control:
    """Month holders and geometry from a checked `chronology.Chronology` (empty frames
    without a chronology, or with one that has no rows).

    The chronology already knows which control rows hold each place each month (a place's
    own rows shadow a stretch through it); here each month gets one holder for the map: the
    row that began last (who held the place at the month's end), contested when the rows
    disagree or one of them is contested. Consecutive months with the same holder, the same
    contested flag and the same row are one hold.
    """
    if chron is None or authorities_table is None or not chron.rows:
        return Control(_frame([], HOLD_COLUMNS), pd.DataFrame(columns=list(AUTHORITY_COLUMNS)),
                       _frame([], TERRITORY_COLUMNS))
    authorities = pd.DataFrame([{k: row.get(k, "") for k in AUTHORITY_COLUMNS}
                                for row in authorities_table.rows],
                               columns=list(AUTHORITY_COLUMNS), dtype=object).fillna("")
    auth = {a["id"]: a for a in authorities.to_dict("records")}
    raw_rows, lines = chron.table.rows, chron.table.lines
    start = {k: timeline.parse(raw_rows[r["i"]]["date"]).first for k, r in enumerate(chron.rows)}
    order = {pid: n for n, pid in enumerate(chron.gaz.places)}
    pids = sorted((p for p, cells in chron.holders.items() if any(cells)),
                  key=lambda p: order.get(p, len(order)))
    geoms = dict(zip(places["id"], places.geometry))
    names = dict(zip(places["id"], places["name"]))
    holds = []
    for pid in pids:
        seq: list[list] = []
        for m, cell in enumerate(chron.holders[pid]):
            if not cell:
                continue
            best = max(cell, key=lambda k: (start[k], k))
            held = {chron.rows[k]["held_by"] for k in cell}
            contested = len(held) > 1 or any(chron.rows[k]["contested"] for k in cell)
            item = [m, m, chron.rows[best]["held_by"], bool(contested), chron.rows[best]["i"]]
            prev = seq[-1] if seq else None
            if prev and prev[1] == m - 1 and prev[2:] == item[2:]:
                prev[1] = m
            else:
                seq.append(item)
        for m0, m1, held_by, contested, i in seq:
            row, a = raw_rows[i], auth[held_by]
            holds.append({"id": f"{pid}@{timeline.month_key(chron.first + m0)}", "place": pid,
                          "place_name": names.get(pid, pid), "held_by": held_by,
                          "authority": a["name"], "side": a["side"], "contested": contested,
                          "control_where": row["where"], "control_date": row["date"],
                          "note": row.get("note", ""), "source": row.get("source", ""),
                          "m0": chron.first + m0, "m1": chron.first + m1,
                          "control_row": lines[i], "geometry": geoms.get(pid)})
    pindex = {pid: k for k, pid in enumerate(pids)}
    shapes = _pieces(railways, places, pindex)
    cells = _cells(places, pids, railways, land_from_basemap(basemap))
    shapes += [{"kind": "area", "place": pids[k], "other": "", "geometry": cells[k]}
               for k in sorted(cells)]
    return Control(_frame(holds, HOLD_COLUMNS), authorities, _frame(shapes, TERRITORY_COLUMNS))


def _frame(rows: list[dict], columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows or {c: [] for c in columns}, columns=list(columns),
                            geometry="geometry", crs=CRS)


def _via(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def _pieces(railways, places, pindex) -> list[dict]:
    """Each railway segment cut at its controlled stations: the pieces a holder colours
    (`territory` rows). Rounded to 4 decimals (about 10 m), as the page and the figure draw
    them, so both cut them at the same midpoint."""
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
            out.append({"kind": "piece", "place": a, "other": b, "geometry": LineString(
                [(round(x, 4), round(y, 4)) for x, y in part.coords])})
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


def point_in_cells(territory: gpd.GeoDataFrame, lon: float, lat: float) -> str | None:
    """The controlled place whose area holds (lon, lat), or None."""
    p = Point(lon, lat)
    areas = territory[territory["kind"] == "area"]
    return next((pid for pid, c in zip(areas["place"], areas.geometry) if c.contains(p)), None)


def holders_at(holds: gpd.GeoDataFrame, month: int) -> dict[str, tuple[str, bool]]:
    """Place id -> (authority id, contested) in month number `month` (`Dataset.control`)."""
    now = within(holds, (month, month))
    return {pid: (a, bool(c)) for pid, a, c in zip(now["place"], now["held_by"], now["contested"])}

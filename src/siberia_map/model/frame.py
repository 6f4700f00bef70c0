"""Any dated GeoDataFrame as a `Dataset`: what `explore` and `TimeSlicedLayer` draw.

Each row is a record on the month slider. Its `date` column holds EDTF strings (or dates and
timestamps, taken as the day); its geometry is reprojected to WGS84. Rows with a point
geometry become *events*: a symbol on the map and a line in the events panel. Rows with a
line or polygon geometry are drawn as that line or area (like the presence records of a
campaign), each with its popup. The values of the `group` column become the toggles (one
colour each, in the legend titled after the column); without a group column, every row is
in one group. Everything that is wrong with the frame is reported at once, as a
`DataError` naming the row (its index label), the column and the value.

Dates come from one `date` column of EDTF strings, or from two columns, `start` and `end`,
as most tables have them: datetimes, date strings or EDTF, each row shown from the month of
its start to the month of its end (a row without an end is shown in its start's month).
"""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from ..data import timeline
from .dataset import CRS, Dataset
from ..errors import DataError, Problem

FILE = "GeoDataFrame"
# Tableau 10: distinct, colour-blind-aware, readable on light and dark tiles.
PALETTE = ("#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948",
           "#ff9da7", "#9c755f", "#bab0ac")
TITLE_COLUMNS = ("title", "name", "label", "event")
GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
# Longitudes a map can place after reprojection to WGS84: a Pacific data set may run past
# 180 (Chukotka at 190), but not around the world more than once each way.
MAX_LON = 360.0
# Problems of coordinates named one by one; a frame of a million projected rows gives one
# per row otherwise.
MAX_NAMED = 50


def to_dataset(gdf, *, date: str | None = None, group: str | None = None,
               title: str | None = None, popup: str | list[str] | None = None,
               source: str | None = None, palette: list[str] | tuple[str, ...] = PALETTE,
               start: str | None = None, end: str | None = None, cmap=None,
               tooltip: str | list[str] | None = None) -> Dataset:
    """The rows of `gdf` as a `Dataset`, one record per row; `DataError` lists every problem.

    `date`: the column of EDTF strings ("1916-07-01", "1916-07-01/1916-11-18", "1916-22",
    "1916-07~"); or `start` and `end` (either may be None): columns of datetimes, date
    strings or EDTF dates; `group`: the column whose values become the toggles; `title`: the
    map's title; `popup`: the column (or columns) shown in a record's popup, the first one
    as its heading (default: the first of title, name, label, event, then description);
    `tooltip`: the column (or columns) shown on hover (for both, True means every column
    and an integer n the first n, as in geopandas); `source`: the column citing each
    row's source (default: `source` if there is one). `cmap`: the groups' colours, a
    `{value: colour}` dict (unlisted values take `palette`'s colours in turn), a list of
    colours or a matplotlib colormap name; `palette` is the default list.

    Anything with a `__geo_interface__` (a FeatureCollection, in longitude/latitude as
    GeoJSON is) is taken as the GeoDataFrame of its features.
    """
    problems: list[Problem] = []
    if not isinstance(gdf, gpd.GeoDataFrame) and hasattr(gdf, "__geo_interface__"):
        gdf = from_geo_interface(gdf)
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise DataError([Problem(FILE, "", "", type(gdf).__name__, "a geopandas.GeoDataFrame "
                                 "or an object with __geo_interface__")])
    if (date is None) == (start is None and end is None):
        raise TypeError("give the dates as date='column' (EDTF strings) or as "
                        "start='column' and end='column', not both")
    try:
        geom_name = gdf.geometry.name
    except AttributeError:
        geom_name = None
        problems.append(Problem(FILE, "", "geometry", None, "an active geometry column"))
    columns = [str(c) for c in gdf.columns if c != geom_name]
    popup_cols = _chosen(popup, columns)
    tooltip_cols = _chosen(tooltip, columns)
    for kind, name in [("date", date), ("start", start), ("end", end), ("group", group),
                       ("source", source)] + [("popup", p) for p in popup_cols] + \
            [("tooltip", c) for c in tooltip_cols]:
        if name is not None and (name not in gdf.columns or name == geom_name):
            problems.append(Problem(FILE, "", kind, name, "a column of the GeoDataFrame: "
                                    + ", ".join(columns)))
    if geom_name is not None and gdf.crs is None:
        problems.append(_no_crs(gdf))
    if not len(gdf):
        problems.append(Problem(FILE, "", "", "no rows", "at least one dated row"))
    if problems:
        raise DataError(problems)
    check_coordinates(gdf, problems, "before reprojection")
    if not problems:
        check_projected_area(gdf, problems)
    if problems:
        raise DataError(problems)
    try:
        gdf = gdf.to_crs(CRS)
    except Exception as exc:  # pyproj raises its own errors for CRSs it cannot convert
        raise DataError([Problem(FILE, "", "crs", str(gdf.crs)[:80], "a CRS that converts to "
                                 f"EPSG:4326 ({type(exc).__name__}: {str(exc)[:100]})")]) from exc
    check_coordinates(gdf, problems)
    if problems:
        raise DataError(problems)
    if popup_cols:
        heading, details = popup_cols[0], popup_cols[1:]
    else:
        heading = next((c for c in TITLE_COLUMNS if c in gdf.columns), None)
        details = ["description"] if "description" in gdf.columns else []
    if source is None and "source" in gdf.columns:
        source = "source"
    groups = _groups(gdf, group, palette, problems, cmap)
    dates = _dates(gdf, date, start, end)
    events, presence = _records(gdf, dates, group, groups, (heading, details), source,
                                 problems, tooltip_cols)
    if problems:
        raise DataError(problems)
    months = [m for df in (events, presence) for m in (*df["m0"], *df["m1"])]
    contingents = pd.DataFrame(groups["rows"], columns=["id", "name", "side", "colour",
                                                        "strength", "commanders", "source"])
    places = gpd.GeoDataFrame({"id": [], "name": [], "names": [], "kind": [], "label": [],
                               "modern_name": [], "note": [], "source": [], "precision_km": []},
                              geometry=[], crs=CRS)
    railways = gpd.GeoDataFrame({"id": [], "line": [], "from": [], "to": [], "source": []},
                                geometry=[], crs=CRS)
    meta = {"title": title or f"{len(gdf)} records, month by month",
            "group_label": _label(group) if group else "Records"}
    return Dataset(places, railways, contingents, events, presence, min(months), max(months),
                   meta, {})


def _no_crs(gdf) -> Problem:
    """The problem of a frame without a CRS, with the hint its values call for."""
    xy = _finite_xy(gdf)
    if len(xy) and (np.abs(xy[:, 0]).max() > 180 or np.abs(xy[:, 1]).max() > 90):
        worst = xy[np.argmax(np.abs(xy).max(axis=1))]
        return Problem(FILE, "", "crs", None, "a CRS: these coordinates are not degrees "
                       f"(e.g. {_pair(worst)}), so they are projected; give the frame the CRS "
                       "they were made in, e.g. gdf.set_crs('EPSG:3857'), and it is "
                       "reprojected (or gdf.to_crs('EPSG:4326') a frame that has one)")
    return Problem(FILE, "", "crs", None, "a CRS, so the rows can be placed "
                   "(gdf.set_crs('EPSG:4326') for longitude/latitude)")


def _finite_xy(gdf) -> np.ndarray:
    xy = shapely.get_coordinates(np.asarray(gdf.geometry.values, dtype=object))
    return xy[np.isfinite(xy).all(axis=1)]


def _pair(xy) -> str:
    return ", ".join(f"{k}={v:,.0f}" if abs(v) >= 1000 else f"{k}={v:g}"
                     for k, v in zip("xy", xy))


def check_dataset(ds) -> None:
    """DataError naming each row of a `Dataset`'s tables (e.g. one built or edited by hand
    before `render` or `TimeSlicedLayer`) whose coordinates a page cannot place."""
    problems: list[Problem] = []
    for name in ("places", "railways", "events", "presence"):
        gdf = getattr(ds, name, None)
        if isinstance(gdf, gpd.GeoDataFrame) and len(gdf) and gdf.geometry.name in gdf:
            if gdf.crs is not None and not gdf.crs.is_geographic:
                problems.append(Problem(name, "", "crs", str(gdf.crs)[:80], "EPSG:4326 "
                                        f"(ds.{name} = ds.{name}.to_crs('EPSG:4326'))"))
                continue
            found: list[Problem] = []
            check_coordinates(gdf.set_crs(CRS) if gdf.crs is None else gdf, found)
            problems += [Problem(name, p.row, p.field, p.value, p.expected) for p in found]
    if problems:
        raise DataError(problems)


def check_projected_area(gdf, problems: list[Problem]) -> None:
    """In a projected CRS, a problem for each row far outside the area the CRS is made for
    (its area of use, widened by its own size each way): reprojecting such a value wraps it
    round the world or pins it to a pole instead of failing."""
    crs = gdf.crs
    area = getattr(crs, "area_of_use", None) if crs is not None else None
    if crs is None or crs.is_geographic or area is None:
        return
    try:
        from pyproj import Transformer

        x0, y0, x1, y1 = Transformer.from_crs("EPSG:4326", crs, always_xy=True) \
            .transform_bounds(*area.bounds)
    except Exception:  # a CRS pyproj cannot bound: the checks after reprojection remain
        return
    if not all(np.isfinite((x0, y0, x1, y1))) or x1 <= x0 or y1 <= y0:
        return
    w, h = x1 - x0, y1 - y0
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    ok = np.array([isinstance(g, BaseGeometry) for g in geoms], dtype=bool)
    if not ok.any():
        return
    xy, index = shapely.get_coordinates(geoms[ok], return_index=True)
    rows = np.flatnonzero(ok)[index]
    far = (xy[:, 0] < x0 - w) | (xy[:, 0] > x1 + w) | (xy[:, 1] < y0 - h) | (xy[:, 1] > y1 + h)
    seen: set[int] = set()
    for k in np.flatnonzero(far):
        if int(rows[k]) in seen:
            continue
        seen.add(int(rows[k]))
        if len(seen) > MAX_NAMED:
            break
        problems.append(Problem(FILE, f"index {gdf.index[int(rows[k])]!r}", "geometry",
                                [float(v) for v in xy[k]],
                                f"coordinates inside the area {crs.to_string()} is made for "
                                f"(about x {x0:,.0f} to {x1:,.0f}, y {y0:,.0f} to {y1:,.0f}); "
                                "is the frame's CRS the one its values were made in?"))


def check_coordinates(gdf, problems: list[Problem], when: str = "") -> None:
    """A problem for each row (index label) whose geometry has a coordinate that is not a
    finite number, or, in WGS84, a latitude beyond +-90 or a longitude beyond +-MAX_LON."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    ok = np.array([isinstance(g, BaseGeometry) for g in geoms], dtype=bool)
    if not ok.any():
        return
    coords, index = shapely.get_coordinates(geoms[ok], include_z=True, return_index=True)
    rows = np.flatnonzero(ok)[index]
    xy = coords[:, :2]
    bad = ~np.isfinite(xy).all(axis=1)
    # A 3-D coordinate's z must be finite too (NaN is what 2-D ones read as).
    has_z = np.array([g.has_z for g in geoms[ok]], dtype=bool)[index]
    bad |= has_z & ~np.isfinite(coords[:, 2])
    why = np.full(len(xy), "", dtype=object)
    why[bad] = "finite coordinates (no NaN or infinity)"
    geographic = gdf.crs is not None and gdf.crs.is_geographic and not when
    if geographic:
        with np.errstate(invalid="ignore"):
            out = ~bad & ((np.abs(xy[:, 1]) > 90) | (np.abs(xy[:, 0]) > MAX_LON))
        projected = out & ((np.abs(xy[:, 1]) > 1000) | (np.abs(xy[:, 0]) > 1000))
        why[out] = (f"longitude within +-{MAX_LON:g} and latitude within +-90 in EPSG:4326")
        why[projected] = ("longitude and latitude in degrees; these look like projected "
                          "metres (rows from a frame in another CRS? gdf.to_crs('EPSG:4326') "
                          "each frame before concatenating them)")
        bad |= out
    seen, named = set(), 0
    labels = gdf.index
    for k in np.flatnonzero(bad):
        row = int(rows[k])
        if row in seen:
            continue
        seen.add(row)
        named += 1
        if named > MAX_NAMED:
            continue
        value = [float(v) for v in coords[k][:3 if has_z[k] else 2]]
        problems.append(Problem(FILE, f"index {labels[row]!r}", "geometry", value,
                                why[k] + (f" ({when})" if when else "")))
    if named > MAX_NAMED:
        problems.append(Problem(FILE, "", "geometry", f"{named - MAX_NAMED:,} more rows",
                                "coordinates as above"))


def _label(column: str) -> str:
    text = str(column).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _missing(v) -> bool:
    """None, NaN, NaT or pd.NA: an empty cell, whatever the column's dtype."""
    if isinstance(v, (list, tuple, dict)):
        return False
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _chosen(which, columns: list[str]) -> list:
    """Columns named as geopandas' `explore` takes them: a name, a list of names, True (all
    columns), an integer n (the first n), or False/None (the default)."""
    if which is True:
        return list(columns)
    if which is None or which is False:
        return []
    if isinstance(which, int):
        return list(columns[:which])
    return [which] if isinstance(which, str) else list(which)


def from_geo_interface(obj) -> gpd.GeoDataFrame:
    """The features of `obj.__geo_interface__` (a FeatureCollection, a Feature, or a list
    of features) as a GeoDataFrame in WGS84, indexed by the features' ids when they have
    unique ones."""
    geo = obj.__geo_interface__
    if isinstance(geo, dict) and geo.get("type") == "Feature":
        geo = {"type": "FeatureCollection", "features": [geo]}
    features = geo.get("features", []) if isinstance(geo, dict) else list(geo)
    gdf = gpd.GeoDataFrame.from_features(features, crs=CRS)
    ids = [f.get("id") for f in features if isinstance(f, dict)]
    if len(ids) == len(gdf) and None not in ids and len(set(map(str, ids))) == len(ids):
        gdf.index = [str(i) for i in ids]
    return gdf


def _colours(cmap, values, palette, problems) -> list[str]:
    """One colour per group value, as #rrggbb: from `cmap` (dict, list or colormap name)."""
    from matplotlib import colormaps, colors

    if cmap is None:
        wanted = [palette[i % len(palette)] for i in range(len(values))]
    elif isinstance(cmap, str):
        if cmap not in colormaps:
            problems.append(Problem(FILE, "", "cmap", cmap, "a dict of colours, a list of "
                                    "colours or a matplotlib colormap name, e.g. 'tab10'"))
            return [palette[0]] * len(values)
        scale = colormaps[cmap].resampled(max(len(values), 1))
        wanted = [scale(i) for i in range(len(values))]
    elif isinstance(cmap, dict):
        rest = iter(c for c in (palette * (len(values) // len(palette) + 1)))
        wanted = [cmap[v] if v in cmap else cmap.get(str(v)) or next(rest) for v in values]
        for key in cmap:
            if key not in values and str(key) not in {str(v) for v in values}:
                problems.append(Problem(FILE, "", "cmap", key, "a value of the group column: "
                                        + ", ".join(str(v) for v in values)))
    else:
        listed = list(cmap)
        if not listed:
            problems.append(Problem(FILE, "", "cmap", "[]", "at least one colour"))
            listed = list(palette)
        wanted = [listed[i % len(listed)] for i in range(len(values))]
    out = []
    for v, c in zip(values, wanted):
        try:
            out.append(colors.to_hex(c))
        except (ValueError, TypeError):
            problems.append(Problem(FILE, "", "cmap", c, f"a colour for {v!r} ('#1f77b4', "
                                    "'red', an RGB tuple)"))
            out.append(palette[0])
    return out


def _groups(gdf, group, palette, problems, cmap=None) -> dict:
    """Toggle ids, names and colours: the group values sorted (a categorical's own order)."""
    if group is None:
        colour = _colours(cmap, ["All records"], palette, problems)[0] \
            if cmap is not None and not isinstance(cmap, dict) else palette[0]
        return {"rows": [["records", "All records", "", colour, "", "", ""]],
                "ids": {}, "default": "records"}
    col = gdf[group]
    for label, v in col.items():
        if _missing(v):
            problems.append(Problem(FILE, f"index {label!r}", group, None,
                                    "a group value (fill the gaps, e.g. "
                                    f"gdf[{group!r}].fillna('other'))"))
    present = [v for v in col.unique() if not _missing(v)]
    if isinstance(col.dtype, pd.CategoricalDtype):
        values = [v for v in col.cat.categories if v in set(present)]
    else:
        try:
            values = sorted(present)  # numbers as numbers: 2 before 10
        except TypeError:  # mixed types
            values = sorted(present, key=lambda v: (str(type(v)), str(v)))
    ids, rows, used = {}, [], set()
    colours = _colours(cmap, values, palette, problems)
    for i, v in enumerate(values):
        gid = _slug(str(v)) or f"group-{i + 1}"
        while gid in used:
            gid = f"{gid}-{i + 1}"
        used.add(gid)
        ids[v] = gid
        rows.append([gid, str(v), "", colours[i], "", "", ""])
    return {"rows": rows, "ids": ids, "default": None}


def _date_text(v):
    """An EDTF string, or a date/timestamp as its day; None for anything else."""
    if isinstance(v, str):
        return v
    if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)) and not _missing(v):
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    return None


def _text(v) -> str:
    return "" if _missing(v) else str(v)


# A date string with a time of day ("1916-07-01T06:30", "1916-07-01 06:30:00"): its day.
_WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


def _part(v):
    """One end of a start/end pair as EDTF text, None when empty; the value if unusable.

    Datetimes and dates give their day, whole numbers a year (1854, or 1854.0 from a column
    with gaps); a string is EDTF, else whatever pandas reads as a date ("1854/11/05",
    "5 November 1854"), else left for the error to name."""
    if _missing(v):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return f"{int(v):04d}" if float(v).is_integer() and 0 <= v <= 9999 else v
    if not isinstance(v, str):
        return _date_text(v) or v
    v = v.strip()
    m = _WITH_TIME.match(v)
    if m or not v:
        return m.group(1) if m else None
    try:
        timeline.parse(v)
        return v
    except timeline.DateProblem:
        pass
    try:
        return _date_text(pd.Timestamp(v)) or v
    except (ValueError, OverflowError):
        return v


def _dates(gdf, date, start, end) -> list:
    """Per row, (column, EDTF text or the unusable value, the value as given)."""
    if date is not None:
        return [(date, _date_text(v), v) for v in gdf[date]]
    out = []
    starts = gdf[start] if start is not None else [None] * len(gdf)
    ends = gdf[end] if end is not None else [None] * len(gdf)
    for a, b in zip(starts, ends):
        pa, pb = _part(a), _part(b)
        column = start if start is not None else end
        if pa is None and pb is None:
            out.append((column, None, None))
        elif not isinstance(pa, (str, type(None))):
            out.append((start, None, a))
        elif not isinstance(pb, (str, type(None))):
            out.append((end, None, b))
        elif pa is None or pb is None or pa == pb:
            out.append((start if pa is not None else end, pa or pb, a if pa is not None else b))
        else:
            out.append((f"{start}/{end}", f"{pa}/{pb}", f"{pa}/{pb}"))
    return out


def _records(gdf, dates, group, groups, popup, source, problems, tooltip=()):
    events = {k: [] for k in ("id", "type", "date", "when", "m0", "m1", "contingents",
                              "where", "where_id", "where_label", "approximate", "uncertain",
                              "uncertainty", "sort", "source", "kind", "title",
                              "description", "tip", "geometry")}
    presence = {k: [] for k in events if k not in ("kind", "title", "description")}
    presence.update({"contingent": [], "strength": [], "note": []})
    ids = [str(v) for v in gdf.index] if gdf.index.is_unique else \
        [f"row-{i}" for i in range(len(gdf))]
    geom_name = gdf.geometry.name
    # (A heading is the popup's title and the events panel's line; details go below it.)
    for pos, (label, row) in enumerate(gdf.iterrows()):
        where = f"index {label!r}"
        column, text, given = dates[pos]
        span = None
        if text is None:
            value = None if _missing(given) else given
            problems.append(Problem(FILE, where, column, value, "an EDTF date string, e.g. "
                                    "1916-07-01, 1916-07-01/1916-11-18 or 1916-07~"))
        else:
            try:
                span = timeline.parse(text)
            except timeline.DateProblem as exc:
                problems.append(Problem(FILE, where, column, given, str(exc)))
        geom = row[geom_name]
        if not isinstance(geom, BaseGeometry) or geom.is_empty or \
                geom.geom_type not in GEOMETRIES:
            problems.append(Problem(FILE, where, "geometry",
                                    geom.geom_type if isinstance(geom, BaseGeometry) else None,
                                    "a non-empty Point, LineString or Polygon (or Multi-)"))
            continue
        if span is None:
            continue
        gid = groups["default"] or groups["ids"].get(row[group])
        if gid is None:
            continue
        heading = _text(row[popup[0]]) if popup[0] is not None else ""
        details = [(c, _text(row[c])) for c in popup[1]]
        rest = details[0][1] if len(details) == 1 else \
            "; ".join(f"{_label(c)}: {v}" for c, v in details if v)
        common = {"date": text, "when": span.label, "m0": span.first_month,
                  "m1": span.last_month, "contingents": [gid], "where": "",
                  "where_label": _text(row["where"]) if "where" in gdf.columns else "",
                  "approximate": span.approximate, "uncertain": span.uncertain,
                  "uncertainty": span.qualifier_note,
                  "sort": f"{span.first[0]:04d}-{span.first[1]:02d}-{span.first[2]:02d}",
                  "source": _text(row[source]) if source else "",
                  "tip": [(_label(c) + ": " if k else "") + _text(row[c])
                          for k, c in enumerate(tooltip) if _text(row[c])]}
        parts = [Point(p) for p in geom.geoms] if isinstance(geom, MultiPoint) else [geom]
        for k, part in enumerate(parts):
            rid = ids[pos] if len(parts) == 1 else f"{ids[pos]}.{k + 1}"
            if part.geom_type == "Point":
                _append(events, common, id=rid, type="event", where_id=f"r{pos}.{k}",
                        kind="", title=heading or span.label, description=rest, geometry=part)
            else:
                note = "; ".join(v for v in (heading, rest) if v)
                _append(presence, common, id=rid, type="presence", where_id=f"r{pos}.{k}",
                        contingent=gid, strength="", note=note, geometry=part)
    return (gpd.GeoDataFrame(events, geometry="geometry", crs=CRS),
            gpd.GeoDataFrame(presence, geometry="geometry", crs=CRS))


def _append(table: dict, common: dict, **values) -> None:
    for key in table:
        table[key].append(values[key] if key in values else common[key])

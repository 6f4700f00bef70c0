"""Take the joined data anywhere: GeoPackage, GeoJSON, Linked Places (LPF) or flat CSV.

`export(ds, fmt, out)` writes the resolved records of a `Dataset` (every `where` already a
geometry, every date already a month range) and returns the lines the CLI prints. Every
file is written atomically (a temporary file in the same directory, then `os.replace`),
so a failed export never leaves half a file behind.

- `gpkg`: layers places, railways, events, presence, readable by QGIS and GDAL. Lists
  (names, contingents, via) become `;`-joined text, month ranges `first_month` and
  `last_month` ("YYYY-MM"). A layer with mixed geometry types is declared `GEOMETRY`.
- `geojson`: one FeatureCollection of every place, railway, event and presence record;
  the property `layer` says which.
- `lpf`: the gazetteer as Linked Places Format v1.1 (World Historical Gazetteer's
  GeoJSON-LD), built in `lpf.py`.
- `csv`: a directory of flat tables with WKT geometry and the lon/lat of a representative
  point.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import shapely
from shapely.geometry import mapping

from . import timeline

FORMATS = ("gpkg", "geojson", "lpf", "csv")
LAYERS = ("places", "railways", "events", "presence")
DROP = ("m0", "m1", "type", "sort", "geometry")
DIGITS = 5  # ~1 m; the data are never more precise than that
# GeoPackage stamps the write time into gpkg_contents; a fixed stamp makes re-runs identical.
FIXED_DATE = "2000-01-01T00:00:00.000Z"


def export(ds, fmt: str, out: str | Path) -> list[str]:
    """Write `ds` as `fmt` to `out` (a file, or a directory for csv); return lines to print."""
    out = Path(out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    counts = ", ".join(f"{name} {len(getattr(ds, name))}" for name in LAYERS)
    if fmt == "gpkg":
        write_gpkg(ds, out)
        return [f"wrote {out} (GeoPackage, layers {', '.join(LAYERS)})", f"  {counts}"]
    if fmt == "geojson":
        obj = geojson(ds)
        _write_text(out, json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
        return [f"wrote {out} (GeoJSON FeatureCollection, {len(obj['features'])} features)",
                f"  {counts}"]
    if fmt == "lpf":
        from .lpf import lpf  # lpf builds on this module's geometry helpers

        obj = lpf(ds)
        _write_text(out, json.dumps(obj, ensure_ascii=False, indent=1) + "\n")
        dated = sum(1 for f in obj["features"] if "when" in f)
        linked = sum(1 for f in obj["features"] if f.get("links"))
        return [f"wrote {out} (Linked Places Format, {len(obj['features'])} places)",
                f"  {dated} with a timespan from the records, {linked} linked to GeoNames"]
    lines = [f"wrote {out}/ (CSV tables)"]
    for name, rows in csv_tables(ds).items():
        _write_text(out / f"{name}.csv", _csv_text(rows), mkdir=True)
        lines.append(f"  {name}.csv: {len(rows)} rows")
    return lines


# ------------------------------------------------------------------------------ values
def _value(v):
    """A cell as plain JSON/OGR-friendly Python: lists joined later, NaN -> None."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict, str)):
        v = v.item()  # numpy scalar
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _flat(v):
    v = _value(v)
    if isinstance(v, (list, tuple)):
        return ";".join(str(x) for x in v)
    return v


def _months(row) -> dict:
    return {"first_month": timeline.month_key(int(row["m0"])),
            "last_month": timeline.month_key(int(row["m1"]))}


def _round(c):
    if isinstance(c, (list, tuple)):
        return [_round(x) for x in c]
    return round(float(c), DIGITS)


def _geojson_geometry(g) -> dict | None:
    if g is None:  # an event with no place on the map
        return None
    m = mapping(g)
    return {"type": m["type"], "coordinates": _round(m["coordinates"])}


def _point(g):
    if g is None:
        return None, None
    p = g if g.geom_type == "Point" else g.representative_point()
    return round(p.x, DIGITS), round(p.y, DIGITS)


def records(ds, layer: str, flat: bool = False) -> list[tuple[dict, object]]:
    """(properties, geometry) of one layer, months as "YYYY-MM", lists kept or `;`-joined."""
    df = getattr(ds, layer)
    conv = _flat if flat else _value
    keep = [k for k in df.columns if k not in DROP]
    out = []
    for row, geom in zip(df.drop(columns="geometry").to_dict("records"), df.geometry):
        props = {k: conv(row[k]) for k in keep}
        if "m0" in row:
            props.update(_months(row))
        out.append((props, geom))
    return out


# ------------------------------------------------------------------------------ writers
@contextmanager
def _temp_beside(out: Path, suffix: str):
    """A fresh temporary path in `out`'s directory, removed unless it was moved to `out`."""
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as tmp:
        yield Path(tmp) / f"part{suffix}"


def _write_text(path: Path, text: str, mkdir: bool = False) -> None:
    if mkdir:
        path.parent.mkdir(parents=True, exist_ok=True)
    with _temp_beside(path, path.suffix) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp, path)


def write_gpkg(ds, out: Path) -> None:
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    try:
        with _temp_beside(out, ".gpkg") as tmp:
            for layer in LAYERS:
                recs = records(ds, layer, flat=True)
                columns = [c for c in getattr(ds, layer).columns if c not in DROP]
                if "m0" in getattr(ds, layer).columns:
                    columns += ["first_month", "last_month"]
                df = gpd.GeoDataFrame([p for p, _ in recs], columns=columns,
                                      geometry=[g for _, g in recs], crs="EPSG:4326")
                for col, dtype in getattr(ds, layer).dtypes.items():
                    if col == "geonames_id":
                        df[col] = pd.to_numeric(df[col]).astype("Int64")
                    elif col in df and dtype.kind in "fiu":
                        df[col] = pd.to_numeric(df[col]).astype(dtype.name)
                types = set(df.geom_type.dropna())
                gtype = types.pop() if len(types) == 1 else "Unknown"
                df.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio",
                           geometry_type=gtype,
                           layer_options={"IDENTIFIER": layer,
                                          "DESCRIPTION": f"{ds.title}: {layer}"})
            os.replace(tmp, out)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})


def geojson(ds) -> dict:
    features = []
    for layer in LAYERS:
        for props, g in records(ds, layer):
            features.append({"type": "Feature", "id": f"{layer}/{props['id']}",
                             "properties": {"layer": layer, **props},
                             "geometry": _geojson_geometry(g)})
    return {"type": "FeatureCollection", "title": ds.title,
            "months": [ds.months[0], ds.months[-1]],
            "contingents": [{k: _value(v) for k, v in r.items()}
                            for r in ds.contingents.to_dict("records")],
            "features": features}


def csv_tables(ds) -> dict[str, list[dict]]:
    tables = {}
    for layer in LAYERS:
        rows = []
        for props, g in records(ds, layer, flat=True):
            lon, lat = _point(g)
            rows.append({**props, "lon": lon, "lat": lat,
                         "geometry": "" if g is None else
                         shapely.to_wkt(g, rounding_precision=DIGITS, trim=True)})
        tables[layer] = rows
    tables["contingents"] = [{k: _value(v) for k, v in r.items()}
                             for r in ds.contingents.to_dict("records")]
    return tables


def _csv_text(rows: list[dict]) -> str:
    buf = io.StringIO()
    columns = list(dict.fromkeys(k for r in rows for k in r)) or ["id"]
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
    return buf.getvalue()

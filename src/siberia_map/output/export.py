"""Take the joined data anywhere: GeoPackage, GeoJSON, Linked Places (LPF) or flat CSV.

`export(ds, fmt, out)` writes the resolved records of a `Dataset` (every `where` already a
geometry, every date already a month range) and returns the lines the CLI prints. Every
file is written atomically (a temporary file in the same directory, then `os.replace`),
so a failed export never leaves half a file behind.

- `gpkg`: layers places, railways, events, presence (and, when the data set has them,
  movements, with each journey's route, and control, one row per place and unbroken
  hold from the control chronology), readable by QGIS and GDAL. Lists
  (names, contingents, via) become `;`-joined text, month ranges `first_month` and
  `last_month` ("YYYY-MM"). A layer with mixed geometry types is declared `GEOMETRY`.
- `geojson`: one FeatureCollection of every place, railway, event and presence record;
  the property `layer` says which.
- `lpf`: the gazetteer as Linked Places Format v1.1 (World Historical Gazetteer's
  GeoJSON-LD), built in `lpf.py`.
- `parquet`: a directory of GeoParquet files, one per layer, dates as Parquet DATEs
  where they are days beside the EDTF string (`tables.py`).
- `csv`: a directory of flat tables with WKT geometry and the lon/lat of a representative
  point, and a Frictionless `datapackage.json` describing them (`tables.py`). A cell that
  a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
  carriage return, the OWASP rule) gets a leading `'`; numbers stay numbers.

All files are written through `outputs.Batch` (the csv tables together, all or none), and
every JSON is strict (`allow_nan=False`): a NaN or infinity is an error, never `NaN`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import shapely

from ..data import timeline
from . import tables as _tables
from .lpf import lpf
from .files.outputs import Batch, OutputError
from .plain import DIGITS
from .plain import geojson_geometry as _geojson_geometry
from .plain import value as _value

FORMATS = ("gpkg", "geojson", "lpf", "csv", "parquet")
# The formats written as a directory of files, one per layer.
DIRECTORY_FORMATS = ("csv", "parquet")
LAYERS = ("places", "railways", "events", "presence")
# Written when the data set has them: journeys along the railway, and who held each place.
OPTIONAL_LAYERS = ("movements", "control")
DROP = ("m0", "m1", "type", "sort", "geometry")
# Columns the page draws from that the exported layers have never had: a journey's date
# qualifiers and its label, and which control.csv line a hold cites (the hold carries that
# row's where, date, note and source itself).
PAGE_ONLY = {"movements": ("approximate", "uncertain", "uncertainty", "label"),
             "control": ("control_row",)}
# GeoPackage stamps the write time into gpkg_contents; a fixed stamp makes re-runs identical.
FIXED_DATE = "2000-01-01T00:00:00.000Z"
CSV_FILES = [f"{name}.csv" for name in (*LAYERS, *OPTIONAL_LAYERS, "contingents")] + \
    ["datapackage.json"]
PARQUET_FILES = [f"{name}.parquet" for name in (*LAYERS, *OPTIONAL_LAYERS, "contingents")]
# OWASP's list, plus a line feed and the full-width forms some spreadsheets also accept;
# leading spaces are skipped as spreadsheets skip them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def export(ds, fmt: str, out: str | Path, shown: str | None = None,
           package: dict | None = None) -> list[str]:
    """Write `ds` as `fmt` to `out` (a file, or a directory for csv and parquet); return
    lines to print.

    `out` should have passed `outputs.check_file` / `check_dir`; `shown` is the path as
    the user wrote it, for the messages; `package` is the input's own `datapackage.json`
    (its licences and sources go into the CSV export's)."""
    out = Path(out)
    shown = shown or str(out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    counts = ", ".join(f"{name} {len(frame(ds, name))}" for name in layers(ds))
    if fmt == "gpkg":
        write_gpkg(ds, out)
        return [f"wrote {shown} (GeoPackage, layers {', '.join(layers(ds))})", f"  {counts}"]
    if fmt == "geojson":
        obj = geojson(ds)
        with Batch() as batch:
            batch.write(out, strict_json(obj, separators=(",", ":")) + "\n")
        return [f"wrote {shown} (GeoJSON FeatureCollection, {len(obj['features'])} features)",
                f"  {counts}"]
    if fmt == "lpf":
        obj = lpf(ds)
        with Batch() as batch:
            batch.write(out, strict_json(obj, indent=1) + "\n")
        dated = sum(1 for f in obj["features"] if "when" in f)
        linked = sum(1 for f in obj["features"] if f.get("links"))
        return [f"wrote {shown} (Linked Places Format, {len(obj['features'])} places)",
                f"  {dated} with a timespan from the records, {linked} linked to GeoNames"]
    if fmt == "parquet":
        lines = [f"wrote {shown}/ (GeoParquet, one file per layer)"]
        with Batch() as batch:
            written = _tables.write_parquet(ds, out, batch, layers(ds),
                                            lambda layer: records(ds, layer))
        return lines + [f"  {name}: {n} rows" for name, n in written]
    lines = [f"wrote {shown}/ (CSV tables and datapackage.json)"]
    tables = csv_tables(ds)
    with Batch() as batch:
        for name, rows in tables.items():
            batch.write(out / f"{name}.csv", _csv_text(rows))
            lines.append(f"  {name}.csv: {len(rows)} rows")
        batch.write(out / "datapackage.json",
                    strict_json(_tables.datapackage(ds, tables, package), indent=1) + "\n")
    return lines


def strict_json(obj, **kwargs) -> str:
    """RFC 8259 JSON: a NaN or infinity anywhere is a ValueError, never written."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, **kwargs)


def layers(ds) -> tuple[str, ...]:
    """The layers of `ds` to export: the four of every data set, then the optional ones."""
    return LAYERS + tuple(name for name in OPTIONAL_LAYERS if len(frame(ds, name)))


def frame(ds, layer: str):
    """The `Dataset`'s GeoDataFrame of one layer, without the columns only the page uses."""
    df = getattr(ds, layer)
    hidden = [c for c in PAGE_ONLY.get(layer, ()) if c in df.columns]
    return df.drop(columns=hidden) if hidden else df


# ------------------------------------------------------------------------------ values
def _flat(v):
    v = _value(v)
    if isinstance(v, (list, tuple)):
        return ";".join(str(x) for x in v)
    return v


def _months(row) -> dict:
    return {"first_month": timeline.month_key(int(row["m0"])),
            "last_month": timeline.month_key(int(row["m1"]))}


def _point(g):
    if g is None:
        return None, None
    p = g if g.geom_type == "Point" else g.representative_point()
    return round(p.x, DIGITS), round(p.y, DIGITS)


def records(ds, layer: str, flat: bool = False) -> list[tuple[dict, object]]:
    """(properties, geometry) of one layer, months as "YYYY-MM", lists kept or `;`-joined."""
    df = frame(ds, layer)
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
def write_gpkg(ds, out: Path) -> None:
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    import pyogrio.errors

    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    try:
        with Batch() as batch:
            # GDAL writes journal files beside its database: it gets a directory of its own.
            tmp = batch.stage(out, directory=True)
            for layer in layers(ds):
                source = frame(ds, layer)
                recs = records(ds, layer, flat=True)
                columns = [c for c in source.columns if c not in DROP]
                if "m0" in source.columns:
                    columns += ["first_month", "last_month"]
                df = gpd.GeoDataFrame([p for p, _ in recs], columns=columns,
                                      geometry=[g for _, g in recs], crs="EPSG:4326")
                for col, dtype in source.dtypes.items():
                    if col == "geonames_id":
                        df[col] = pd.to_numeric(df[col]).astype("Int64")
                    elif col in df and dtype.kind in "fiu":
                        df[col] = pd.to_numeric(df[col]).astype(dtype.name)
                types = set(df.geom_type.dropna())
                gtype = types.pop() if len(types) == 1 else "Unknown"
                try:
                    df.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio",
                               geometry_type=gtype,
                               layer_options={"IDENTIFIER": layer,
                                              "DESCRIPTION": f"{ds.title}: {layer}"})
                except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
                    # GDAL reports a full disk or a refused write as its own error types
                    raise OutputError(out, f"GDAL could not write it ({_first_line(exc)})",
                                      "check the free space and permissions, or write "
                                      "somewhere else") from None
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]


def geojson(ds) -> dict:
    features = []
    for layer in layers(ds):
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
    for layer in layers(ds):
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
    # RFC 4180 line ends: the writer then quotes a field with a bare CR as well as an LF.
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    w.writeheader()
    w.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
    return buf.getvalue()


def _cell(v):
    """A CSV cell a spreadsheet shows as text: formula-like text gets a leading `'`."""
    if v is None:
        return ""
    if isinstance(v, str) and (v.startswith(FORMULA_START)
                               or v.lstrip(" ").startswith(FORMULA_START)):
        return "'" + v
    return v

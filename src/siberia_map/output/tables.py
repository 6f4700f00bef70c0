"""The tabular exports' own parts: GeoParquet files, and the CSV tables' `datapackage.json`.

- GeoParquet (`export --format parquet`): one file per layer, `places.parquet`,
  `railways.parquet`, `events.parquet`, `presence.parquet` (and `movements`, `control`
  when the data set has them), written by geopandas through pyarrow: GeoParquet 1.x with
  WKB geometry and the CRS (WGS84) in the file's `geo` metadata, so DuckDB, lonboard, QGIS
  and `geopandas.read_parquet` read them as they are. Lists (names, contingents, via) stay
  lists. A record's `date` keeps its EDTF string; beside it `start` and `end` are Parquet
  DATEs where the EDTF gives days (`1918-08-15`, `1918-08-15/1918-08-21`; empty for
  "summer 1919"), `earliest` and `latest` the first and last day the date can mean, always;
  the month range is `first_month`/`last_month` ("YYYY-MM"), as in the other exports.
  `contingents.parquet` is a plain Parquet table (it has no geometry).
- `datapackage.json` (with `export --format csv`): a Frictionless Data Package describing
  each CSV table: its dialect (RFC 4180, CRLF), and a Table Schema whose field types are
  read from the values written (integer, number, boolean, year-month, else string).
"""

from __future__ import annotations

import datetime as dt
import re

from ..data import timeline
from .plain import value as _plain

# A date part that names a day: YYYY-MM-DD, perhaps with a qualifier.
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[~?%]?$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PROFILE = "tabular-data-package"


def _day(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:  # a year before 1 or after 9999: the EDTF string still says it
        return None


def day_columns(edtf: str) -> dict:
    """`start`, `end` (the days an EDTF names, else None), `earliest`, `latest` (its bounds)."""
    out = {"start": None, "end": None, "earliest": None, "latest": None}
    if not isinstance(edtf, str) or not edtf:
        return out
    try:
        span = timeline.parse(edtf)
    except timeline.DateProblem:
        return out
    out["earliest"], out["latest"] = _day(*span.first), _day(*span.last)
    parts = edtf.split("/")
    days = [_DAY.match(p) for p in parts]
    if len(parts) in (1, 2) and all(days):
        out["start"], out["end"] = out["earliest"], out["latest"]
    return out


def write_parquet(ds, out, batch, layer_names, records_of) -> list[tuple[str, int]]:
    """Each layer as `<out>/<layer>.parquet` staged in `batch`; (file name, rows) written.

    `records_of(layer)` gives (properties, geometry) pairs with the month range already as
    `first_month`/`last_month` and lists kept."""
    import geopandas as gpd
    import pandas as pd
    import pyarrow  # (imported here: only this format needs it)

    written = []
    for layer in layer_names:
        recs = records_of(layer)
        rows = []
        for props, _ in recs:
            row = dict(props)
            if "date" in row:
                row.update(day_columns(row["date"]))
            rows.append(row)
        columns = list(dict.fromkeys(k for r in rows for k in r)) or ["id"]
        frame = pd.DataFrame(rows, columns=columns)
        for col in frame.columns:
            frame[col] = _one_type(frame[col])
        for col in ("start", "end", "earliest", "latest"):
            if col in frame:  # Parquet DATE (days), whatever pandas would infer for None
                frame[col] = frame[col].astype(pd.ArrowDtype(pyarrow.date32()))
        gdf = gpd.GeoDataFrame(frame, geometry=[g for _, g in recs], crs="EPSG:4326")
        name = f"{layer}.parquet"
        gdf.to_parquet(batch.stage(out / name), index=False, schema_version="1.0.0")
        written.append((name, len(gdf)))
    contingents = pd.DataFrame([{k: _plain(v) for k, v in r.items()}
                                for r in ds.contingents.to_dict("records")])
    contingents.to_parquet(batch.stage(out / "contingents.parquet"), index=False)
    written.append(("contingents.parquet", len(contingents)))
    return written


def _one_type(column):
    """A column Arrow can type: values of mixed kinds (a number here, text there) as text;
    lists stay lists, empty cells stay empty."""
    if column.dtype != object:
        return column
    kinds = {type(v) for v in column if v is not None and not (isinstance(v, float) and v != v)}
    if len(kinds) <= 1 or kinds <= {int, float} or kinds <= {list, tuple}:
        return column
    return column.map(lambda v: v if v is None or isinstance(v, (list, tuple)) else str(v))


# ------------------------------------------------------------------------------ datapackage
def _field_type(values) -> dict:
    """The Table Schema type of a column from the Python values written to it."""
    present = [v for v in values if v is not None and v != ""]
    if not present:
        return {"type": "string"}
    if all(isinstance(v, bool) for v in present):
        return {"type": "boolean"}
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return {"type": "integer"}
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return {"type": "number"}
    if all(isinstance(v, str) and _MONTH.match(v) for v in present):
        return {"type": "yearmonth"}
    return {"type": "string"}


DESCRIPTIONS = {
    "id": "The record's id in the data set",
    "date": "The date as written, in EDTF (Extended Date/Time Format, ISO 8601-2)",
    "first_month": "The first calendar month the record is shown in",
    "last_month": "The last calendar month the record is shown in",
    "lon": "Longitude (WGS84) of a representative point of the geometry",
    "lat": "Latitude (WGS84) of a representative point of the geometry",
    "geometry": "The geometry as WKT, longitude/latitude in WGS84 (EPSG:4326)",
    "contingents": "The contingents (groups) of the record, joined by ';'",
}


def datapackage(ds, tables: dict[str, list[dict]], source: dict | None = None) -> dict:
    """The Data Package describing the CSV tables `tables` (name -> rows) as written.

    `source` is the input data set's own `datapackage.json`, if it has one: its name,
    version, licences and sources carry over (the export is derived from that data)."""
    resources = []
    for name, rows in tables.items():
        columns = list(dict.fromkeys(k for r in rows for k in r)) or ["id"]
        fields = []
        for col in columns:
            field = {"name": col, **_field_type([r.get(col) for r in rows])}
            if col in DESCRIPTIONS:
                field["description"] = DESCRIPTIONS[col]
            fields.append(field)
        schema = {"fields": fields, "missingValues": [""]}
        ids = [r.get("id") for r in rows]
        if rows and "id" in columns and None not in ids and len(set(ids)) == len(ids):
            schema["primaryKey"] = ["id"]
        resources.append({"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "dialect": {"delimiter": ",", "lineTerminator": "\r\n",
                                      "quoteChar": '"', "doubleQuote": True, "header": True},
                          "schema": schema})
    source = source if isinstance(source, dict) else {}
    package = {"profile": PROFILE, "name": _name(source.get("name") or ds.title),
               "title": ds.title,
               "description": ("Exported by siberia-map: the joined, resolved records, one "
                               "table per layer; text cells a spreadsheet would run as a "
                               "formula start with a `'`."),
               "temporal": {"start": ds.months[0], "end": ds.months[-1]},
               "resources": resources}
    for key in ("version", "licenses", "sources"):
        if source.get(key):
            package[key] = source[key]
    return package


def _name(title: str) -> str:
    """A Data Package name: lower-case letters, digits and `-._`."""
    return re.sub(r"[^a-z0-9._-]+", "-", (title or "dataset").lower()).strip("-") or "dataset"

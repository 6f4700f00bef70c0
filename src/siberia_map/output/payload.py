"""The joined data set as the one compact JSON object the browser reads.

Shared geometries are stored once in `geoms` and referenced by index; records are columnar
(one list per field) because at 100,000 events repeating the field names would dominate the
file. Coordinates are [lat, lon] rounded to 4 decimals (about 10 m), far finer than any 1918
position is known. See docs/architecture.md for the contract.
"""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from ..data import citations
from ..model.dataset import Dataset
from . import blocks, columns

VERSION = 2
DIGITS = 4


def build(ds: Dataset) -> dict:
    contingents = ds.contingents
    cindex = {cid: i for i, cid in enumerate(contingents["id"])}
    geoms = _GeomTable()
    places = []
    for r in ds.places.itertuples():
        places.append({
            "id": r.id, "name": r.name, "kind": r.kind, "label": bool(r.label),
            "names": [str(n) for n in (r.names if isinstance(r.names, list) else [])],
            "modern": r.modern_name or "", "note": r.note or "", "source": r.source,
            "precision_km": _num(r.precision_km), "g": geoms.add(r.id, r.geometry),
        })
    railways = _railways(ds)
    control = blocks.control(ds, encode)
    cited = [*ds.events["source"].tolist(), *ds.presence["source"].tolist(),
             *(control["rows"]["src"] if control is not None else [])]
    bibliography = _Bibliography(ds.sources.to_dict("records"), cited)
    events = _columns(ds.events, ds.first_month, geoms, cindex, "event", bibliography)
    presence = _columns(ds.presence, ds.first_month, geoms, cindex, "presence", bibliography)
    index = columns.month_index(events, presence, len(ds.months))
    return {
        "version": VERSION,
        "title": ds.title,
        "subtitle": ds.meta.get("subtitle", ""),
        "citation": ds.meta.get("citation", ""),
        "bounds": [[round(float(v), DIGITS) for v in corner] for corner in ds.bounds],
        "months": ds.months,
        "contingents": [
            {k: str(row.get(k, "") or "") for k in
             ("id", "name", "full_name", "side", "colour", "strength", "commanders", "source", "note")}
            for row in contingents.to_dict("records")
        ],
        "places": places,
        "railways": railways,
        "sources": bibliography.entries,
        "events": _typed(events),
        "presence": _typed(presence),
        "index": index,
        "movements": blocks.movements(ds.movements, ds.first_month, geoms, cindex),
        "control": _cited(control, bibliography),
        "story": blocks.story(ds.story, ds.first_month, cindex),
        "strength": blocks.strength(ds.presence, list(contingents["id"]), ds.first_month,
                                     len(ds.months)),
        "geoms": geoms.items,
        "basemap": ds.basemap,
    }


def _railways(ds: Dataset) -> list[dict]:
    names = dict(zip(ds.places["id"], ds.places["name"]))
    return [{"id": row["id"], "line": row["line"], "c": _coords(row.geometry),
             "name": f"{names.get(row['from'], row['from'])} \u2013 {names.get(row['to'], row['to'])}"}
            for _, row in ds.railways.iterrows()]


class _Bibliography:
    """sources.csv as the payload's `sources` list, and citations as [index, locator] pairs.

    Each work the map cites (`texts`: the `source` values shown) is stored once, in
    sources.csv order; a record carries only indices and locators, so a bibliography cited by
    100,000 records costs a few bytes per citation."""

    FIELDS = ("key", "type", "author", "title", "year", "publisher", "url")

    def __init__(self, rows: list[dict], texts):
        self.by_key = {r.get("key", ""): r for r in rows}
        used = {key for text in dict.fromkeys(_text(t) for t in texts)
                for key, _ in citations.resolve(text, self.by_key)}
        self.entries = [{k: _text(r.get(k)) for k in self.FIELDS} for r in rows
                        if r.get("key") in used]
        self.index = {e["key"]: i for i, e in enumerate(self.entries)}

    def cite(self, text) -> list[list]:
        return [[self.index[key], locator]
                for key, locator in citations.resolve(_text(text), self.by_key)]


def _cited(control: dict | None, bibliography) -> dict | None:
    """The control rows' citations as in records: `rows.cite`, `rows.src` "" where resolved."""
    if control is None or not bibliography.entries:
        return control
    rows = control["rows"]
    rows["cite"] = [bibliography.cite(v) for v in rows["src"]]
    rows["src"] = ["" if cite else src for cite, src in zip(rows["cite"], rows["src"])]
    return control


def _columns(df, first_month: int, geoms, cindex, kind: str, bibliography) -> dict:
    # Column by column: `DataFrame.to_dict("records")` boxes every cell and took most of
    # the payload time at 100,000 records.
    n = len(df)

    def col(name):
        return df[name].tolist() if name in df.columns else [None] * n

    # -1: an event with no place on the map (listed for its month, not drawn). A geometry is
    # taken out of the frame only the first time its key comes (boxing one shapely object
    # per row took most of this at 100,000 records).
    g, index, values = [], geoms.index, df.geometry.values
    for i, (k, missing) in enumerate(zip(col("where_id"), df.geometry.isna().tolist())):
        gi = -1 if missing else index.get(k)
        g.append(geoms.add(k, values[i]) if gi is None else gi)
    c = [[cindex[ci] for ci in ids] for ids in col("contingents")]
    cols: dict[str, list] = {
        "id": [str(v) for v in col("id")],
        "g": g,
        "m0": [int(v) - first_month for v in col("m0")],
        "m1": [int(v) - first_month for v in col("m1")],
        "c": c if kind == "event" else [ids[0] for ids in c],
        "date": col("date"),
        "when": col("when"),
        "unc": [1 if (a or u) else 0 for a, u in zip(col("approximate"), col("uncertain"))],
        "unote": col("uncertainty"),
        "where": col("where_label"),
        "src": [_text(v) for v in col("source")],
        # The events' order in a month: by day, else by the date as written.
        "sort": [_text(s) or _text(d) for s, d in zip(col("sort"), col("date"))],
    }
    extra = {"kind": "kind", "title": "title", "text": "description"} if kind == "event" else \
        {"strength": "strength", "note": "note"}
    for key, name in extra.items():
        cols[key] = [_text(v) for v in col(name)]
    if "tip" in df.columns and any(col("tip")):  # explore(tooltip=[...]): lines shown on hover
        cols["tip"] = [[_text(x) for x in v] if isinstance(v, list) else [] for v in col("tip")]
    if bibliography.entries:  # free-text sources need no `cite` column
        cols["cite"] = [bibliography.cite(v) for v in col("source")]
        # The citations say it all: the source text stays only where none resolved.
        cols["src"] = ["" if cite else src for cite, src in zip(cols["cite"], cols["src"])]
    return cols


# Numeric record columns travel as typed arrays (see columns.py); `sort` only ordered the
# month index and stays behind.
TYPED = ("g", "m0", "m1", "unc")


def _typed(cols: dict) -> dict:
    out = {k: v for k, v in cols.items() if k != "sort"}
    for key in TYPED:
        out[key] = columns.typed(cols[key])
    if cols["c"] and not isinstance(cols["c"][0], list):  # presence: one contingent each
        out["c"] = columns.typed(cols["c"])
    return out


class _GeomTable:
    """Geometries keyed by what they resolve (a place id or a stretch), each stored once."""

    def __init__(self):
        self.items: list[dict] = []
        self.index: dict[str, int] = {}

    def add(self, key: str, geom: BaseGeometry) -> int:
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(encode(geom))
        return self.index[key]


def encode(geom: BaseGeometry) -> dict:
    t = geom.geom_type
    if t == "Point":
        return {"t": "pt", "c": _latlon(geom.coords[0])}
    if t in ("LineString", "MultiLineString"):
        parts = [geom] if t == "LineString" else list(geom.geoms)
        mid = geom.interpolate(0.5, normalized=True) if t == "LineString" else parts[0].interpolate(0.5, normalized=True)
        return {"t": "ln", "c": [_coords(p) for p in parts], "p": _latlon(mid.coords[0])}
    polys = [geom] if t == "Polygon" else list(geom.geoms)
    return {"t": "pg", "c": [[_coords(p.exterior)] + [_coords(r) for r in p.interiors] for p in polys],
            "p": _latlon(geom.representative_point().coords[0])}


def _coords(line) -> list:
    return [_latlon(c) for c in line.coords]


def _latlon(c) -> list:
    return [round(float(c[1]), DIGITS), round(float(c[0]), DIGITS)]


def _num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


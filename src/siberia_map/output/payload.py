"""The joined data set as the one compact JSON object the browser reads.

Shared geometries are stored once in `geoms` and referenced by index; records are columnar
(one list per field) because at 100,000 events repeating the field names would dominate the
file. Coordinates are [lat, lon] rounded to 4 decimals (about 10 m), far finer than any 1918
position is known. See docs/architecture.md for the contract.
"""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from ..data import citations, schema
from ..model.dataset import Dataset
from .. import i18n
from . import blocks, columns

VERSION = 3
DIGITS = 4


def build(ds: Dataset, langs: tuple[str, ...] = i18n.DEFAULT) -> dict:
    """The payload of `ds` for a page holding the languages `langs` (the page's own first)."""
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
            # Its names in other languages (name_ru, name_ja, ...), where the data set has them.
            **{f"name_{code}": own for code in schema.PLACE_NAME_LANGS
               if isinstance(own := getattr(r, f"name_{code}", None), str) and own},
        })
    railways = _railways(ds)
    control = blocks.control(ds, encode)
    cited = [*ds.events["source"].tolist(), *ds.presence["source"].tolist(),
             *(control["rows"]["src"] if control is not None else [])]
    bibliography = _Bibliography(ds.sources.to_dict("records"), cited)
    events = _columns(ds.events, ds.first_month, geoms, cindex, "event", bibliography)
    presence = _columns(ds.presence, ds.first_month, geoms, cindex, "presence", bibliography)
    where_l10n = _local_where([ds.events, ds.presence], geoms.index, places, langs)
    index = columns.month_index(events, presence, len(ds.months))
    place_counts = columns.place_counts(events, presence, len(ds.months))
    strings = columns.Strings()
    events, presence = _strings(events, strings), _strings(presence, strings)
    table, renumber = strings.encode()
    return {
        "version": VERSION,
        "title": ds.title,
        "subtitle": ds.meta.get("subtitle", ""),
        "citation": ds.meta.get("citation", ""),
        # The title, subtitle and citation in other languages, where dataset.json has them.
        **{f"{key}_{code}": ds.meta[f"{key}_{code}"] for key in schema.TRANSLATED_META
           for code in i18n.LANGS if isinstance(ds.meta.get(f"{key}_{code}"), str)},
        "bounds": [[round(float(v), DIGITS) for v in corner] for corner in ds.bounds],
        "months": ds.months,
        "contingents": [
            {k: str(row.get(k, "") or "") for k in
             ("id", "name", "full_name", "side", "colour", "strength", "commanders", "source", "note")}
            | {f"name_{code}": row[f"name_{code}"] for code in i18n.LANGS
               if isinstance(row.get(f"name_{code}"), str) and row[f"name_{code}"]}
            for row in contingents.to_dict("records")
        ],
        "places": places,
        "railways": railways,
        "sources": bibliography.entries,
        "strings": table,
        "events": _typed(events, renumber),
        "presence": _typed(presence, renumber),
        "index": index,
        "counts": place_counts,
        "movements": blocks.movements(ds.movements, ds.first_month, geoms, cindex),
        "control": _cited(control, bibliography),
        "story": blocks.story(ds.story, ds.first_month, cindex),
        "strength": blocks.strength(ds.presence, list(contingents["id"]), ds.first_month,
                                     len(ds.months)),
        "where_l10n": where_l10n,
        "geoms": geoms.items,
        "basemap": ds.basemap,
        "i18n": i18n.block(langs),
    }


def _railways(ds: Dataset) -> list[dict]:
    names = dict(zip(ds.places["id"], ds.places["name"]))
    return [{"id": row["id"], "line": row["line"], "c": _coords(row.geometry),
             "name": f"{names.get(row['from'], row['from'])} \u2013 {names.get(row['to'], row['to'])}"}
            for _, row in ds.railways.iterrows()]


def _local_where(frames, index: dict, places: list[dict], langs) -> dict | None:
    """The records' places in the page languages other than English, by geometry: `g` lists
    the geometry indices of the places and stretches records stand at, and each language a
    label per entry from the places' `name_<lang>` (a stretch as "Омск – Новониколаевск
    (железная дорога)"), "" where the English label stands. One label per place, however
    many records: a 100,000-record chronology stands at a few hundred places. None when no
    language differs."""
    keys = sorted({_text(v) for df in frames if "where_id" in df.columns for v in df["where_id"]}
                  & set(index), key=index.get)
    out: dict = {"g": [index[k] for k in keys]}
    for code in langs:
        if code == "en":
            continue
        own = {p["id"]: p.get(f"name_{code}", "") for p in places}
        names = {p["id"]: own[p["id"]] or p["name"] for p in places}
        labels = []
        for key in keys:
            if ".." in key:
                a, b = key.split("..", 1)
                labels.append(i18n.t(code, "place.stretch", **{"from": names.get(a, a),
                                                               "to": names.get(b, b)}))
            else:
                labels.append(own.get(key, ""))
        if any(labels):
            out[code] = labels
    return out if len(out) > 1 else None


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
        # The Old Style date as the source wrote it, for the pages that write dates in
        # words themselves (DateWords.js); "" for Gregorian rows.
        "os": [_text(w) if c == "julian" else "" for c, w in zip(col("calendar"), col("date_as_written"))],
        "unc": [1 if (a or u) else 0 for a, u in zip(col("approximate"), col("uncertain"))],
        "unote": col("uncertainty"),
        "where": col("where_label"),
        "src": _texts(col("source")),
        # The events' order in a month: by day, else by the date as written.
        "sort": [_text(s) or _text(d) for s, d in zip(col("sort"), col("date"))],
    }
    extra = {"kind": "kind", "title": "title", "text": "description"} if kind == "event" else \
        {"strength": "strength", "note": "note"}
    translated = schema.TRANSLATED_COLUMNS[schema.EVENTS if kind == "event" else schema.PRESENCE]
    for key, name in extra.items():
        cols[key] = _texts(col(name))
        # A data set's own translations (`title_ru`, `description_fr`...): the page shows
        # them in that language, the column itself elsewhere.
        for code in i18n.LANGS if name in translated else ():
            if f"{name}_{code}" in df.columns:
                cols[f"{key}_{code}"] = _texts(col(f"{name}_{code}"))
    if not any(cols["os"]):
        del cols["os"]
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
# Text columns travel as indices into the string table (see columns.Strings); ids and
# explore's tooltip lines stay JSON lists.
TEXT = columns.TEXT


def _strings(cols: dict, strings) -> dict:
    """The text columns as (provisional) string numbers, citations as (work, locator) pairs
    of numbers."""
    out = dict(cols)
    for key in TEXT:
        if key in cols:
            out[key] = strings.column(cols[key])
    if "cite" in cols:
        out["cite"] = [[(work, strings.add(locator)) for work, locator in cite] for cite in cols["cite"]]
    return out


def _typed(cols: dict, renumber) -> dict:
    out = {k: v for k, v in cols.items() if k != "sort"}
    for key in TYPED:
        out[key] = columns.typed(cols[key])
    for key in TEXT:
        if key in cols:
            out[key] = columns.typed(renumber[cols[key]] if cols[key] else [])
    if "cite" in cols:
        cite = columns.lists([[w for w, _ in c] for c in cols["cite"]])
        loc = [int(renumber[k]) for c in cols["cite"] for _, k in c]
        out["cite"] = {"start": cite["start"], "src": cite["v"], "loc": columns.typed(loc)}
    if cols["c"] and isinstance(cols["c"][0], list):  # events: a list of contingents each
        out["c"] = columns.lists(cols["c"])
    else:  # presence: one contingent each
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


def _texts(values) -> list[str]:
    """`_text` of each value; a plain string, nearly every cell, taken as it is."""
    return [v if type(v) is str else _text(v) for v in values]


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
  GeoJSON-LD); `check_lpf(obj)` lists what breaks LPF's required structure.
- `csv`: a directory of flat tables with WKT geometry and the lon/lat of a representative
  point.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import shapely
from shapely.geometry import mapping

from . import timeline

FORMATS = ("gpkg", "geojson", "lpf", "csv")
LAYERS = ("places", "railways", "events", "presence")
LPF_CONTEXT = ("https://raw.githubusercontent.com/LinkedPasts/linked-places/master/"
               "linkedplaces-context-v1.1.jsonld")
# Getty AAT place types, from the World Historical Gazetteer's subset (aat_whg-subset.tsv).
AAT = {"city": ("300008389", "city"), "town": ("300008375", "town"),
       "village": ("300008372", "village"), "port": ("300120599", "port"),
       "station": ("300008347", "inhabited place"), "site": ("300000809", "site"),
       "lake": ("300008680", "lake"), "river": ("300008707", "river"),
       "region": ("300182722", "region (geographic)"), "country": ("300128207", "nation")}
LINK_TYPES = ("closeMatch", "exactMatch", "primaryTopicOf", "subjectOf", "seeAlso")
CERTAINTY = ("certain", "less-certain", "uncertain")
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon")
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


def _geojson_geometry(g) -> dict:
    m = mapping(g)
    return {"type": m["type"], "coordinates": _round(m["coordinates"])}


def _point(g):
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
                types = set(df.geom_type)
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
                         "geometry": shapely.to_wkt(g, rounding_precision=DIGITS, trim=True)})
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


# ------------------------------------------------------------------------------ LPF
def place_months(ds) -> dict[str, tuple[int, int]]:
    """place id -> (first, last) month of the events and presence records there.

    A record on a railway stretch counts for every place on the stretch (its ends and
    the stations it passes within about a kilometre)."""
    spans: dict[str, list[int]] = {}
    points = [(pid, g) for pid, g in zip(ds.places["id"], ds.places.geometry)]
    for df in (ds.events, ds.presence):
        for wid, g, a, b in zip(df["where_id"], df.geometry, df["m0"], df["m1"]):
            if ".." in wid:
                ids = set(wid.split(".."))
                ids.update(pid for pid, p in points
                           if p.geom_type == "Point" and g.distance(p) < 0.01)
            else:
                ids = {wid}
            for pid in ids:
                span = spans.setdefault(pid, [a, b])
                span[0], span[1] = min(span[0], a), max(span[1], b)
    return {k: (int(a), int(b)) for k, (a, b) in spans.items()}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "dataset"


def _lang(name: str) -> str | None:
    if re.search(r"[\u0400-\u04FF]", name):
        return "ru"
    if re.search(r"[\u4e00-\u9fff]", name):
        return "zh"
    return None


def lpf(ds) -> dict:
    """The places as a Linked Places Format v1.1 FeatureCollection."""
    base = ds.meta.get("place_uri") or f"urn:siberia-map:{_slug(ds.title)}:place:"
    spans = place_months(ds)
    features = []
    for _, p in ds.places.iterrows():
        features.append(_lpf_feature(p, base, spans.get(p["id"])))
    return {"@context": LPF_CONTEXT, "type": "FeatureCollection",
            "title": ds.title, "features": features}


def _lpf_feature(p, base: str, span) -> dict:
    cite = {"label": p["source"]}
    gid = _value(p.get("geonames_id"))
    if gid:
        cite["@id"] = f"https://www.geonames.org/{int(gid)}"
    names = [{"toponym": p["name"], "lang": "en", "citations": [cite]}]
    seen = {p["name"]}
    for n in [*(_value(p.get("names")) or []), p.get("modern_name") or ""]:
        if n and n not in seen:
            seen.add(n)
            names.append({"toponym": n, **({"lang": _lang(n)} if _lang(n) else {})})
    aat, label = AAT.get(p["kind"], (None, p["kind"]))
    typ = {"label": label, "sourceLabels": [{"label": p["kind"], "lang": "en"}]}
    if aat:
        typ = {"identifier": f"aat:{aat}", **typ}
    precision = _value(p.get("precision_km"))
    geometry = {**_geojson_geometry(p.geometry), "citations": [{"label": p["source"]}],
                "certainty": "less-certain" if precision else "certain"}
    ccodes = _value(p.get("ccodes")) if "ccodes" in p else None
    feat = {"@id": f"{base}{p['id']}", "type": "Feature",
            "properties": {"title": p["name"], "ccodes": list(ccodes or [])},
            "names": names, "types": [typ],
            "geometry": {"type": "GeometryCollection", "geometries": [geometry]}}
    if span:
        feat["when"] = {"timespans": [{"start": {"in": timeline.month_key(span[0])},
                                       "end": {"in": timeline.month_key(span[1])}}],
                        "label": "months with events or presence records on this map"}
    if gid:
        feat["links"] = [{"type": "closeMatch",
                          "identifier": f"https://www.geonames.org/{int(gid)}"}]
    if p.get("note"):
        feat["descriptions"] = [{"value": p["note"], "lang": "en"}]
    return feat


_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?[~?%]?$")


def check_lpf(obj) -> list[str]:
    """Problems with `obj` as a Linked Places Format (v1.1) FeatureCollection; [] if none.

    Checks the structure LPF requires (README of LinkedPasts/linked-places-format):
    `@context`, `type`, features with a unique URI `@id`, `properties.title`, `names`
    (at least one cited), `geometry`; and the shape of the optional elements when present
    (`ccodes`, `types`, `when`, `links`, `relations`, `descriptions`, `citations`)."""
    if not isinstance(obj, dict):
        return [f"top level: expected a JSON object, got {type(obj).__name__}"]
    problems: list[str] = []
    ctx = obj.get("@context")
    if not (isinstance(ctx, str) and ctx.strip()) and not isinstance(ctx, (dict, list)):
        problems.append("@context: required (the Linked Places JSON-LD context URL)")
    if obj.get("type") != "FeatureCollection":
        problems.append(f"type: expected 'FeatureCollection', got {obj.get('type')!r}")
    feats = obj.get("features")
    if not isinstance(feats, list) or not feats:
        return problems + ["features: expected a non-empty list"]
    ids: set[str] = set()
    for i, f in enumerate(feats):
        where = f"features[{i}]"
        if not isinstance(f, dict):
            problems.append(f"{where}: expected an object")
            continue
        fid = f.get("@id")
        if isinstance(fid, str) and fid:
            where += f" ({fid})"
        problems += [f"{where}: {msg}" for msg in _check_feature(f, ids)]
    return problems


def _check_feature(f: dict, ids: set) -> list[str]:
    out: list[str] = []
    fid = f.get("@id")
    if not isinstance(fid, str) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", fid):
        out.append(f"@id: expected a URI, got {fid!r}")
    elif fid in ids:
        out.append("@id: used by another feature")
    else:
        ids.add(fid)
    if f.get("type") != "Feature":
        out.append(f"type: expected 'Feature', got {f.get('type')!r}")
    props = f.get("properties")
    if not isinstance(props, dict):
        out.append("properties: required object")
    else:
        if not isinstance(props.get("title"), str) or not props["title"].strip():
            out.append("properties.title: required non-empty text")
        cc = props.get("ccodes")
        if cc is not None and (not isinstance(cc, list) or not all(
                isinstance(c, str) and re.match(r"^[A-Z]{2}$", c) for c in cc)):
            out.append(f"properties.ccodes: expected ISO 3166-1 alpha-2 codes, got {cc!r}")
    names = f.get("names")
    if not isinstance(names, list) or not names:
        out.append("names: required non-empty list")
    else:
        for j, n in enumerate(names):
            if not isinstance(n, dict) or not isinstance(n.get("toponym"), str) \
                    or not n["toponym"].strip():
                out.append(f"names[{j}].toponym: required non-empty text")
                continue
            out += _check_citations(n, f"names[{j}]") + _check_when(n.get("when"), f"names[{j}]")
        if not any(isinstance(n, dict) and n.get("citations") for n in names):
            out.append("names: at least one name needs a citation")
    out += _check_geometry(f.get("geometry"))
    out += _check_when(f.get("when"), "")
    for j, t in enumerate(_list(f, "types", out)):
        if not isinstance(t, dict) or not isinstance(t.get("label"), str) or not t["label"]:
            out.append(f"types[{j}].label: required non-empty text")
        elif "identifier" in t and not isinstance(t["identifier"], str):
            out.append(f"types[{j}].identifier: expected text")
    for j, link in enumerate(_list(f, "links", out)):
        if not isinstance(link, dict) or link.get("type") not in LINK_TYPES:
            out.append(f"links[{j}].type: one of {', '.join(LINK_TYPES)}")
        elif not isinstance(link.get("identifier"), str) or not link["identifier"]:
            out.append(f"links[{j}].identifier: required URI")
    for j, r in enumerate(_list(f, "relations", out)):
        if not isinstance(r, dict) or not r.get("relationType") or not r.get("relationTo"):
            out.append(f"relations[{j}]: relationType and relationTo required")
    for j, d in enumerate(_list(f, "descriptions", out)):
        if not isinstance(d, dict) or not isinstance(d.get("value"), str):
            out.append(f"descriptions[{j}].value: required text")
    return out


def _list(obj: dict, key: str, out: list) -> list:
    value = obj.get(key, [])
    if not isinstance(value, list):
        out.append(f"{key}: expected a list")
        return []
    return value


def _check_citations(obj: dict, where: str) -> list[str]:
    cites = obj.get("citations")
    if cites is None:
        return []
    if not isinstance(cites, list):
        return [f"{where}.citations: expected a list"]
    return [f"{where}.citations[{k}].label: required non-empty text"
            for k, c in enumerate(cites)
            if not isinstance(c, dict) or not isinstance(c.get("label"), str) or not c["label"]]


def _check_when(when, where: str) -> list[str]:
    if when is None:
        return []
    at = f"{where}.when" if where else "when"
    if not isinstance(when, dict) or not (when.get("timespans") or when.get("periods")):
        return [f"{at}: needs timespans or periods"]
    out = []
    for k, span in enumerate(when.get("timespans") or []):
        if not isinstance(span, dict) or "start" not in span:
            out.append(f"{at}.timespans[{k}].start: required")
            continue
        for end in ("start", "end"):
            if end not in span:
                continue
            v = span[end]
            if not isinstance(v, dict) or not any(key in v for key in ("in", "earliest", "latest")):
                out.append(f"{at}.timespans[{k}].{end}: expected {{in|earliest|latest: date}}")
                continue
            out += [f"{at}.timespans[{k}].{end}.{key}: expected an ISO 8601 date, got {d!r}"
                    for key, d in v.items() if key in ("in", "earliest", "latest")
                    and not (isinstance(d, str) and _DATE.match(d))]
    return out


def _check_geometry(g) -> list[str]:
    if not isinstance(g, dict):
        return ["geometry: required (a GeometryCollection or a geometry)"]
    if g.get("type") == "GeometryCollection":
        parts = g.get("geometries")
        if not isinstance(parts, list) or not parts:
            return ["geometry.geometries: required non-empty list"]
        out = []
        for k, part in enumerate(parts):
            if part in (None, "null"):
                continue  # LPF: an unknown location
            out += _check_simple(part, f"geometry.geometries[{k}]")
        return out
    return _check_simple(g, "geometry")


def _check_simple(g, where: str) -> list[str]:
    if not isinstance(g, dict):
        return [f"{where}: expected a geometry object"]
    out = _check_citations(g, where) + _check_when(g.get("when"), where)
    if "certainty" in g and g["certainty"] not in CERTAINTY:
        out.append(f"{where}.certainty: one of {', '.join(CERTAINTY)}")
    if "coordinates" not in g and isinstance(g.get("geo_wkt"), str):
        return out
    if g.get("type") not in GEOMETRY_TYPES:
        return out + [f"{where}.type: one of {', '.join(GEOMETRY_TYPES)}"]
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2,
             "Polygon": 2, "MultiPolygon": 3}[g["type"]]
    if not _positions(g.get("coordinates"), depth):
        out.append(f"{where}.coordinates: expected {g['type']} positions "
                   "[longitude, latitude] within -180..180, -90..90")
    return out


def _positions(c, depth: int) -> bool:
    if depth == 0:
        return (isinstance(c, list) and len(c) >= 2
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in c)
                and -180 <= c[0] <= 180 and -90 <= c[1] <= 90)
    return isinstance(c, list) and len(c) > 0 and all(_positions(x, depth - 1) for x in c)

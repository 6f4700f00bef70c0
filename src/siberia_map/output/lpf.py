"""The gazetteer as Linked Places Format (LPF) v1.1, and a check of LPF's structure.

LPF is the World Historical Gazetteer's GeoJSON-LD: each place carries its names with
citations, its types (Getty AAT), a geometry with its certainty, links to other gazetteers
(GeoNames) and `when` timespans, here the months with records at the place.
`check_lpf(obj)` lists what LPF requires that the World Historical Gazetteer's JSON Schema
(which the tests apply) cannot express.
"""

from __future__ import annotations

import re

from ..data import timeline
from .plain import geojson_geometry as _geojson_geometry
from .plain import value as _value

LPF_CONTEXT = ("https://raw.githubusercontent.com/LinkedPasts/linked-places/master/"
               "linkedplaces-context-v1.1.jsonld")
# Getty AAT place types, from the World Historical Gazetteer's subset (aat_whg-subset.tsv).
AAT = {"city": ("300008389", "city"), "town": ("300008375", "town"),
       "village": ("300008372", "village"), "port": ("300120599", "port"),
       "station": ("300008347", "inhabited place"), "site": ("300000809", "site"),
       "lake": ("300008680", "lake"), "river": ("300008707", "river"),
       "region": ("300182722", "region (geographic)"), "country": ("300128207", "nation")}


def place_months(ds) -> dict[str, tuple[int, int]]:
    """place id -> (first, last) month of the events and presence records there.

    A record on a railway stretch counts for every place on the stretch (its ends and
    the stations it passes within about a kilometre)."""
    spans: dict[str, list[int]] = {}
    points = [(pid, g) for pid, g in zip(ds.places["id"], ds.places.geometry)]
    for df in (ds.events, ds.presence):
        for wid, g, a, b in zip(df["where_id"], df.geometry, df["m0"], df["m1"]):
            if not wid:  # an event with no place on the map
                continue
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


def _line(text) -> str:
    """Text on one line: WHG's schema takes LPF's text fields as `^(.*)$`, no line breaks."""
    return " ".join(str(text).split())


def _lpf_feature(p, base: str, span) -> dict:
    cite = {"label": _line(p["source"])}
    gid = _value(p.get("geonames_id"))
    if gid:
        cite["@id"] = f"https://www.geonames.org/{int(gid)}"
    names = [{"toponym": _line(p["name"]), "lang": "en", "citations": [cite]}]
    seen = {names[0]["toponym"]}
    for n in [*(_value(p.get("names")) or []), p.get("modern_name") or ""]:
        n = _line(n)
        if n and n not in seen:
            seen.add(n)
            names.append({"toponym": n, **({"lang": _lang(n)} if _lang(n) else {})})
    aat, label = AAT.get(p["kind"], (None, p["kind"]))
    typ = {"label": label, "sourceLabels": [{"label": p["kind"], "lang": "en"}]}
    if aat:
        typ = {"identifier": f"aat:{aat}", **typ}
    precision = _value(p.get("precision_km"))
    geometry = {**_geojson_geometry(p.geometry), "citations": [{"label": cite["label"]}],
                "certainty": "less-certain" if precision else "certain"}
    ccodes = _value(p.get("ccodes")) if "ccodes" in p else None
    feat = {"@id": f"{base}{p['id']}", "type": "Feature",
            "properties": {"title": _line(p["name"]), "ccodes": list(ccodes or [])},
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
        feat["descriptions"] = [{"value": _line(p["note"]), "lang": "en"}]
    return feat


_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?[~?%]?$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
         "MultiPolygon": 3}


def check_lpf(obj) -> list[str]:
    """What the World Historical Gazetteer's JSON Schema for LPF v1.1 cannot say; [] if fine.

    WHG checks an upload's envelope in code (`@context`, `type` FeatureCollection, a
    non-empty `features`) and each feature against its JSON Schema (kept with the tests,
    `tests/schemas/whg/`). The schema takes any string where LPF means something narrower,
    so this checks those meanings: each `@id` a URI used once, a non-empty title and
    toponyms, at least one cited name, `when` timespans whose dates are ISO 8601, and
    coordinates that are positions of the declared type within longitude and latitude."""
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
        if not isinstance(f, dict):
            continue  # the schema says so
        where = f"features[{i}]"
        fid = f.get("@id")
        if isinstance(fid, str) and fid:
            where += f" ({fid})"
        problems += [f"{where}: {msg}" for msg in _check_feature(f, ids)]
    return problems


def _check_feature(f: dict, ids: set) -> list[str]:
    out: list[str] = []
    fid = f.get("@id")
    if not isinstance(fid, str) or not _URI.match(fid):
        out.append(f"@id: expected a URI, got {fid!r}")
    elif fid in ids:
        out.append("@id: used by another feature")
    else:
        ids.add(fid)
    props = f.get("properties")
    if isinstance(props, dict) and isinstance(props.get("title"), str) \
            and not props["title"].strip():
        out.append("properties.title: required non-empty text")
    names = [n for n in f.get("names") or [] if isinstance(n, dict)]
    if not names:
        out.append("names: required non-empty list")
    for j, n in enumerate(names):
        if isinstance(n.get("toponym"), str) and not n["toponym"].strip():
            out.append(f"names[{j}].toponym: required non-empty text")
        out += _check_when(n.get("when"), f"names[{j}]")
    if names and not any(n.get("citations") for n in names):
        out.append("names: at least one name needs a citation")
    out += _check_when(f.get("when"), "")
    g = f.get("geometry")
    parts = g.get("geometries") if isinstance(g, dict) else None
    for k, part in enumerate(parts if isinstance(parts, list) else []):
        if isinstance(part, dict):
            out += _check_when(part.get("when"), f"geometry.geometries[{k}]")
            out += _check_coordinates(part, f"geometry.geometries[{k}]")
    return out


def _check_when(when, where: str) -> list[str]:
    if not isinstance(when, dict):
        return []
    at = f"{where}.when" if where else "when"
    if not (when.get("timespans") or when.get("periods")):
        return [f"{at}: needs timespans or periods"]
    out = []
    for k, span in enumerate(when.get("timespans") or []):
        for end in ("start", "end"):
            v = span.get(end) if isinstance(span, dict) else None
            if not isinstance(v, dict):
                continue
            if not any(key in v for key in ("in", "earliest", "latest")):
                out.append(f"{at}.timespans[{k}].{end}: expected {{in|earliest|latest: date}}")
            out += [f"{at}.timespans[{k}].{end}.{key}: expected an ISO 8601 date, got {d!r}"
                    for key, d in v.items() if key in ("in", "earliest", "latest")
                    and d is not None and not (isinstance(d, str) and _DATE.match(d))]
    return out


def _check_coordinates(g: dict, where: str) -> list[str]:
    if "coordinates" not in g and isinstance(g.get("geowkt"), str):
        return []
    if g.get("type") not in DEPTH:
        return []  # the schema names the types
    if not _positions(g.get("coordinates"), DEPTH[g["type"]]):
        return [f"{where}.coordinates: expected {g['type']} positions "
                "[longitude, latitude] within -180..180, -90..90"]
    return []


def _positions(c, depth: int) -> bool:
    if depth == 0:
        return (isinstance(c, list) and len(c) >= 2
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in c)
                and -180 <= c[0] <= 180 and -90 <= c[1] <= 90)
    return isinstance(c, list) and len(c) > 0 and all(_positions(x, depth - 1) for x in c)

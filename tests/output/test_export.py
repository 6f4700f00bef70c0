"""`siberia-map export`: GeoPackage, GeoJSON, Linked Places and CSV, read back."""

import copy
import csv
import json

import pyogrio
import pytest
from click.testing import CliRunner

from conftest import NORTH_RUSSIA, PLACES
from siberia_map.cli import main
from siberia_map.output.export import export
from siberia_map.output.lpf import LPF_CONTEXT, check_lpf
from siberia_map.model.join import prepare

LAYERS = ["places", "railways", "events", "presence"]
COUNTS = {"places": 6, "railways": 3, "events": 3, "presence": 3}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def ds(dataset):
    return prepare(dataset)


def test_gpkg_layers_read_back_with_pyogrio(dataset, tmp_path):
    out = tmp_path / "out" / "campaign.gpkg"
    result = run("export", "--data", dataset, "--format", "gpkg", "--out", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert "places 6, railways 3, events 3, presence 3" in result.output
    assert [list(x) for x in pyogrio.list_layers(out)] == [
        ["places", "Unknown"], ["railways", "LineString"], ["events", "Unknown"],
        ["presence", "Unknown"]]
    frames = {layer: pyogrio.read_dataframe(out, layer=layer) for layer in LAYERS}
    assert {k: len(v) for k, v in frames.items()} == COUNTS
    assert sorted(set(frames["places"].geom_type)) == ["Point", "Polygon"]
    assert sorted(set(frames["events"].geom_type)) == ["LineString", "Point"]
    assert frames["railways"].crs.to_epsg() == 4326
    ev = frames["events"].set_index("id")
    assert ev.loc["e-summer", "first_month"] == "1919-06"
    assert ev.loc["e-summer", "last_month"] == "1919-08"
    assert ev.loc["e-summer", "contingents"] == "japan;usa"  # lists as ;-joined text
    assert "m0" not in ev.columns and "m1" not in ev.columns
    pr = frames["presence"].set_index("id")
    assert (pr.loc["p-usa-line", "first_month"], pr.loc["p-usa-line", "last_month"]) == \
        ("1918-08", "1919-03")
    assert bool(pr.loc["p-japan-line", "approximate"]) is True
    places = frames["places"].set_index("id")
    assert places.loc["nikolsk", "names"] == "Ussuriysk;Nikolsk"
    info = pyogrio.read_info(out, layer="presence")
    assert info["layer_metadata"]["DESCRIPTION"].endswith(": presence")
    assert [p.name for p in out.parent.iterdir()] == ["campaign.gpkg"]  # no temp file left


def test_gpkg_is_byte_identical_on_a_rerun(ds, tmp_path):
    export(ds, "gpkg", tmp_path / "a.gpkg")
    export(ds, "gpkg", tmp_path / "b.gpkg")
    assert (tmp_path / "a.gpkg").read_bytes() == (tmp_path / "b.gpkg").read_bytes()


def test_gpkg_replaces_an_old_file_whole(ds, tmp_path):
    out = tmp_path / "x.gpkg"
    out.write_bytes(b"not a geopackage")
    export(ds, "gpkg", out)
    assert len(pyogrio.read_dataframe(out, layer="events")) == 3


def test_geojson_is_one_feature_collection_of_every_record(dataset, tmp_path):
    out = tmp_path / "all.geojson"
    result = run("export", "--data", dataset, "--format", "geojson", "--out", out)
    assert result.exit_code == 0, result.output
    assert "15 features" in result.output
    obj = json.loads(out.read_text(encoding="utf-8"))
    assert obj["type"] == "FeatureCollection"
    layers = [f["properties"]["layer"] for f in obj["features"]]
    assert {k: layers.count(k) for k in LAYERS} == COUNTS
    by_id = {f["id"]: f for f in obj["features"]}
    summer = by_id["events/e-summer"]
    assert summer["geometry"]["type"] == "LineString"
    assert summer["properties"]["contingents"] == ["japan", "usa"]
    assert (summer["properties"]["first_month"], summer["properties"]["last_month"]) == \
        ("1919-06", "1919-08")
    assert by_id["places/vladivostok"]["properties"]["names"] == ["Владивосток"]
    assert obj["months"] == ["1918-08", "1919-08"]
    assert [c["id"] for c in obj["contingents"]] == ["usa", "japan", "britain"]
    gpd_read = pyogrio.read_dataframe(out)  # GDAL reads it as GeoJSON too
    assert len(gpd_read) == 15


def test_lpf_export_passes_the_checker(make_dataset, tmp_path):
    places = copy.deepcopy(PLACES)
    places[0]["properties"].update(geonames_id=2013348, note="Allied port of entry.",
                                   precision_km=1)
    root = make_dataset(places=places)
    out = tmp_path / "gazetteer.lpf.json"
    result = run("export", "--data", root, "--format", "lpf", "--out", out)
    assert result.exit_code == 0, result.output
    assert "6 places" in result.output and "1 linked to GeoNames" in result.output
    obj = json.loads(out.read_text(encoding="utf-8"))
    assert check_lpf(obj) == []
    assert obj["@context"] == LPF_CONTEXT
    feats = {f["properties"]["title"]: f for f in obj["features"]}
    vlad = feats["Vladivostok"]
    assert vlad["names"][0] == {"toponym": "Vladivostok", "lang": "en", "citations": [
        {"label": "test fixture", "@id": "https://www.geonames.org/2013348"}]}
    assert {"toponym": "Владивосток", "lang": "ru"} in vlad["names"]
    assert vlad["links"] == [{"type": "closeMatch",
                              "identifier": "https://www.geonames.org/2013348"}]
    assert vlad["types"][0]["identifier"] == "aat:300008389"
    assert vlad["geometry"]["geometries"][0]["certainty"] == "less-certain"
    assert vlad["descriptions"] == [{"value": "Allied port of entry.", "lang": "en"}]
    # first to last month of the records there (events at Vladivostok, presence along lines)
    assert vlad["when"]["timespans"] == [{"start": {"in": "1918-08"}, "end": {"in": "1919-03"}}]
    assert feats["Omsk"]["when"]["timespans"][0] == {"start": {"in": "1918-10"},
                                                    "end": {"in": "1919-04"}}
    assert "when" not in feats["Lake Khanka"]  # no record there
    assert feats["Lake Khanka"]["geometry"]["geometries"][0]["type"] == "Polygon"
    assert len({f["@id"] for f in obj["features"]}) == 6


def _lpf(ds_):
    from siberia_map.output.lpf import lpf
    return lpf(ds_)


BROKEN = {
    "no context": (lambda o: o.pop("@context"), "@context: required"),
    "not a collection": (lambda o: o.update(type="Feature"), "type: expected 'FeatureCollection'"),
    "no features": (lambda o: o.update(features=[]), "features: expected a non-empty list"),
    "id not a URI": (lambda o: o["features"][0].update({"@id": "vladivostok"}),
                     "@id: expected a URI"),
    "duplicate id": (lambda o: o["features"][1].update({"@id": o["features"][0]["@id"]}),
                     "@id: used by another feature"),
    "no title": (lambda o: o["features"][0]["properties"].pop("title"),
                 "properties.title: required"),
    "bad ccodes": (lambda o: o["features"][0]["properties"].update(ccodes=["Russia"]),
                   "properties.ccodes: expected ISO 3166-1 alpha-2"),
    "no names": (lambda o: o["features"][0].pop("names"), "names: required non-empty list"),
    "uncited names": (lambda o: [n.pop("citations", None) for n in o["features"][0]["names"]],
                      "names: at least one name needs a citation"),
    "empty toponym": (lambda o: o["features"][0]["names"][0].update(toponym=""),
                      "names[0].toponym: required"),
    "no geometry": (lambda o: o["features"][0].pop("geometry"), "geometry: required"),
    "swapped coordinates": (lambda o: o["features"][0]["geometry"]["geometries"][0].update(
        coordinates=[43.1, 131.9 + 60]), "coordinates: expected Point positions"),
    "bad certainty": (lambda o: o["features"][0]["geometry"]["geometries"][0].update(
        certainty="probably"), "certainty: one of certain"),
    "when without start": (lambda o: o["features"][0]["when"]["timespans"][0].pop("start"),
                           "when.timespans[0].start: required"),
    "bad date": (lambda o: o["features"][0]["when"]["timespans"][0].update(
        start={"in": "August 1918"}), "expected an ISO 8601 date"),
    "empty when": (lambda o: o["features"][0].update(when={}), "when: needs timespans"),
    "bad link": (lambda o: o["features"][0].update(links=[{"type": "sameAs",
                                                           "identifier": "x:y"}]),
                 "links[0].type: one of closeMatch"),
    "type without label": (lambda o: o["features"][0]["types"][0].pop("label"),
                           "types[0].label: required"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_check_lpf_names_each_broken_structure(ds, case):
    obj = _lpf(ds)
    assert check_lpf(obj) == []
    breaker, expected = BROKEN[case]
    breaker(obj)
    problems = check_lpf(obj)
    assert any(expected in p for p in problems), problems


def test_check_lpf_rejects_non_objects():
    assert check_lpf([]) == ["top level: expected a JSON object, got list"]


def test_csv_tables_have_the_right_rows(dataset, tmp_path):
    out = tmp_path / "tables"
    result = run("export", "--data", dataset, "--format", "csv", "--out", out)
    assert result.exit_code == 0, result.output
    assert "events.csv: 3 rows" in result.output
    tables = {}
    for name in LAYERS + ["contingents"]:
        with open(out / f"{name}.csv", newline="", encoding="utf-8") as fh:
            tables[name] = list(csv.DictReader(fh))
    assert {k: len(tables[k]) for k in LAYERS} == COUNTS
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.csv" for n in tables)
    pres = {r["id"]: r for r in tables["presence"]}
    usa = pres["p-usa-line"]
    assert usa["geometry"].startswith("LINESTRING (131.8869 43.1155")
    assert (usa["first_month"], usa["last_month"]) == ("1918-08", "1919-03")
    assert 43.1 <= float(usa["lat"]) <= 43.9 and 131.8 <= float(usa["lon"]) <= 132.1
    assert pres["p-britain-omsk"]["geometry"] == "POINT (73.3686 54.9924)"
    rail = tables["railways"][0]
    assert rail["geometry"].startswith("LINESTRING") and rail["from"] == "vladivostok"
    events = {r["id"]: r for r in tables["events"]}
    assert events["e-summer"]["contingents"] == "japan;usa"
    assert events["e-us-landing"]["when"] == "15\u201321 August 1918"
    assert [r["id"] for r in tables["contingents"]] == ["usa", "japan", "britain"]


def test_export_of_a_bad_data_set_exits_2_and_writes_nothing(make_dataset, tmp_path):
    root = make_dataset(events=[{"id": "e", "date": "someday", "where": "nowhere",
                                 "contingents": "", "kind": "other", "title": "t",
                                 "description": "", "source": "s"}])
    out = tmp_path / "x.gpkg"
    result = run("export", "--data", root, "--format", "gpkg", "--out", out)
    assert result.exit_code == 2
    assert "events.csv" in result.output and not out.exists()


def test_unknown_format_is_refused(dataset, tmp_path):
    result = run("export", "--data", dataset, "--format", "kml", "--out", tmp_path / "x")
    assert result.exit_code == 2 and "kml" in result.output


def test_the_north_russia_data_set_exports_to_every_format(tmp_path):
    ds_ = prepare(NORTH_RUSSIA)
    lines = export(ds_, "lpf", tmp_path / "nr.lpf.json")
    assert lines[1].strip().endswith("20 linked to GeoNames")
    obj = json.loads((tmp_path / "nr.lpf.json").read_text(encoding="utf-8"))
    assert check_lpf(obj) == []
    feats = {f["properties"]["title"]: f for f in obj["features"]}
    assert feats["Archangel"]["when"]["timespans"] == [{"start": {"in": "1918-08"},
                                                        "end": {"in": "1920-02"}}]
    assert feats["Northern Dvina"]["types"][0]["identifier"] == "aat:300008707"
    assert feats["Kodish"]["geometry"]["geometries"][0]["certainty"] == "less-certain"
    export(ds_, "gpkg", tmp_path / "nr.gpkg")
    assert len(pyogrio.read_dataframe(tmp_path / "nr.gpkg", layer="presence")) == 24
    export(ds_, "csv", tmp_path / "nr")
    with open(tmp_path / "nr" / "events.csv", newline="", encoding="utf-8") as fh:
        events = {r["id"]: r for r in csv.DictReader(fh)}
    assert events["battle-of-tulgas"]["first_month"] == "1918-11"
    assert events["archangel-falls"]["when"] == "21 February 1920"

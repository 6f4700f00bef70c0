"""`siberia-map export`: GeoPackage, GeoJSON, Linked Places, CSV and GeoParquet, read back."""

import copy
import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from conftest import NORTH_RUSSIA, PLACES
from siberia_map.cli import main
from siberia_map.data import timeline
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


def test_lpf_export_is_valid_under_whg_schema_and_the_checker(make_dataset, tmp_path):
    places = copy.deepcopy(PLACES)
    places[0]["properties"].update(geonames_id=2013348, note="Allied port of entry.",
                                   precision_km=1)
    root = make_dataset(places=places)
    out = tmp_path / "gazetteer.lpf.json"
    result = run("export", "--data", root, "--format", "lpf", "--out", out)
    assert result.exit_code == 0, result.output
    assert "6 places" in result.output and "1 linked to GeoNames" in result.output
    obj = json.loads(out.read_text(encoding="utf-8"))
    assert_valid_lpf(obj)
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


WHG_SCHEMA = Path(__file__).parents[1] / "schemas" / "whg" / "schema_lpf_v1.1.json"


def whg_problems(obj) -> list[str]:
    """What the World Historical Gazetteer would refuse: its envelope check, then each feature
    against its JSON Schema for LPF v1.1 (as datasets/utils.py validate_lpf does)."""
    import jsonschema

    if set(obj) < {"type", "@context", "features"} or obj["type"] != "FeatureCollection" \
            or not obj["features"]:
        return ["not valid GeoJSON-LD"]
    validator = jsonschema.Draft7Validator(json.loads(WHG_SCHEMA.read_text(encoding="utf-8")))
    return [f"features[{i}]/{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for i, f in enumerate(obj["features"]) for e in validator.iter_errors(f)]


def assert_valid_lpf(obj):
    assert whg_problems(obj) == []
    assert check_lpf(obj) == []


# What WHG's JSON Schema refuses (path of the error, words of its message)...
SCHEMA_BROKEN = {
    "not a feature": (lambda f: f.update(type="Place"), "/type", "is not one of ['Feature']"),
    "no title": (lambda f: f["properties"].pop("title"), "/properties", "'title' is a required"),
    "no names": (lambda f: f.pop("names"), "/", "'names' is a required property"),
    "a name without toponym": (lambda f: f["names"][0].pop("toponym"), "/names/0", "not valid"),
    "a name on two lines": (lambda f: f["names"][0].update(toponym="Vladi\nvostok"),
                            "/names/0/toponym", "does not match"),
    "bad ccodes": (lambda f: f["properties"].update(ccodes=["Russia"]),
                   "/properties/ccodes/0", "does not match"),
    "bad certainty": (lambda f: f["geometry"]["geometries"][0].update(certainty="probably"),
                      "/geometry/geometries/0/certainty", "is not one of"),
    "when without start": (lambda f: f["when"]["timespans"][0].pop("start"),
                           "/when/timespans/0", "'start' is a required property"),
    "bad link": (lambda f: f.update(links=[{"type": "sameAs", "identifier": "x:y"}]),
                 "/links/0/type", "is not one of"),
    "unknown member": (lambda f: f.update(colour="red"), "/", "Additional properties"),
    "description without lang": (lambda f: f.update(descriptions=[{"value": "x"}]),
                                 "/descriptions/0", "'lang' is a required property"),
}
# ...and what it takes but LPF does not mean: the hand checker's part.
HAND_BROKEN = {
    "no context": (lambda o: o.pop("@context"), "@context: required"),
    "not a collection": (lambda o: o.update(type="Feature"), "type: expected 'FeatureCollection'"),
    "no features": (lambda o: o.update(features=[]), "features: expected a non-empty list"),
    "id not a URI": (lambda o: o["features"][0].update({"@id": "vladivostok"}),
                     "@id: expected a URI"),
    "duplicate id": (lambda o: o["features"][1].update({"@id": o["features"][0]["@id"]}),
                     "@id: used by another feature"),
    "empty title": (lambda o: o["features"][0]["properties"].update(title=" "),
                    "properties.title: required non-empty text"),
    "empty names": (lambda o: o["features"][0].update(names=[]), "names: required non-empty"),
    "uncited names": (lambda o: [n.pop("citations", None) for n in o["features"][0]["names"]],
                      "names: at least one name needs a citation"),
    "empty toponym": (lambda o: o["features"][0]["names"][0].update(toponym=""),
                      "names[0].toponym: required"),
    "swapped coordinates": (lambda o: o["features"][0]["geometry"]["geometries"][0].update(
        coordinates=[43.1, 131.9 + 60]), "coordinates: expected Point positions"),
    "bad date": (lambda o: o["features"][0]["when"]["timespans"][0].update(
        start={"in": "August 1918"}), "expected an ISO 8601 date"),
    "empty when": (lambda o: o["features"][0].update(when={}), "when: needs timespans"),
    "empty start": (lambda o: o["features"][0]["when"]["timespans"][0].update(start={}),
                    "start: expected {in|earliest|latest: date}"),
}


def _dated_first(ds_):
    obj = _lpf(ds_)
    obj["features"].sort(key=lambda f: "when" not in f)  # one with a timespan first
    return obj


@pytest.mark.parametrize("case", sorted(SCHEMA_BROKEN))
def test_whg_schema_refuses_each_broken_feature(ds, case):
    obj = _dated_first(ds)
    assert_valid_lpf(obj)
    breaker, path, words = SCHEMA_BROKEN[case]
    breaker(obj["features"][0])
    problems = [p for p in whg_problems(obj) if p.startswith("features[0]")]
    assert any(p.split(": ", 1)[0] == "features[0]" + path and words in p
               for p in problems), problems


@pytest.mark.parametrize("case", sorted(HAND_BROKEN))
def test_check_lpf_names_what_the_schema_cannot(ds, case):
    obj = _dated_first(ds)
    assert_valid_lpf(obj)
    breaker, expected = HAND_BROKEN[case]
    breaker(obj)
    problems = check_lpf(obj)
    assert any(expected in p for p in problems), problems


def test_check_lpf_rejects_non_objects():
    assert check_lpf([]) == ["top level: expected a JSON object, got list"]


def test_text_on_several_lines_is_written_on_one(make_dataset, tmp_path):
    places = copy.deepcopy(PLACES)
    places[0]["properties"].update(note="Allied port\nof entry.")
    root = make_dataset(places=places)
    out = tmp_path / "g.lpf.json"
    assert run("export", "--data", root, "--format", "lpf", "--out", out).exit_code == 0
    obj = json.loads(out.read_text(encoding="utf-8"))
    assert_valid_lpf(obj)
    assert obj["features"][0]["descriptions"][0]["value"] == "Allied port of entry."


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
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.csv" for n in tables] + ["datapackage.json"])
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
    assert_valid_lpf(obj)
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
    import frictionless
    import geopandas as gpd

    report = frictionless.validate(tmp_path / "nr" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    export(ds_, "parquet", tmp_path / "nr-parquet")
    back = gpd.read_parquet(tmp_path / "nr-parquet" / "events.parquet").set_index("id")
    assert back.loc["archangel-falls", "start"] == dt.date(1920, 2, 21)
    assert back.loc["battle-of-tulgas", "first_month"] == "1918-11"


def test_geoparquet_reads_back_with_the_same_dates_months_and_geometries(dataset, tmp_path):
    import geopandas as gpd

    out = tmp_path / "parquet"
    result = run("export", "--data", dataset, "--format", "parquet", "--out", out)
    assert result.exit_code == 0, result.output
    assert "events.parquet: 3 rows" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.parquet" for n in LAYERS] + ["contingents.parquet"])
    ds_ = prepare(dataset)
    for layer in LAYERS:
        back = gpd.read_parquet(out / f"{layer}.parquet")
        assert back.crs.to_epsg() == 4326 and len(back) == COUNTS[layer]
        source = getattr(ds_, layer).set_index("id")
        back = back.set_index("id")
        for rid, row in back.iterrows():
            assert row.geometry.equals(source.loc[rid].geometry), (layer, rid)
        if layer in ("events", "presence"):
            assert dict(back["date"]) == dict(source["date"])
            months = {rid: (timeline.month_key(a), timeline.month_key(b))
                      for rid, a, b in zip(source.index, source["m0"], source["m1"])}
            assert {rid: (r["first_month"], r["last_month"]) for rid, r in back.iterrows()} \
                == months
    events = gpd.read_parquet(out / "events.parquet").set_index("id")
    assert str(events["start"].dtype).startswith("date32")  # Parquet DATE, not text
    day = events.loc["e-british-landing"]
    assert (day["start"], day["end"]) == (dt.date(1918, 8, 3), dt.date(1918, 8, 3))
    span = events.loc["e-us-landing"]
    assert (span["start"], span["end"]) == (dt.date(1918, 8, 15), dt.date(1918, 8, 21))
    summer = events.loc["e-summer"]  # "1919-22": no day given, but its bounds are days
    assert summer["date"] == "1919-22" and pd.isna(summer["start"]) and pd.isna(summer["end"])
    assert (summer["earliest"], summer["latest"]) == (dt.date(1919, 6, 1), dt.date(1919, 8, 31))
    assert list(summer["contingents"]) == ["japan", "usa"]  # a list stays a list
    meta = json.loads(pyarrow_parquet().read_schema(out / "events.parquet").metadata[b"geo"])
    assert meta["primary_column"] == "geometry" and meta["version"].startswith("1.")
    plain = pd.read_parquet(out / "contingents.parquet")
    assert list(plain["id"]) == ["usa", "japan", "britain"]


def pyarrow_parquet():
    import pyarrow.parquet
    return pyarrow.parquet


def test_csv_datapackage_is_valid_under_frictionless(dataset, tmp_path):
    import frictionless

    out = tmp_path / "tables"
    (dataset / "datapackage.json").write_text(json.dumps(
        {"name": "test-campaign", "licenses": [{"name": "CC-BY-4.0"}]}), encoding="utf-8")
    result = run("export", "--data", dataset, "--format", "csv", "--out", out)
    assert result.exit_code == 0, result.output
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert package["name"] == "test-campaign" and package["licenses"] == [{"name": "CC-BY-4.0"}]
    assert {r["path"] for r in package["resources"]} == {f"{n}.csv" for n in
                                                         LAYERS + ["contingents"]}
    fields = {(r["name"], f["name"]): f["type"] for r in package["resources"]
              for f in r["schema"]["fields"]}
    assert fields[("events", "first_month")] == "yearmonth"
    assert fields[("events", "lat")] == fields[("events", "lon")] == "number"
    assert fields[("events", "approximate")] == "boolean"
    assert fields[("events", "date")] == "string"
    # The schema says something: a number column holding text fails validation.
    path = out / "events.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    rows[0]["lat"] = "north"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
    broken = frictionless.validate(out / "datapackage.json")
    assert not broken.valid
    assert ["lat", "type-error"] in broken.flatten(["fieldName", "type"])


@pytest.mark.parametrize("values, expected", [
    ([1, "a", None], ["1", "a", None]),      # mixed kinds: text, so Arrow can type it
    ([1, 2.5, None], [1, 2.5, None]),        # numbers stay numbers
    ([["a", "b"], None], [["a", "b"], None]),  # lists stay lists
])
def test_parquet_columns_get_one_arrow_type(values, expected):
    from siberia_map.output.tables import _one_type

    got = _one_type(pd.Series(values, dtype=object))
    assert [None if not isinstance(v, list) and pd.isna(v) else v for v in got] == expected

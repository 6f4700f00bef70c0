import json

import pytest

from siberia_map.errors import DataError
from siberia_map.load import load


def test_loads_everything(dataset):
    raw = load(dataset)
    assert len(raw.places.features) == 6
    assert [r["id"] for r in raw.contingents.rows] == ["usa", "japan", "britain"]
    assert raw.events.lines == [2, 3, 4]


def test_bom_is_accepted(dataset):
    path = dataset / "contingents.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load(dataset).contingents.columns[0] == "id"


def _problems(root):
    with pytest.raises(DataError) as info:
        load(root)
    return [str(p) for p in info.value.problems]


def test_every_unreadable_file_is_reported_at_once(dataset):
    (dataset / "events.csv").unlink()
    (dataset / "places.geojson").write_text("{not json", encoding="utf-8")
    (dataset / "presence.csv").write_bytes(b"contingent,where,date,source\nusa,omsk,1919,\xff\xfe\n")
    out = _problems(dataset)
    assert any(p.startswith("events.csv") and "missing" in p for p in out)
    assert any(p.startswith("places.geojson, line 1") and "valid JSON" in p for p in out)
    assert any(p.startswith("presence.csv, line 2") and "UTF-8" in p for p in out)


@pytest.mark.parametrize("content, expected", [
    ("", "the file is empty"),
    ("id;name;side;colour;source\nusa;US;allied;#000000;x\n", "separated by ';'"),
    ("id\tname\tside\tcolour\tsource\n", "separated by '\\t'"),
    ("id,name\nusa,US\n", "the columns side, colour, source"),
])
def test_bad_csv(dataset, content, expected):
    (dataset / "contingents.csv").write_text(content, encoding="utf-8")
    out = _problems(dataset)
    assert any(p.startswith("contingents.csv") and expected in p for p in out), out


@pytest.mark.parametrize("obj", [[], {"type": "Feature"}, {"type": "FeatureCollection"}])
def test_geojson_must_be_a_feature_collection(dataset, obj):
    (dataset / "railways.geojson").write_text(json.dumps(obj), encoding="utf-8")
    assert any("railways.geojson" in p and ("FeatureCollection" in p or "JSON object" in p)
               for p in _problems(dataset))


def test_too_large_file_is_refused(dataset, monkeypatch):
    monkeypatch.setattr("siberia_map.load.MAX_FILE_BYTES", 100)
    assert any("refusing to read it" in p for p in _problems(dataset))


def test_missing_directory(tmp_path):
    assert any("data set directory" in p for p in _problems(tmp_path / "nope"))

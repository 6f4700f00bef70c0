import json
import sys

import pytest

from siberia_map.errors import DataError
from siberia_map.data.load import load


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
    assert any(p.startswith("presence.csv, row 2") and "UTF-8" in p for p in out)


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
    monkeypatch.delenv("SIBERIA_MAP_MAX_FILE_MIB", raising=False)
    monkeypatch.setattr(sys.modules["siberia_map.data.load"], "MAX_FILE_BYTES", 100)
    size = (dataset / "events.csv").stat().st_size
    assert f"events.csv: size='{size:,} bytes': at most 100 bytes, the loader's limit on one " \
        "input file (SIBERIA_MAP_MAX_FILE_MIB=<mebibytes> reads a larger one); refusing to " \
        "read it" in _problems(dataset)


def _padded(dataset, size):
    """events.csv made exactly `size` bytes long by a long note on its first row."""
    path = dataset / "events.csv"
    head = path.read_text(encoding="utf-8").split("\n")
    head[0] += ",note"
    head[1:] = [line + "," if line else line for line in head[1:]]
    text = "\n".join(head)
    path.write_text(text[:-1] + "x" * (size - len(text.encode())) + "\n", encoding="utf-8")
    assert path.stat().st_size == size


@pytest.mark.parametrize("mib, size, refused", [
    ("1", 1024 * 1024, False), ("1", 1024 * 1024 + 1, True), (" 2 ", 1024 * 1024 + 1, False),
])
def test_the_limit_is_set_in_mebibytes_by_the_environment(dataset, monkeypatch, mib, size,
                                                          refused):
    monkeypatch.setenv("SIBERIA_MAP_MAX_FILE_MIB", mib)
    _padded(dataset, size)
    if refused:
        assert _problems(dataset) == [
            "events.csv: size='1,048,577 bytes': at most 1,048,576 bytes, the loader's limit on "
            "one input file (SIBERIA_MAP_MAX_FILE_MIB=<mebibytes> reads a larger one); refusing "
            "to read it"]
    else:
        assert len(load(dataset).events.rows) == 3


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "\u0662"])
def test_a_bad_limit_in_the_environment_is_one_line_and_exit_2(dataset, value):
    from click.testing import CliRunner

    from siberia_map.cli import main
    result = CliRunner().invoke(main, ["validate", "--data", str(dataset)],
                                env={"SIBERIA_MAP_MAX_FILE_MIB": value})
    assert result.exit_code == 2
    assert result.output == (f"siberia-map: SIBERIA_MAP_MAX_FILE_MIB={value!r}: the largest "
                             "input file to read, a whole number of mebibytes from 1 (e.g. 1024 "
                             "for 1 GiB); unset it for the default, 512 MiB\n")


def test_missing_directory(tmp_path):
    assert any("data set directory" in p for p in _problems(tmp_path / "nope"))


def test_optional_tables_are_absent_by_default(dataset):
    raw = load(dataset)
    assert (raw.sources, raw.authorities, raw.control, raw.gaps) == (None, None, None, None)


@pytest.mark.parametrize("name, attr, header", [
    ("sources.csv", "sources", "key,type,author,title,year,publisher,url,note"),
    ("authorities.csv", "authorities", "id,name,side,colour,note,source"),
    ("control.csv", "control", "where,date,held_by,contested,note,source"),
    ("gaps.csv", "gaps", "contingent,date,note,source"),
])
def test_optional_tables_are_read_when_present(dataset, name, attr, header):
    row = ",".join(f"v{i}" for i in range(len(header.split(","))))
    (dataset / name).write_text(f"{header}\n{row}\n", encoding="utf-8")
    table = getattr(load(dataset), attr)
    assert table.columns == header.split(",") and table.lines == [2]
    assert table.rows[0][header.split(",")[0]] == "v0"


@pytest.mark.parametrize("name, content, expected", [
    ("control.csv", "where,date,held_by\nomsk,1918,soviet\n", "the columns contested, source"),
    ("gaps.csv", "", "the file is empty"),
    ("sources.csv", "key;type;title\n", "separated by ';'"),
])
def test_optional_tables_are_read_strictly(dataset, name, content, expected):
    (dataset / name).write_text(content, encoding="utf-8")
    assert any(p.startswith(name) and expected in p for p in _problems(dataset))


def test_control_column_is_kept(make_dataset):
    from conftest import PRESENCE
    root = make_dataset(presence=[dict(PRESENCE[0], control="raid")] + PRESENCE[1:])
    assert load(root).presence.rows[0]["control"] == "raid"

"""`siberia-map export --month` and `--window`: only the records a reader sees in those
months, checked against the CSV files read here; bad values exit 2 naming option and value."""

import csv
import json

import pytest
from click.testing import CliRunner

from conftest import GEODATA, NORTH_RUSSIA
from siberia_map.cli import main
from siberia_map.data import timeline


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def expected_ids(data, first, last):
    """Ids of the events and presence records of `data`'s CSV files on the map in any month
    first..last (month keys), by the records' own dates."""
    lo, hi = timeline.parse_month_key(first), timeline.parse_month_key(last)
    out = {}
    for layer in ("events", "presence"):
        with open(data / f"{layer}.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        out[layer] = {row.get("id") or f"presence-{i + 2}" for i, row in enumerate(rows)
                      if (span := timeline.parse(row["date"])).first_month <= hi and span.last_month >= lo}
    return out


def exported(tmp_path, data, *option):
    out = tmp_path / "window.geojson"
    result = run("export", "--data", data, "--format", "geojson", "--out", out, *option)
    assert result.exit_code == 0, result.output
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    layers = {}
    for f in features:
        layers.setdefault(f["properties"]["layer"], []).append(f["properties"])
    return result.output, layers


@pytest.mark.parametrize("data,option,first,last", [
    (GEODATA, ("--window", "1919-06..1919-08"), "1919-06", "1919-08"),
    (GEODATA, ("--month", "1919-06"), "1919-06", "1919-06"),
    (GEODATA, ("--window", "..1918-09"), "1918-03", "1918-09"),
    (NORTH_RUSSIA, ("--window", "1919-06..1919-08"), "1919-06", "1919-08"),
    (NORTH_RUSSIA, ("--window", "..1918-10"), "1918-03", "1918-10"),
], ids=["siberia-summer-1919", "siberia-june-1919", "siberia-up-to-1918-09",
        "north-russia-summer-1919", "north-russia-up-to-1918-10"])
def test_the_export_holds_the_records_of_the_window_each_once(tmp_path, data, option, first, last):
    output, layers = exported(tmp_path, data, *option)
    want = expected_ids(data, first, last)
    assert want["events"] and want["presence"]
    for layer in ("events", "presence"):
        ids = [p["id"] for p in layers[layer]]
        assert len(ids) == len(set(ids))
        assert set(ids) == want[layer], layer
    # The gazetteer is whole: a window limits what happened, not where places are.
    _, whole = exported(tmp_path, data)
    assert len(layers["places"]) == len(whole["places"])
    assert len(layers["railways"]) == len(whole["railways"])
    assert output.startswith("limited to ")


def test_movements_and_control_are_cut_to_the_window(tmp_path):
    _, layers = exported(tmp_path, GEODATA, "--window", "1919-06..1919-08")
    lo, hi = timeline.parse_month_key("1919-06"), timeline.parse_month_key("1919-08")
    for layer in ("movements", "control"):
        assert layers[layer], layer
        for p in layers[layer]:
            a, b = timeline.parse_month_key(p["first_month"]), timeline.parse_month_key(p["last_month"])
            assert a <= hi and b >= lo, (layer, p["id"])
    _, whole = exported(tmp_path, GEODATA)
    assert len(layers["control"]) < len(whole["control"])


@pytest.mark.parametrize("option,value,says", [
    ("--month", "1919-13", "expected a month YYYY-MM"),
    ("--month", "June 1919", "expected a month YYYY-MM"),
    ("--month", "1919-06..1919-08", "expected a month YYYY-MM"),
    ("--month", "1930-01", "not a month of this data set"),
    ("--window", "1919-08..1919-06", "ends before it begins"),
    ("--window", "1919-06..", "expected a month YYYY-MM, a range"),
    ("--window", "..1917-01", "not a month of this data set"),
])
def test_a_bad_value_exits_2_naming_the_option_and_value(tmp_path, option, value, says):
    out = tmp_path / "x.geojson"
    result = run("export", "--data", NORTH_RUSSIA, "--format", "geojson", "--out", out, option, value)
    assert result.exit_code == 2
    assert f"{option} {value!r}" in result.output and says in result.output, result.output
    assert not out.exists()


def test_month_and_window_together_are_refused(tmp_path):
    result = run("export", "--data", NORTH_RUSSIA, "--format", "geojson", "--out", tmp_path / "x.geojson",
                 "--month", "1919-06", "--window", "..1919-08")
    assert result.exit_code == 2
    assert "--month '1919-06' and --window '..1919-08'" in result.output

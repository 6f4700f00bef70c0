"""The war's shape in Python: movements routed and sliced into months, control by month."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString

from conftest import PLACES, RAILWAYS
from siberia_map.data import movements, timeline
from siberia_map.output import blocks, payload
from siberia_map.model import territory
from siberia_map.data.gazetteer import Gazetteer, WhereProblem, line_km
from siberia_map.model.join import join
from siberia_map.data.load import Table, load


PLACE_XY = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in PLACES}


def gaz():
    places = {f["properties"]["id"]: (f["properties"]["name"], f["properties"].get("names", []))
              for f in PLACES}
    segments = {f["properties"]["id"]: (f["properties"]["from"], f["properties"]["to"],
                                        line_km(f["geometry"]["coordinates"])) for f in RAILWAYS}
    return Gazetteer(places, segments)


def table(name, rows):
    columns = list(dict.fromkeys(k for r in rows for k in r))
    return Table(name, columns, rows, list(range(2, len(rows) + 2)))


@pytest.mark.parametrize("date,expected", [
    # Spread evenly over the days: 10 of 30 September, then the rest in October.
    ("1918-09-21/1918-10-20", [(0.0, 0.3333), (0.3333, 1.0)]),
    ("1918-09", [(0.0, 1.0)]),
    ("1918-09-30/1918-11-01", [(0.0, 0.0303), (0.0303, 0.9697), (0.9697, 1.0)]),
])
def test_month_fractions(date, expected):
    assert movements.month_fractions(timeline.parse(date)) == expected


def test_route_goes_through_via_in_order():
    r = movements.route(gaz(), "vladivostok", "spassk", ["nikolsk"])
    assert r.steps == (("vladivostok--nikolsk", False), ("nikolsk--spassk", False))
    back = movements.route(gaz(), "khabarovsk", "nikolsk", [])
    assert back.steps == (("spassk--khabarovsk", True), ("nikolsk--spassk", True))


def test_route_without_a_path_is_a_problem():
    with pytest.raises(WhereProblem):
        movements.route(gaz(), "vladivostok", "omsk", [])


def test_cumulative_and_point_at_agree_with_the_line():
    line = LineString([(0, 0), (0, 1), (0, 3)])
    cf = blocks.cumulative(line)
    assert cf[0] == 0 and cf[-1] == 1 and cf[1] == pytest.approx(1 / 3, abs=1e-4)
    assert blocks.point_at(line, cf, 0.5) == pytest.approx((0, 1.5), abs=1e-3)
    assert blocks.point_at(line, cf, 1.0) == (0, 3)


MOVES = [
    {"id": "m1", "contingent": "britain", "from": "vladivostok", "to": "khabarovsk", "via": "",
     "date": "1918-09-16/1918-10-15", "kind": "transfer", "note": "", "source": "x"},
]


def test_check_reports_every_bad_field():
    rows = [dict(MOVES[0]),
            {"id": "m1", "contingent": "nobody", "from": "atlantis", "to": "omsk",
             "via": "nowhere", "date": "1918-13", "kind": "flight", "note": "", "source": ""},
            {"id": "m3", "contingent": "usa", "from": "vladivostok", "to": "omsk", "via": "",
             "date": "1918-09", "kind": "advance", "note": "", "source": "x"}]
    problems = movements.check(table("movements.csv", rows), gaz(),
                               {"britain": {}, "usa": {}}, None, {})
    got = {(p.row, p.field, str(p.value)) for p in problems}
    assert ("row 3", "id", "m1") in got
    assert ("row 3", "contingent", "nobody") in got
    assert ("row 3", "from", "atlantis") in got
    assert ("row 3", "via", "nowhere") in got
    assert ("row 3", "date", "1918-13") in got
    assert ("row 3", "kind", "flight") in got
    assert ("row 3", "source", "") in got
    assert ("row 4", "from..to", "vladivostok..omsk") in got
    assert all(p.file == "movements.csv" for p in problems)
    assert not [p for p in problems if p.row == "row 2"]


def test_join_and_payload_slice_the_journey_by_month(dataset):
    raw = load(dataset)
    raw.movements = table("movements.csv", MOVES)
    ds = join(raw)
    (row,) = ds.movements.to_dict("records")
    assert row["label"] == "Vladivostok \u2013 Khabarovsk"
    assert [row["from"], row["to"]] == ["vladivostok", "khabarovsk"]
    assert row["geometry"].coords[0] == tuple(PLACE_XY["vladivostok"])
    assert row["geometry"].coords[-1] == tuple(PLACE_XY["khabarovsk"])
    block = payload.build(ds)["movements"]
    assert block["id"] == ["m1"]
    assert block["f"] == [[[0.0, 0.5], [0.5, 1.0]]]
    assert block["m1"][0] - block["m0"][0] == 1
    geom = payload.build(ds)["geoms"][block["g"][0]]
    assert len(geom["c"][0]) == len(block["cf"][0])
    # The September mid-point lies on the first half of the route, south of Spassk.
    assert block["pt"][0][0][0] < 44.6 < block["pt"][0][1][0]


AUTHORITIES = [
    {"id": "soviet", "name": "Soviet power", "side": "red", "colour": "#b2182b", "source": "x"},
    {"id": "japan", "name": "Japanese-held zone", "side": "allied", "colour": "#d55e00",
     "source": "x"},
]


def control(rows):
    return table("control.csv", [{"note": "", "source": "x", "contested": "false", **r}
                                 for r in rows])


def build(dataset, rows):
    raw = load(dataset)
    raw.authorities = table("authorities.csv", AUTHORITIES)
    raw.control = control(rows)
    return join(raw)


def holder(ds, pid, month):
    return territory.holders_at(ds.control, timeline.parse_month_key(month)).get(pid)


def test_direct_rows_win_and_changes_of_hands_are_contested(dataset):
    ds = build(dataset, [
        {"where": "vladivostok..khabarovsk", "date": "1918-08/1919-12", "held_by": "soviet"},
        {"where": "nikolsk", "date": "1918-09-15/1919-12", "held_by": "japan"},
        {"where": "spassk", "date": "1918-08/1918-09-10", "held_by": "soviet"},
        {"where": "spassk", "date": "1918-09-11/1919-12", "held_by": "japan"},
    ])
    assert holder(ds, "vladivostok", "1918-10") == ("soviet", False)
    assert holder(ds, "nikolsk", "1918-08") == ("soviet", False)  # no direct row yet
    assert holder(ds, "nikolsk", "1918-10") == ("japan", False)
    assert holder(ds, "spassk", "1918-09") == ("japan", True)  # changed hands that month
    assert holder(ds, "spassk", "1918-10") == ("japan", False)
    assert "omsk" not in set(ds.control["place"])
    # One row per unbroken hold, citing the control.csv line that decides it.
    spassk = ds.control[ds.control["place"] == "spassk"]
    assert spassk[["held_by", "contested", "control_row"]].values.tolist() == [
        ["soviet", False, 4], ["japan", True, 5], ["japan", False, 5]]


def test_pieces_and_cells_cover_the_controlled_stations(dataset):
    ds = build(dataset, [
        {"where": "vladivostok..khabarovsk", "date": "1918-08/1919-12", "held_by": "soviet"}])
    t = ds.territory
    pieces = t[t["kind"] == "piece"]
    ends = set(zip(pieces["place"], pieces["other"]))
    assert ends == {("vladivostok", "nikolsk"), ("nikolsk", "spassk"), ("spassk", "khabarovsk")}
    places = list(dict.fromkeys(ds.control["place"]))
    for pid in places:
        lon, lat = PLACE_XY[pid]
        assert territory.point_in_cells(t, lon, lat) == pid
    block = payload.build(ds)["control"]
    assert block["places"] == places
    assert {p["a"] for p in block["pieces"]} == set(range(len(places)))
    assert len(block["rows"]["date"]) == 1


def test_no_chronology_no_control_block(dataset):
    ds = join(load(dataset))
    assert (len(ds.control), len(ds.authorities), len(ds.territory)) == (0, 0, 0)
    assert list(ds.control.columns)[:4] == ["id", "place", "place_name", "held_by"]
    assert payload.build(ds)["control"] is None


def test_synth_carries_the_chronology_and_adds_movements(dataset, tmp_path):
    from conftest import write_csv
    from siberia_map import synth
    from siberia_map.data.validate import validate
    from test_war_browser import AUTHORITIES as A, CONTROL as C

    write_csv(dataset / "authorities.csv", A)
    write_csv(dataset / "control.csv", [dict(r, date="1918-05/1922-12") for r in C[:1]]
              + [dict(C[2], date="1918-05/1922-12")])
    out = tmp_path / "synth"
    counts = synth.generate(dataset, out, 500, seed=7)
    assert counts["movements"] == 5 and counts["control rows"] == 2
    assert (out / "control.csv").read_bytes() == (dataset / "control.csv").read_bytes()
    raw = load(out)
    assert len(raw.movements.rows) == 5
    assert [p for p in validate(raw) if p.severity == "error"] == []
    ds = join(raw)
    assert len(ds.control) and len(ds.authorities) and len(ds.movements) == 5


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "csv"])
def test_exports_carry_movements_and_control(dataset, tmp_path, fmt):
    import json

    import pyogrio
    from click.testing import CliRunner

    from conftest import write_csv
    from siberia_map.cli import main
    from test_war_browser import AUTHORITIES as A, CONTROL as C, MOVEMENTS as M

    write_csv(dataset / "authorities.csv", A)
    write_csv(dataset / "control.csv", C)
    write_csv(dataset / "movements.csv", M)
    out = tmp_path / ("out" if fmt == "csv" else f"out.{fmt}")
    result = CliRunner().invoke(main, ["export", "--data", str(dataset), "--format", fmt,
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "gpkg":
        names = [name for name, _ in pyogrio.list_layers(out)]
        assert names[-2:] == ["movements", "control"]
        control = pyogrio.read_dataframe(out, layer="control")
        moves = pyogrio.read_dataframe(out, layer="movements")
    elif fmt == "geojson":
        feats = json.loads(out.read_text())["features"]
        control = [f["properties"] for f in feats if f["properties"]["layer"] == "control"]
        moves = [f for f in feats if f["properties"]["layer"] == "movements"]
        assert moves[0]["geometry"]["type"] == "LineString"
    else:
        import csv
        control = list(csv.DictReader(open(out / "control.csv", encoding="utf-8")))
        moves = list(csv.DictReader(open(out / "movements.csv", encoding="utf-8")))
    assert len(moves) == 1
    rows = [dict(r) for r in (control.to_dict("records") if hasattr(control, "to_dict")
                              else control)]
    khab = sorted((r["first_month"], r["held_by"]) for r in rows if r["place"] == "khabarovsk")
    # Soviet (the front) in August 1918; Kalmykov from September, when it changed hands
    # (contested), and then uncontested.
    assert khab == [("1918-08", "soviet"), ("1918-09", "kalmykov"), ("1918-10", "kalmykov")]


def test_figure_bands_the_railway_by_holder(dataset, tmp_path):
    from click.testing import CliRunner

    from conftest import write_csv
    from siberia_map.cli import main
    from test_war_browser import AUTHORITIES as A, CONTROL as C

    write_csv(dataset / "authorities.csv", A)
    write_csv(dataset / "control.csv", C)
    out = tmp_path / "fig.svg"
    result = CliRunner().invoke(main, ["figure", "--data", str(dataset), "--months",
                                       "1918-08,1918-10", "--out", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    # Both holders of the two months are in the key; the bands carry their colours.
    assert "Held by Soviet power" in svg and "Held by Kalmykov" in svg
    assert "#b2182b" in svg.lower() and "#4d4d4d" in svg.lower()

"""The compact record payload: typed columns and the per-month index built in Python.

The index must give, month by month, exactly the records whose interval touches the month,
in the order the page lists and draws them (events by date, then presence by contingent);
the browser test checks that the page shows exactly those, on the fixture, the default data
set and a synthetic one.
"""

import base64

import pytest

from browser import checked
from conftest import cli_build, write_dataset
from siberia_map.model.dataset import default_data
from siberia_map.model.join import prepare
from siberia_map.output import columns


# --------------------------------------------------------------------------- typed
@pytest.mark.parametrize("values,tag", [
    ([], "u8"), ([0, 255], "u8"), ([-1, 127], "i8"), ([0, 256], "u16"), ([-1, 200], "i16"),
    ([0, 65536], "u32"), ([-1, 40000], "i32"), ([-2 ** 31, 2 ** 31 - 1], "i32"),
])
def test_typed_takes_the_narrowest_type_and_round_trips(values, tag):
    col = columns.typed(values)
    assert col["t"] == tag
    assert columns.untyped(col) == values


def test_typed_is_little_endian_in_byte_planes():
    # Low bytes of every value, then their high bytes.
    assert base64.b64decode(columns.typed([1, 0x0203])["b64"]) == b"\x01\x03\x00\x02"
    assert base64.b64decode(columns.typed([1, -300])["b64"]) == b"\x01\xd4\x00\xfe"
    assert base64.b64decode(columns.typed([0x01020304])["b64"]) == b"\x04\x03\x02\x01"


def test_typed_refuses_what_does_not_fit_32_bits():
    with pytest.raises(ValueError, match="32 bits"):
        columns.typed([0, 2 ** 32])


# --------------------------------------------------------------------------- month_index
def buckets(index: dict) -> list[list[int]]:
    start, rec = columns.untyped(index["start"]), columns.untyped(index["rec"])
    return [rec[start[m]:start[m + 1]] for m in range(len(start) - 1)]


def test_month_index_orders_events_by_date_then_presence_by_contingent():
    events = {"m0": [0, 0, 1], "m1": [1, 0, 2], "sort": ["1918-08-20", "1918-08-03", "1918-09-01"]}
    presence = {"m0": [0, 0, 2, 1], "m1": [2, 1, 2, 0], "c": [2, 0, 1, 0]}
    index = columns.month_index(events, presence, 3)
    # Events are 0..2, presence rows 3..6; the last presence row ends before it starts.
    assert buckets(index) == [[1, 0, 4, 3], [0, 2, 4, 3], [2, 5, 3]]
    assert columns.untyped(index["events"]) == [2, 2, 1]


def test_month_index_keeps_data_order_on_ties_and_clips_to_the_months():
    events = {"m0": [-2, 0], "m1": [0, 5], "sort": ["x", "x"]}
    presence = {"m0": [0, 0], "m1": [0, 0], "c": [1, 1]}
    index = columns.month_index(events, presence, 2)
    assert buckets(index) == [[0, 1, 2, 3], [1]]
    assert columns.untyped(index["events"]) == [2, 1]


def test_month_index_of_nothing():
    index = columns.month_index({"m0": [], "m1": [], "sort": []}, {"m0": [], "m1": [], "c": []}, 3)
    assert buckets(index) == [[], [], []]


def expected_months(ds) -> dict:
    """Straight from the Dataset: per month the shown records' (type, id), in list order."""
    cindex = {cid: i for i, cid in enumerate(ds.contingents["id"])}
    out = {}
    for m, ym in enumerate(ds.months):
        month = ds.first_month + m
        ev = ds.events[(ds.events["m0"] <= month) & (ds.events["m1"] >= month)]
        pr = ds.presence[(ds.presence["m0"] <= month) & (ds.presence["m1"] >= month)]
        ev_rows = sorted(range(len(ev)), key=lambda i: (str(ev["sort"].iloc[i] or ev["date"].iloc[i]), i))
        pr_rows = sorted(range(len(pr)), key=lambda i: (cindex[pr["contingents"].iloc[i][0]], i))
        out[ym] = {"events": [str(ev["id"].iloc[i]) for i in ev_rows],
                   "shown": sorted([("event", str(ev["id"].iloc[i])) for i in ev_rows] +
                                   [("presence", str(pr["id"].iloc[i])) for i in pr_rows])}
    return out


def test_payload_index_matches_the_dataset(shipped, shipped_payload):
    ds, data = shipped, shipped_payload
    ids = data["events"]["id"] + data["presence"]["id"]
    n_ev = len(data["events"]["id"])
    expected = expected_months(ds)
    for ym, bucket in zip(ds.months, buckets(data["index"])):
        got_events = [ids[r] for r in bucket if r < n_ev]
        assert got_events == expected[ym]["events"], ym
    assert "sort" not in data["events"]


# --------------------------------------------------------------------------- in the page
MONTHS_JS = """() => {
    const sm = window.siberiaMap, ctl = L.SiberiaMap.current.controller, out = {};
    for (const m of sm.months()) {
        sm.setMonth(m);
        out[m] = {events: ctl.visibleEvents().map((r) => r.id),
                  shown: sm.visible().filter((r) => r.type !== 'movement').map((r) => [r.type, r.id]).sort()};
    }
    return out;
}"""


def _sorted_pairs(month):
    return {"events": month["events"], "shown": sorted(tuple(p) for p in month["shown"])}


@pytest.mark.browser
@pytest.mark.parametrize("which", ["fixture", "default", "synth"])
def test_page_shows_each_months_records_in_order(browser, tmp_path, which):
    if which == "fixture":
        root = write_dataset(tmp_path / "data")
    elif which == "default":
        root = default_data()
    else:
        from siberia_map.synth import generate
        root = tmp_path / "synth"
        generate(default_data(), root, 300, seed=7)
    out = tmp_path / "map.html"
    cli_build(root, out)
    expected = expected_months(prepare(root))
    with checked(browser, out) as s:
        got = s.page.evaluate(MONTHS_JS)
    assert {m: _sorted_pairs(v) for m, v in got.items()} == \
        {m: {"events": v["events"], "shown": sorted(v["shown"])} for m, v in expected.items()}

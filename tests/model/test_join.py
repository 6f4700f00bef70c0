import pytest

from conftest import EVENTS, PRESENCE
from siberia_map.data import timeline
from siberia_map.errors import DataError
from siberia_map.data.gazetteer import Gazetteer, WhereProblem, normalise
from siberia_map.model.join import prepare


def test_records_get_geometry_and_months(dataset):
    ds = prepare(dataset)
    assert ds.months[0] == "1918-08" and ds.months[-1] == "1919-08"
    ev = ds.events.set_index("id")
    assert ev.loc["e-us-landing", "where_id"] == "vladivostok"  # geocoded from a name
    assert ev.loc["e-us-landing", "when"] == "15\u201321 August 1918"
    summer = ev.loc["e-summer"]
    assert [timeline.month_key(summer.m0), timeline.month_key(summer.m1)] == ["1919-06", "1919-08"]
    assert summer.contingents == ["japan", "usa"]
    assert summer.geometry.geom_type == "LineString"


def test_stretch_follows_the_railway_through_intermediate_stations(dataset):
    ds = prepare(dataset)
    line = ds.presence.set_index("id").loc["p-japan-line"].geometry
    coords = [tuple(round(v, 4) for v in c) for c in line.coords]
    # Vladivostok -> bend at (132.0, 43.4) -> Nikolsk -> Spassk: never a straight chord.
    assert coords == [(131.8869, 43.1155), (132.0, 43.4), (131.9508, 43.8019), (132.8187, 44.5999)]


def test_reversed_stretch_runs_the_other_way(make_dataset):
    presence = [dict(PRESENCE[0], where="spassk..vladivostok")]
    ds = prepare(make_dataset(presence=presence))
    coords = list(ds.presence.geometry.iloc[0].coords)
    assert coords[0] == pytest.approx((132.8187, 44.5999)) and coords[-1] == pytest.approx((131.8869, 43.1155))


def test_approximate_records_are_marked(dataset):
    rec = prepare(dataset).presence.set_index("id").loc["p-japan-line"]
    assert rec.approximate and rec.uncertainty == "Date approximate"
    assert rec.when == "about August 1918 \u2013 December 1918"


def test_presence_without_id_gets_its_row(make_dataset):
    rows = [{k: v for k, v in r.items() if k != "id"} for r in PRESENCE]
    ds = prepare(make_dataset(presence=rows))
    assert list(ds.presence["id"]) == ["presence-2", "presence-3", "presence-4"]


def test_meta_extends_the_slider(make_dataset):
    ds = prepare(make_dataset(meta={"first_month": "1918-07", "last_month": "1922-10",
                                    "title": "T"}))
    assert ds.months[0] == "1918-07" and ds.months[-1] == "1922-10" and ds.title == "T"


def test_prepare_raises_every_problem(make_dataset):
    with pytest.raises(DataError) as info:
        prepare(make_dataset(events=[dict(EVENTS[0], date="nope", where="atlantis")]))
    assert len(info.value.problems) == 2


@pytest.mark.parametrize("name, key", [("Nikolsk-Ussuriski", "nikolsk ussuriski"),
                                       ("  ÚSSURIYSK ", "ussuriysk"), ("Chita", "chita")])
def test_normalise(name, key):
    assert normalise(name) == key


def test_shortest_path_prefers_fewer_km():
    gaz = Gazetteer({p: (p, []) for p in "abcd"},
                    {"ab": ("a", "b", 10), "bd": ("b", "d", 10), "ac": ("a", "c", 5),
                     "cd": ("c", "d", 50)})
    assert gaz.resolve("a..d").steps == (("ab", False), ("bd", False))
    assert gaz.resolve("d..a").steps == (("bd", True), ("ab", True))
    with pytest.raises(WhereProblem):
        gaz.resolve("a..a")


def test_text_objects_share_the_loaded_strings_and_build_the_same_page(dataset):
    from siberia_map.data.load import load
    from siberia_map.data.validate import check
    from siberia_map.model.join import join
    from siberia_map.output.render import render
    raw = load(dataset)
    checked = check(raw)
    plain, shared = join(raw, checked), join(raw, checked, text_objects=True)
    for kind, rows in (("events", raw.events.rows), ("presence", raw.presence.rows)):
        a, b = getattr(plain, kind), getattr(shared, kind)
        assert list(a.columns) == list(b.columns)
        assert b["source"].dtype == object and a["source"].dtype != object
        assert all(x is row["source"] for x, row in zip(b["source"], rows))  # not copies
        assert b["m0"].dtype == a["m0"].dtype and b["m0"].tolist() == a["m0"].tolist()
        assert b.drop(columns="geometry").astype(str).equals(a.drop(columns="geometry").astype(str))
    assert render(shared).html == render(plain).html

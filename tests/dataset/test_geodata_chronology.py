"""The shipped data set against its own control chronology, gaps and bibliography."""


import pytest

from siberia_map.data import timeline
from siberia_map.data.load import load
from siberia_map.data.validate import check
from conftest import GEODATA



@pytest.fixture(scope="module")
def checked():
    raw = load(GEODATA)
    details: dict = {}
    result = check(raw, details)
    return raw, result, details


def test_the_data_set_has_a_chronology_gaps_and_a_bibliography(checked):
    raw, _, details = checked
    assert raw.control is not None and raw.authorities is not None
    assert raw.gaps is not None and raw.sources is not None
    assert {"conflicts", "explanations", "sources"} <= set(details)


def test_no_errors_in_the_data_set(checked):
    _, result, _ = checked
    assert [str(p) for p in result.problems if p.severity == "error"] == []


def test_every_railway_station_is_held_by_someone_in_every_month(checked):
    raw, result, _ = checked
    chron = result.chronology
    stations = {s for stops in chron.segments.values() for s in stops}
    assert len(stations) > 100
    first, last = timeline.parse_month_key(raw.meta["first_month"]), \
        timeline.parse_month_key(raw.meta["last_month"])
    assert (chron.first, chron.last) == (first, last)
    for pid in stations:
        assert all(chron.holders[pid]), pid


def test_every_conflict_with_the_chronology_is_explained(checked):
    _, _, details = checked
    assert [c for c in details["conflicts"] if not c.explained] == []


@pytest.mark.parametrize("record, contingent, month", [
    ("presence.csv", "britain", "1919-08"),   # the Reds took Yekaterinburg on 14 July 1919
])
def test_no_allied_record_where_the_reds_held_yekaterinburg(checked, record, contingent, month):
    raw, result, _ = checked
    chron, m = result.chronology, timeline.parse_month_key(month)
    holders = {chron.rows[k]["held_by"] for k in chron.holders["yekaterinburg"][m - chron.first]}
    assert holders == {"soviet"}
    table = raw.presence if record == "presence.csv" else raw.events
    for row in table.rows:
        if row.get("contingent") == contingent and row.get("where") == "yekaterinburg":
            s = timeline.parse(row["date"])
            assert not s.first_month <= m <= s.last_month, row

"""The shipped data set against its own control chronology, gaps and bibliography."""


import pytest

from siberia_map.data import citations, timeline
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


def drawn_at(raw, chron, station: str, month: str) -> set[str]:
    """Contingents a presence or event record draws at `station` in `month` (stretches expanded)."""
    m = timeline.parse_month_key(month)
    found = set()
    for table, field in ((raw.presence, "contingent"), (raw.events, "contingents")):
        for row in table.rows:
            where = (row.get("where") or "").strip()
            if not where:
                continue
            s = timeline.parse(row["date"])
            if s.first_month <= m <= s.last_month and station in chron.stations(where):
                found |= {c for c in row[field].split(";") if c}
    return found


# Checkpoints from the standard works (issue 19): who could be drawn where, month by month.
@pytest.mark.parametrize("station, month, absent", [
    ("omsk", "1919-12", {"whites", "britain", "canada", "romania", "serbia", "czechoslovak"}),
    ("irkutsk", "1918-08", {"reds"}),          # the Soviets left Irkutsk on 11 July 1918
    ("petropavlovsk", "1919-08", {"reds"}),    # Petropavlovsk fell on 31 October 1919
    ("isilkul", "1919-09", {"reds"}),
    ("omsk", "1919-10", {"reds"}),             # Omsk fell on 14 November 1919
    ("chelyabinsk", "1919-09", {"whites"}),    # Chelyabinsk fell on 24 July 1919
    ("shumikha", "1919-10", {"whites"}),
    ("petropavlovsk", "1919-11", {"whites"}),
    ("novonikolaevsk", "1920-01", {"whites", "poland", "britain"}),  # Red from 14 December 1919
    ("taiga", "1920-01", {"whites"}),
    ("kansk", "1920-02", {"whites", "czechoslovak", "britain"}),
    ("nizhneudinsk", "1920-03", {"whites", "czechoslovak"}),
    ("ufa", "1919-01", {"whites"}),            # Red from 31 December 1918 to 13-14 March 1919
    ("ufa", "1919-02", {"whites"}),
    ("irkutsk", "1920-04", {"czechoslovak"}),  # the rearguard left about 1 March 1920
    ("verkhneudinsk", "1920-07", {"czechoslovak"}),  # gone from Transbaikalia by 3 July 1920
])
def test_nobody_is_drawn_where_the_other_camp_held_the_station(checked, station, month, absent):
    raw, result, _ = checked
    assert drawn_at(raw, result.chronology, station, month) & absent == set()


@pytest.mark.parametrize("station, month, present", [
    ("omsk", "1918-07", "whites"),             # the Siberian Government from June 1918
    ("omsk", "1918-10", "whites"),
    ("krasnoyarsk", "1918-11", "czechoslovak"),  # the Legion's rear, Oct-Dec 1918
    ("irkutsk", "1918-12", "czechoslovak"),
    ("vladivostok", "1922-10", "reds"),        # the People's Revolutionary Army, 25 October 1922
    ("petropavlovsk", "1919-11", "reds"),
    ("omsk", "1919-11", "reds"),
    ("posolskaya", "1920-01", "usa"),          # the fight of 10 January 1920
    ("omsk", "1919-01", "france"),             # Janin's mission
    ("omsk", "1919-12", "reds"),               # Omsk was Red from 14 November 1919
    ("novonikolaevsk", "1920-01", "reds"),
    ("yekaterinburg", "1919-08", "reds"),
    ("irkutsk", "1918-08", "czechoslovak"),    # the Legion entered on 11-13 July 1918
])
def test_the_missing_presence_is_drawn(checked, station, month, present):
    raw, result, _ = checked
    assert present in drawn_at(raw, result.chronology, station, month)


def test_the_french_battalion_is_on_the_map_every_month_of_1919(checked):
    raw, _, _ = checked
    months = set()
    for row in raw.movements.rows:
        if row["contingent"] == "france":
            s = timeline.parse(row["date"])
            months |= set(range(s.first_month, s.last_month + 1))
    wanted = range(timeline.parse_month_key("1919-01"), timeline.parse_month_key("1919-08") + 1)
    assert set(wanted) <= months


@pytest.mark.parametrize("table, rid, date", [
    ("presence", "fr-janin-omsk", "1918-12-16/1919-11"),  # Janin reached Omsk on 16 December
    ("events", "graves-arrives", "1918-09-01"),           # Graves's own date
    ("events", "hampshires-omsk", "1919-01-05"),          # the date in Ward's passage
    ("events", "czech-seize-vladivostok", "1918-06-29"),  # certain, not approximate
    ("events", "baikal-tunnels", "1918-07-18/1918-08-31"),  # fighting from Kultuk, 18 July
    ("events", "posolskaya-clash", "1920-01-10"),
])
def test_dates_from_the_standard_works(checked, table, rid, date):
    raw, _, _ = checked
    rows = {r["id"]: r for r in getattr(raw, table).rows}
    assert rows[rid]["date"] == date


def test_sakhalin_landing_cites_the_april_document():
    raw = load(GEODATA)
    row = next(r for r in raw.events.rows if r["id"] == "sakhalin-landing")
    assert "frus1920-v3: doc. 570" in row["source"] and "doc. 587" not in row["source"]


@pytest.mark.parametrize("rid, date, named", [
    # the article's 8 August; the Japanese ambassador's statement in FRUS: 'the 13th instant'
    ("japan-large-landing", "1918-08-08/1918-08-13", "doc. 432"),
    # the article's 12 January 1920; Wieloch's account from Vining's diary: 6 January
    ("mission-train-captured", "1920-01-06/1920-01-12", "6 January"),
])
def test_dates_the_works_disagree_on_cover_both_and_say_so(checked, rid, date, named):
    raw, _, _ = checked
    row = next(r for r in raw.events.rows if r["id"] == rid)
    assert row["date"] == date and named in row["note"]


def test_no_record_rests_on_the_article_alone(checked):
    raw, _, _ = checked
    sources = {r["key"]: r for r in raw.sources.rows}
    tables = [raw.events, raw.presence, raw.movements, raw.contingents, raw.authorities,
              raw.control, raw.gaps, raw.story]
    alone = [(t.name, t.where(i)) for t in tables for i, row in enumerate(t.rows)
             if not {sources[k]["type"] for k, _ in citations.resolve(row["source"], sources)}
             & set(citations.SOLID)]
    assert alone == []

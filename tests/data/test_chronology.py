"""The control chronology: authorities, control rows, coverage of every station, and records
checked against who held each place that month."""

import pytest

from conftest import CONTINGENTS, PRESENCE, write_csv
from siberia_map.data.load import load
from siberia_map.data.validate import validate

AUTHORITIES = [
    {"id": "japan-zone", "name": "Japanese-held zone", "side": "allied", "colour": "#d55e00",
     "note": "", "source": "test"},
    {"id": "soviet", "name": "Soviet power", "side": "red", "colour": "#cc0000", "note": "",
     "source": "test"},
    {"id": "zemstvo", "name": "Primorye zemstvo", "side": "other", "colour": "#777777",
     "note": "", "source": "test"},
]
# The whole fixture railway, every month of its slider (1918-08 to 1919-08).
BASE = [{"where": "vladivostok..khabarovsk", "date": "1918-08/1919-08", "held_by": "japan-zone",
         "contested": "false", "note": "", "source": "test"}]
REDS = {"id": "red-guards", "name": "Red Guards", "side": "red", "colour": "#990000",
        "source": "test"}


def control(where, date, held_by="soviet", contested="false"):
    return {"where": where, "date": date, "held_by": held_by, "contested": contested,
            "note": "", "source": "test"}


def presence(contingent, where, date, **extra):
    return {"id": f"p-{contingent}-{where}", "contingent": contingent, "where": where,
            "date": date, "strength": "", "note": "", "source": "test", "control": "", **extra}


@pytest.fixture
def chron(make_dataset):
    """Write a data set with authorities.csv and control.csv; returns its problems."""
    def make(rows=(), records=None, authorities=AUTHORITIES, events=None, base=BASE):
        kwargs = {"presence": records if records is not None else PRESENCE,
                  "contingents": CONTINGENTS + [REDS]}
        if events is not None:
            kwargs["events"] = events
        root = make_dataset(**kwargs)
        write_csv(root / "control.csv", list(base) + list(rows))
        if authorities is not None:
            write_csv(root / "authorities.csv", authorities)
        return [str(p) for p in validate(load(root))]
    return make


def test_a_full_chronology_with_consistent_records_is_clean(chron):
    assert chron() == []


def test_planted_conflict_names_file_row_contingent_place_month_and_holder(chron):
    found = chron([control("khabarovsk", "1918-08/1918-09")],
                  PRESENCE + [presence("britain", "khabarovsk", "1918-09")])
    assert len(found) == 1, found
    p = found[0]
    assert p.startswith("presence.csv, row 5: contingent='britain'"), p
    assert "Khabarovsk (khabarovsk) in 1918-09" in p
    assert "held by soviet (Soviet power), control.csv row 3;" in p


def test_consecutive_months_are_one_range(chron):
    found = chron([control("khabarovsk", "1918-08/1918-12")],
                  PRESENCE + [presence("japan", "khabarovsk", "1918-09/1919-03")])
    assert len(found) == 1 and "in 1918-09 to 1918-12," in found[0], found


def test_explained_conflict_is_accepted(chron):
    record = presence("britain", "khabarovsk", "1918-09", control="raid@1918-09-05/1918-09-12",
                      note="A cavalry raid behind the Red lines.")
    assert chron([control("khabarovsk", "1918-08/1918-09")], PRESENCE + [record]) == []


def test_dated_exception_without_note_is_not_enough(chron):
    record = presence("britain", "khabarovsk", "1918-09", control="raid@1918-09")
    found = chron([control("khabarovsk", "1918-08/1918-09")], PRESENCE + [record])
    assert any(p.startswith("presence.csv, row 5: note='': a note saying why") for p in found)
    assert any("contingent='britain'" in p and "its control='raid@1918-09' does not cover"
               in p for p in found), found


@pytest.mark.parametrize("value, expected", [
    ("ambush@1918-09", "kind one of raid | partisans"),
    ("raid", "a dated exception raid@<EDTF date> (e.g. raid@1920-01/1920-02): a tag never "
             "covers a record's whole interval by itself"),
    ("evacuation", "a tag never covers a record's whole interval by itself"),
    ("contested@1918-09", "marked contested=true in control.csv"),
    ("contested", "marked contested=true in control.csv"),
    ("raid@1918-13", "raid@<EDTF date>:"),
    ("raid@1918-10", "an exception dated inside the record's own date '1918-09'"),
])
def test_control_values_are_checked(chron, value, expected):
    record = presence("britain", "khabarovsk", "1918-09", control=value, note="x")
    found = chron([], PRESENCE + [record])
    assert any(p.startswith(f"presence.csv, row 5: control={value!r}: ") and expected in p
               for p in found), found


def test_a_bare_tag_explains_nothing(chron):
    # The old form: one tag for the whole interval. It is refused, and the conflict stays.
    record = presence("britain", "khabarovsk", "1918-09", control="raid", note="A raid.")
    found = chron([control("khabarovsk", "1918-08/1918-09")], PRESENCE + [record])
    assert len(found) == 2 and any("contingent='britain'" in p for p in found), found


def test_an_exemption_covering_part_of_the_interval_leaves_the_other_months(chron):
    # The Reds hold Khabarovsk from 1918-08 to 1919-02; britain is there 1918-10 to 1919-01,
    # but the evacuation convoy it names ran only in 1918-11 and 1918-12.
    record = presence("britain", "khabarovsk", "1918-10/1919-01",
                      control="evacuation@1918-11-02/1918-12-20",
                      note="An evacuation convoy passed under truce in November and December.")
    found = chron([control("khabarovsk", "1918-08/1919-02")], PRESENCE + [record])
    assert len(found) == 1, found
    assert "Khabarovsk (khabarovsk) in 1918-10, 1919-01, where" in found[0], found
    assert "its control='evacuation@1918-11-02/1918-12-20' does not cover" in found[0]


def test_several_exceptions_each_cover_their_own_months(chron):
    record = presence("britain", "khabarovsk", "1918-10/1919-01",
                      control="transit@1918-10; captivity@1918-12/1919-01",
                      note="In transit, then prisoners of the Reds.")
    found = chron([control("khabarovsk", "1918-08/1919-02")], PRESENCE + [record])
    assert len(found) == 1 and "Khabarovsk (khabarovsk) in 1918-11, where" in found[0], found


def test_conflicts_carry_the_exception_that_explains_them(make_dataset):
    from siberia_map.data.validate import check
    root = make_dataset(presence=PRESENCE + [presence(
        "britain", "khabarovsk", "1918-10/1918-12", control="truce@1918-11",
        note="Passed under a truce.")], contingents=CONTINGENTS + [REDS])
    write_csv(root / "control.csv", BASE + [control("khabarovsk", "1918-08/1919-02")])
    write_csv(root / "authorities.csv", AUTHORITIES)
    details = {}
    check(load(root), details)
    mine = sorted((c.months, c.explained, c.exception, c.record) for c in details["conflicts"]
                  if c.contingent == "britain")
    assert mine == [((1918 * 12 + 9,), False, "", "p-britain-khabarovsk"),
                    ((1918 * 12 + 10,), True, "truce@1918-11", "p-britain-khabarovsk"),
                    ((1918 * 12 + 11,), False, "", "p-britain-khabarovsk")]


@pytest.mark.parametrize("control_value, left", [
    ("truce@1918-10/1918-12", []),  # every month explained: not looked up at all
    ("truce@1918-11", [(1918 * 12 + 9,), (1918 * 12 + 11,)]),
])
def test_without_details_only_unexplained_conflicts_are_worked_out(make_dataset,
                                                                   control_value, left):
    from siberia_map.data.control.conflicts import record_conflicts
    from siberia_map.data.validate import check
    root = make_dataset(presence=PRESENCE + [presence(
        "britain", "khabarovsk", "1918-10/1918-12", control=control_value,
        note="Passed under a truce.")], contingents=CONTINGENTS + [REDS])
    write_csv(root / "control.csv", BASE + [control("khabarovsk", "1918-08/1919-02")])
    write_csv(root / "authorities.csv", AUTHORITIES)
    raw = load(root)
    chron = check(raw).chronology
    sides = {r["id"]: r["side"] for r in raw.contingents.rows}
    every = record_conflicts(raw, chron, sides, None)
    unexplained = record_conflicts(raw, chron, sides, None, explained=False)
    assert [c for c in every if not c.explained] == unexplained
    assert [c.months for c in unexplained if c.contingent == "britain"] == left
    assert any(c.explained for c in every if c.contingent == "britain")


def movement(contingent, a, b, date, **extra):
    return {"id": f"m-{contingent}-{a}-{b}", "contingent": contingent, "from": a, "to": b,
            "via": "", "date": date, "kind": "advance", "note": "", "source": "test",
            "control": "", **extra}


@pytest.fixture
def moving(chron, make_dataset):
    """Like `chron`, with a movements.csv of the given rows."""
    def make(rows, moves):
        root = make_dataset(presence=[PRESENCE[0], PRESENCE[2]],
                            contingents=CONTINGENTS + [REDS])
        write_csv(root / "control.csv", list(BASE) + list(rows))
        write_csv(root / "authorities.csv", AUTHORITIES)
        write_csv(root / "movements.csv", moves)
        return [str(p) for p in validate(load(root))]
    return make


def test_a_movement_is_checked_only_where_it_is_each_month(moving):
    # Vladivostok to Khabarovsk over 1918-09 to 1918-11 (about a third of the route a month:
    # Nikolsk and Spassk lie in the first third). The Reds hold Spassk in 1918-09 only, when
    # the journey passes it, and Khabarovsk in 1918-09 only, when it is still far off.
    rows = [control("spassk", "1918-09/1918-09"), control("khabarovsk", "1918-09/1918-09")]
    found = moving(rows, [movement("japan", "vladivostok", "khabarovsk", "1918-09/1918-11")])
    assert len(found) == 1, found
    assert found[0].startswith("movements.csv, row 2: contingent='japan'"), found
    assert "at Spassk (spassk) in 1918-09, where" in found[0], found
    assert "(khabarovsk)" not in found[0] and "(nikolsk)" not in found[0], found


def test_a_movement_may_name_a_dated_exception(moving):
    rows = [control("spassk", "1918-09/1918-09")]
    move = movement("japan", "vladivostok", "khabarovsk", "1918-09/1918-11",
                    control="truce@1918-09", note="Passed Spassk under a local truce.")
    assert moving(rows, [move]) == []


@pytest.mark.parametrize("rows", [
    [control("khabarovsk", "1918-08/1918-09", contested="true")],
    [control("khabarovsk", "1918-08/1918-09"),
     control("khabarovsk", "1918-09-10/1918-10", held_by="japan-zone", contested="true")],
    [control("khabarovsk", "1918-08/1918-09", held_by="zemstvo")],
    [control("khabarovsk", "1918-08/1918-09"),
     control("khabarovsk", "1918-09-20/1918-12", held_by="japan-zone")],
])
def test_contested_other_or_shared_months_never_conflict(chron, rows):
    assert chron(rows, PRESENCE + [presence("britain", "khabarovsk", "1918-09")]) == []


def test_red_contingent_in_allied_zone_conflicts(chron):
    found = chron([], PRESENCE + [presence("red-guards", "nikolsk", "1919-01")])
    assert any("contingent='red-guards'" in p and "Nikolsk-Ussuriski (nikolsk) in 1919-01" in p
               and "japan-zone (Japanese-held zone" in p for p in found), found


def test_stretch_record_checks_each_station(chron):
    # usa guards vladivostok..nikolsk to 1919-03; the Reds hold only nikolsk in 1919-02.
    found = chron([control("nikolsk", "1919-02/1919-02")])
    assert len(found) == 1, found
    assert "contingent='usa'" in found[0] and "(nikolsk) in 1919-02" in found[0]


# The Reds hold the line east of Nikolsk in November 1918 (Nikolsk itself is shared with the
# western stretch's holder, so only the stations beyond it conflict).
SPLIT = [control("vladivostok..nikolsk", "1918-08/1919-08", held_by="japan-zone"),
         control("nikolsk..khabarovsk", "1918-08/1918-10", held_by="japan-zone"),
         control("nikolsk..khabarovsk", "1918-11/1918-11"),
         control("nikolsk..khabarovsk", "1918-12/1919-08", held_by="japan-zone")]


def test_stretch_control_row_holds_the_stations_between(chron):
    found = chron(SPLIT, base=[])
    # japan is on vladivostok..spassk to 1918-12; spassk lies between nikolsk and khabarovsk.
    assert len(found) == 1, found
    assert "contingent='japan'" in found[0] and "Spassk (spassk) in 1918-11," in found[0]


def test_direct_rows_shadow_stretch_rows(chron):
    assert chron(SPLIT + [control("spassk", "1918-11/1918-11", held_by="japan-zone")],
                 base=[]) == []
    found = chron(SPLIT + [control("spassk", "1918-11/1918-11", held_by="japan-zone"),
                           control("nikolsk", "1918-10/1918-10")], base=[])
    assert len(found) == 2 and all("(nikolsk) in 1918-10," in p for p in found), found


def test_events_with_contingents_are_checked_and_events_without_are_not(chron):
    events = [{"id": "e1", "date": "1918-09-05", "where": "Khabarovsk", "contingents": "japan",
               "kind": "battle", "title": "t", "description": "", "source": "test"},
              {"id": "e2", "date": "1918-09-05", "where": "khabarovsk", "contingents": "",
               "kind": "political", "title": "t", "description": "", "source": "test"}]
    found = chron([control("khabarovsk", "1918-08/1918-09")], events=events)
    assert [p.split(":")[0] for p in found] == ["events.csv, row 2"], found


def test_coverage_lists_the_uncovered_months_of_a_station(chron, make_dataset):
    found = chron([])
    assert found == []
    root = make_dataset(contingents=CONTINGENTS + [REDS])
    write_csv(root / "authorities.csv", AUTHORITIES)
    write_csv(root / "control.csv", [control("vladivostok..nikolsk", "1918-08/1919-08"),
                                     control("nikolsk..khabarovsk", "1918-08/1918-10"),
                                     control("nikolsk..khabarovsk", "1919-01/1919-06")])
    out = [str(p) for p in validate(load(root))]
    coverage = [p for p in out if p.startswith("control.csv: where=")]
    assert len(coverage) == 2, out
    assert "where='khabarovsk'" in coverage[0] and coverage[0].endswith(
        "none for 1918-11 to 1918-12, 1919-07 to 1919-08")
    assert "where='spassk'" in coverage[1]


@pytest.mark.parametrize("row, expected", [
    (control("Khabarovsk", "1918-08/1918-09"), "where='Khabarovsk': a place id or a railway"),
    (control("vladivostok..omsk", "1918-08/1918-09"), "'omsk' is on no railway segment"),
    (control("khabarovsk", "1918-09"), "date='1918-09': an EDTF interval with both ends"),
    (control("khabarovsk", "1918-09/.."), "date='1918-09/..': an interval with both ends"),
    (control("khabarovsk", "1918-09/1918-10", held_by="kolchak"),
     "held_by='kolchak': an authority id"),
    (control("khabarovsk", "1918-09/1918-10", contested="yes"),
     "contested='yes': exactly true or false"),
    (dict(control("khabarovsk", "1918-09/1918-10"), source=""), "source=''"),
])
def test_control_rows_are_checked(chron, row, expected):
    found = chron([row])
    assert any(p.startswith("control.csv, row 3:") and expected in p for p in found), found


@pytest.mark.parametrize("change, expected", [
    ({"id": "Soviet Power"}, "id='Soviet Power': a slug"),
    ({"side": "green"}, "side='green': one of allied, white, red, other"),
    ({"colour": "red"}, "colour='red': a colour #rrggbb"),
    ({"name": ""}, "name='': non-empty text"),
    ({"source": ""}, "source='': non-empty text"),
])
def test_authorities_are_checked(chron, change, expected):
    rows = [AUTHORITIES[0], dict(AUTHORITIES[1], **change), AUTHORITIES[2]]
    found = chron([], authorities=rows)
    assert any(p.startswith("authorities.csv, row 3:") and expected in p for p in found), found


def test_duplicate_authority(chron):
    found = chron([], authorities=AUTHORITIES + [AUTHORITIES[0]])
    assert any("authorities.csv, row 5: id='japan-zone': a unique id" in p for p in found)


def test_control_needs_authorities(chron):
    found = chron([], authorities=None)
    assert any("an authorities.csv beside control.csv" in p for p in found), found


def test_without_control_csv_nothing_is_checked(make_dataset):
    root = make_dataset(presence=PRESENCE + [presence("britain", "khabarovsk", "1918-09",
                                                      control="raid")])
    assert [str(p) for p in validate(load(root))] == []


def _gap(contingent, date, note="On the way home.", source="test"):
    return {"contingent": contingent, "date": date, "note": note, "source": source}


def test_unexplained_gaps_are_problems_when_gaps_csv_exists(dataset):
    # The summer 1919 event is no presence: usa has none 1919-04..08, japan 1919-01..08;
    # britain lands in 1918-08 but is at Omsk only from 1918-10.
    write_csv(dataset / "gaps.csv", [_gap("usa", "1919-04/1919-08"),
                                     _gap("japan", "1919-01/1919-03")])
    found = sorted(str(p) for p in validate(load(dataset)))
    assert found == [
        "gaps.csv: contingent='britain': presence of Britain somewhere in 1918-08 to 1918-09 "
        "(between its first and last record), or a gaps.csv row covering those months with "
        "a note saying why",
        "gaps.csv: contingent='japan': presence of Japan somewhere in 1919-04 to 1919-08 "
        "(between its first and last record), or a gaps.csv row covering those months with "
        "a note saying why"]


@pytest.mark.parametrize("row, expected", [
    (_gap("germany", "1919-01/1919-05"), "contingent='germany': a contingent id"),
    (_gap("japan", "1919-01"), "date='1919-01': an EDTF interval with both ends"),
    (_gap("japan", "1919-01/1919-05", note=""), "note='': non-empty text"),
    (_gap("japan", "1919-01/1919-05", source=""), "source='': a source"),
])
def test_gaps_rows_are_checked(dataset, row, expected):
    write_csv(dataset / "gaps.csv", [row])
    found = [str(p) for p in validate(load(dataset))]
    assert any(p.startswith("gaps.csv, row 2:") and expected in p for p in found), found


def test_a_stretch_record_across_a_front_is_one_problem_listing_its_stations(chron):
    # The Reds hold the whole line in 1918-10 and 1918-11; japan guards vladivostok..spassk.
    rows = [control("vladivostok..khabarovsk", "1918-08/1918-09", held_by="japan-zone"),
            control("vladivostok..khabarovsk", "1918-10/1918-11"),
            control("vladivostok..khabarovsk", "1918-12/1919-08", held_by="japan-zone")]
    japan = [p for p in chron(rows, base=[]) if "contingent='japan'" in p]
    assert len(japan) == 1, japan
    assert "Vladivostok (vladivostok), Nikolsk-Ussuriski (nikolsk), Spassk (spassk) in " \
           "1918-10 to 1918-11, where" in japan[0]
    assert "held by soviet (Soviet power), control.csv row 3;" in japan[0]

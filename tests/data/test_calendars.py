"""Old Style (Julian) dates: `date` is the Gregorian date on the slider, `date_as_written`
the Julian date of the source, and validate checks the one is the conversion of the other."""

from __future__ import annotations

import csv
import json

import pyogrio
import pytest
from click.testing import CliRunner

from conftest import EVENTS, SRC, write_csv
from siberia_map.cli import main
from siberia_map.data import calendars, timeline
from siberia_map.data.load import load
from siberia_map.data.validate import validate
from siberia_map.model.join import join, prepare
from siberia_map.output import columns, payload
from siberia_map.output.export import export


def event(date, written="", cal="julian", rid="e-old-style"):
    return {"id": rid, "date": date, "where": "omsk", "contingents": "britain",
            "kind": "political", "title": "An Omsk decree", "description": "Dated O.S.",
            "source": SRC, "calendar": cal, "date_as_written": written}


def problems_of(make_dataset, *rows):
    return validate(load(make_dataset(events=[*EVENTS, *rows])))


def test_old_style_day_lands_in_june_labelled_with_both_dates(make_dataset):
    ds = prepare(make_dataset(events=[*EVENTS, event("1919-06-14", "1919-06-01")]))
    row = ds.events.set_index("id").loc["e-old-style"]
    june = timeline.month_number(1919, 6)
    assert (row["m0"], row["m1"]) == (june, june)
    assert row["when"] == "14 June 1919 (1 June O.S.)"
    assert (row["calendar"], row["date_as_written"]) == ("julian", "1919-06-01")
    # The page's popups, events list and search all show the payload's `when`.
    block = columns.plain(payload.build(ds), "events")
    i = block["id"].index("e-old-style")
    assert block["when"][i] == "14 June 1919 (1 June O.S.)"
    assert columns.untyped(block["m0"])[i] + ds.first_month == june
    # A Gregorian row keeps its words alone.
    assert block["when"][block["id"].index("e-british-landing")] == "3 August 1918"


@pytest.mark.parametrize("written,date,when,months", [
    ("1919-06-01/1919-06-07", "1919-06-14/1919-06-20", "14\u201320 June 1919 (1\u20137 June O.S.)",
     [(1919, 6)]),
    # A Julian month is every day of it: 14 June to 13 July NS, two months of the slider.
    ("1919-06", "1919-06-14/1919-07-13", "14 June \u2013 13 July 1919 (June O.S.)",
     [(1919, 6), (1919, 7)]),
    ("1918-12-25", "1919-01-07", "7 January 1919 (25 December 1918 O.S.)", [(1919, 1)]),
    ("1918-12-20/1919-01-03", "1919-01-02/1919-01-16",
     "2\u201316 January 1919 (20 December 1918 \u2013 3 January 1919 O.S.)", [(1919, 1)]),
    ("1919", "1919-01-14/1920-01-13", "14 January 1919 \u2013 13 January 1920 (1919 O.S.)",
     [(1919, 1), (1920, 1)]),
    ("1919-06-01~", "1919-06-14~", "about 14 June 1919 (1 June O.S.)", [(1919, 6)]),
])
def test_intervals_months_and_years_convert(make_dataset, written, date, when, months):
    root = make_dataset(events=[*EVENTS, event(date, written)])
    assert [p for p in validate(load(root)) if p.severity == "error"] == []
    row = prepare(root).events.set_index("id").loc["e-old-style"]
    assert row["when"] == when
    assert (row["m0"], row["m1"]) == (timeline.month_number(*months[0]),
                                      timeline.month_number(*months[-1]))


@pytest.mark.parametrize("written,date,expected", [
    ("1919-06-01", "1919-06-01", "1919-06-14"),  # the O.S. date copied, not converted
    ("1919-06-01", "1919-06-13", "1919-06-14"),  # off by the 19th-century 12 days
    ("1919-06", "1919-06", "1919-06-14/1919-07-13"),  # a Julian month is not the NS month
    ("1919-06-01~", "1919-06-14", "1919-06-14~"),  # the qualifier is part of the date
    ("1919-06-01/1919-06-07", "1919-06-14/1919-06-21", "1919-06-14/1919-06-20"),
    # The qualifier stays with the end it qualifies.
    ("1919-06-01~/1919-06-07", "1919-06-14/1919-06-20~", "1919-06-14~/1919-06-20"),
])
def test_a_date_that_is_not_the_conversion_names_row_and_both_dates(
        make_dataset, written, date, expected):
    problems = problems_of(make_dataset, event(date, written))
    (p,) = [p for p in problems if p.field == "date"]
    assert (p.file, p.row, p.value) == ("events.csv", f"row {len(EVENTS) + 2}", date)
    assert expected in p.expected and written in p.expected
    assert p.severity == "error"


def test_the_cli_refuses_the_mismatch_with_status_2(make_dataset):
    root = make_dataset(events=[*EVENTS, event("1919-06-01", "1919-06-01")])
    result = CliRunner().invoke(main, ["validate", "--data", str(root)])
    assert result.exit_code == 2
    assert "events.csv" in result.output and f"row {len(EVENTS) + 2}" in result.output
    assert "1919-06-01" in result.output and "1919-06-14" in result.output


@pytest.mark.parametrize("row,field,value,says", [
    (event("1919-06-14", ""), "date_as_written", "", "Julian (Old Style) date"),
    (event("1919-06-14", "1919-06-01", cal=""), "date_as_written", "1919-06-01",
     "unless calendar is julian"),
    (event("1919-06-14", "1919-06-01", cal="gregorian"), "date_as_written", "1919-06-01",
     "unless calendar is julian"),
    (event("1919-06-14", "1919-06-01", cal="old style"), "calendar", "old style",
     "gregorian (the default"),
    (event("1919-06-14", "1919-22"), "date_as_written", "1919-22", "seasons"),
    (event("1919-06-14", "1919-02-29"), "date_as_written", "1919-02-29",
     "February 1919 O.S. had 28 days"),
    (event("1919-06-14", "1919-06-07/1919-06-01"), "date_as_written", "1919-06-07/1919-06-01",
     "end is not before its start"),
])
def test_calendar_columns_that_do_not_fit_together(make_dataset, row, field, value, says):
    problems = [p for p in problems_of(make_dataset, row) if p.field in calendars.COLUMNS
                or p.field == "date"]
    assert [(p.file, p.row, p.field, p.value) for p in problems] == \
        [("events.csv", f"row {len(EVENTS) + 2}", field, value)]
    assert says in problems[0].expected


def test_gregorian_rows_need_neither_column(make_dataset):
    rows = [event("1919-06-14", cal=""), event("1919-06-15", cal="gregorian", rid="e2")]
    assert [p for p in problems_of(make_dataset, *rows) if p.severity == "error"] == []


def test_a_julian_only_leap_day_converts():
    # 29 February 1900 existed in the Julian calendar only (1900 is no Gregorian leap year).
    assert calendars.to_gregorian("1900-02-29") == "1900-03-13"
    assert calendars.to_gregorian("1900-02") == "1900-02-13/1900-03-13"


def test_presence_and_movements_are_checked_and_carry_both(dataset):
    presence = {"id": "p-old", "contingent": "britain", "where": "omsk",
                "date": "1919-06-15/1919-07-20", "source": SRC, "calendar": "julian",
                "date_as_written": "1919-06-02/1919-07-07"}
    write_csv(dataset / "presence.csv", [presence])
    moves = [{"id": "m-old", "contingent": "usa", "from": "vladivostok", "to": "khabarovsk",
              "via": "", "date": "1918-09-01/1918-10-10", "kind": "advance", "note": "",
              "source": SRC, "calendar": "julian", "date_as_written": "1918-08-19/1918-09-26"}]
    write_csv(dataset / "movements.csv", moves)
    problems = validate(load(dataset))
    assert [(p.file, p.field, p.value) for p in problems if p.severity == "error"] == \
        [("movements.csv", "date", "1918-09-01/1918-10-10")]
    assert "1918-09-01/1918-10-09" in [p for p in problems if p.file == "movements.csv"][0].expected
    moves[0]["date"] = "1918-09-01/1918-10-09"
    write_csv(dataset / "movements.csv", moves)
    ds = prepare(dataset)
    assert ds.presence.set_index("id").loc["p-old", "when"] == \
        "15 June \u2013 20 July 1919 (2 June \u2013 7 July O.S.)"
    (move,) = ds.movements.to_dict("records")
    assert move["when"] == "1 September \u2013 9 October 1918 (19 August \u2013 26 September O.S.)"
    assert payload.build(ds)["movements"]["when"] == [move["when"]]
    export(ds, "csv", dataset.parent / "csv")
    with open(dataset.parent / "csv" / "movements.csv", encoding="utf-8", newline="") as fh:
        (row,) = csv.DictReader(fh)
    assert (row["calendar"], row["date_as_written"], row["date"]) == \
        ("julian", "1918-08-19/1918-09-26", "1918-09-01/1918-10-09")


def test_exports_carry_calendar_and_date_as_written(make_dataset, tmp_path):
    ds = prepare(make_dataset(events=[*EVENTS, event("1919-06-14", "1919-06-01")]))
    export(ds, "csv", tmp_path / "csv")
    with open(tmp_path / "csv" / "events.csv", encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert (rows["e-old-style"]["calendar"], rows["e-old-style"]["date_as_written"],
            rows["e-old-style"]["date"]) == ("julian", "1919-06-01", "1919-06-14")
    assert (rows["e-british-landing"]["calendar"],
            rows["e-british-landing"]["date_as_written"]) == ("gregorian", "")
    with open(tmp_path / "csv" / "presence.csv", encoding="utf-8", newline="") as fh:
        assert {"calendar", "date_as_written"} <= set(next(csv.reader(fh)))
    export(ds, "geojson", tmp_path / "all.geojson")
    feats = json.loads((tmp_path / "all.geojson").read_text(encoding="utf-8"))["features"]
    (props,) = [f["properties"] for f in feats if f["properties"].get("id") == "e-old-style"]
    assert (props["calendar"], props["date_as_written"]) == ("julian", "1919-06-01")
    assert props["when"] == "14 June 1919 (1 June O.S.)"
    export(ds, "gpkg", tmp_path / "all.gpkg")
    df = pyogrio.read_dataframe(tmp_path / "all.gpkg", layer="events").set_index("id")
    assert (df.loc["e-old-style", "calendar"], df.loc["e-old-style", "date_as_written"]) == \
        ("julian", "1919-06-01")
    presence = pyogrio.read_dataframe(tmp_path / "all.gpkg", layer="presence")
    assert set(presence["calendar"]) == {"gregorian"}


def test_a_data_set_without_the_columns_still_joins(dataset):
    # Tables written before the columns existed: every row Gregorian, nothing to check.
    raw = load(dataset)
    assert "calendar" not in raw.events.columns
    assert [p for p in validate(raw) if p.field in calendars.COLUMNS] == []
    assert set(join(raw).events["calendar"]) == {"gregorian"}


@pytest.mark.browser
def test_the_page_shows_both_dates_in_list_popup_and_search(browser, make_dataset, tmp_path):
    from browser import checked
    from conftest import cli_build

    root = make_dataset(events=[*EVENTS, event("1919-06-14", "1919-06-01")])
    out = tmp_path / "map.html"
    cli_build(root, out)
    both = "14 June 1919 (1 June O.S.)"
    with checked(browser, out, "#1919-06") as s:
        page = s.page
        assert s.api("month()") == "1919-06"
        entry = page.locator("[data-record='e-old-style']")
        assert both in entry.inner_text()
        entry.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "An Omsk decree" in popup.inner_text() and both in popup.inner_text()
        page.keyboard.press("Escape")
        page.locator(".sm-search-input").fill("Omsk decree")
        option = page.locator(".sm-search-option", has_text="An Omsk decree")
        option.wait_for()
        assert both in option.inner_text()

"""Story chapters (story.csv) and numeric strength (presence.csv strength_n): load, checks,
payload."""

import pytest

from conftest import PRESENCE, write_csv, write_dataset
from siberia_map.output import payload
from siberia_map.errors import DataError
from siberia_map.model.join import prepare
from siberia_map.data.load import load
from siberia_map.data.validate import validate

CHAPTERS = [
    {"id": "landing", "title": "The landing", "month": "1918-08", "view": "vladivostok;nikolsk",
     "contingents": "usa;britain", "highlight": "e-us-landing;p-usa-line",
     "text": "The Americans land.", "source": "test fixture"},
    {"id": "omsk", "title": "Omsk", "month": "1918-10", "view": "bounds:50,70,58,80",
     "contingents": "", "highlight": "", "text": "The British at Omsk.", "source": "test fixture"},
]


def story_dataset(tmp_path, chapters=CHAPTERS, **kwargs):
    root = write_dataset(tmp_path / "data", **kwargs)
    write_csv(root / "story.csv", chapters)
    return root


def test_chapters_load_with_month_view_and_toggles(tmp_path):
    ds = prepare(story_dataset(tmp_path))
    out = payload.build(ds)["story"]
    assert [c["id"] for c in out] == ["landing", "omsk"]
    landing, omsk = out
    assert ds.months[landing["month"]] == "1918-08" and ds.months[omsk["month"]] == "1918-10"
    assert landing["show"] == [0, 2] and omsk["show"] is None  # usa, britain; empty = all
    assert landing["highlight"] == ["e-us-landing", "p-usa-line"]
    (s, w), (n, e) = landing["bounds"]
    # Vladivostok and Nikolsk inside, with a margin; at least MIN_SPAN degrees each way.
    assert s < 43.1155 < 43.8019 < n and w < 131.8869 < 131.9508 < e
    assert n - s >= 3.0 and e - w >= 3.0
    assert omsk["bounds"] == [[50.0, 70.0], [58.0, 80.0]]
    assert landing["text"] == "The Americans land." and landing["src"] == "test fixture"


def test_no_story_file_no_chapters(dataset):
    assert payload.build(prepare(dataset))["story"] == []


def bad(field, value, where="row 2", **change):
    return pytest.param({**CHAPTERS[0], **change}, field, value, where, id=f"{field}={value}")


@pytest.mark.parametrize("row,field,value,where", [
    bad("view", "nowhere", view="vladivostok;nowhere"),
    bad("view", "bounds:60,70,50,80", view="bounds:60,70,50,80"),
    bad("view", "", view=""),
    bad("contingents", "martians", contingents="usa;martians"),
    bad("highlight", "no-such-record", highlight="no-such-record"),
    bad("highlight", "p-britain-omsk", highlight="p-britain-omsk"),  # not on the map in 1918-08
    bad("month", "1918-13", month="1918-13"),
    bad("month", "August 1918", month="August 1918"),
    bad("month", "1930-01", month="1930-01"),
    bad("title", "", title=""),
    bad("text", " ", text=" "),
    bad("id", "Bad Id", id="Bad Id"),
    bad("id", "omsk", "row 3", id="omsk"),  # the second use is the one reported
    bad("source", "", source=""),
])
def test_bad_chapters_name_file_row_field_and_value(tmp_path, row, field, value, where):
    raw = load(story_dataset(tmp_path, [row, CHAPTERS[1]]))
    problems = [p for p in validate(raw) if p.file == "story.csv"]
    assert [(p.row, p.field, p.value) for p in problems] == [(where, field, value.strip())]


RANGE = {**CHAPTERS[1], "from_month": "1918-08", "highlight": "e-british-landing"}


def test_a_chapter_may_show_a_range_of_months(tmp_path):
    """`from_month` makes the chapter a window from_month..month; a record ringed need only
    be on the map in one month of it (the British landing is in August, the chapter's month
    October)."""
    root = story_dataset(tmp_path, [CHAPTERS[0], RANGE])
    assert [p for p in validate(load(root)) if p.file == "story.csv"] == []
    ds = prepare(root)
    landing, omsk = payload.build(ds)["story"]
    assert landing["from"] is None
    assert (ds.months[omsk["from"]], ds.months[omsk["month"]]) == ("1918-08", "1918-10")


def test_the_story_frame_keeps_ranges_and_translations_as_the_data_gives_them(tmp_path):
    """Dataset.story: `from_month` a month number or None (never NaN, which the payload
    would write as a number); the chapter's other languages as columns, "" where a row has
    none, and in the payload only where given."""
    landing = {**CHAPTERS[0], "from_month": "", "title_ru": "", "text_ru": ""}
    omsk = {**RANGE, "title_ru": "Омск", "text_ru": "Британцы в Омске."}
    ds = prepare(story_dataset(tmp_path, [landing, omsk]))
    assert list(ds.story["from_month"]) == [None, ds.months.index("1918-08") + ds.first_month]
    assert list(ds.story["title_ru"]) == ["", "Омск"]
    first, second = payload.build(ds)["story"]
    assert "title_ru" not in first and "text_ru" not in first
    assert (second["title_ru"], second["text_ru"]) == ("Омск", "Британцы в Омске.")


@pytest.mark.parametrize("change,value,expected", [
    ({"from_month": "1918-13"}, "1918-13", "YYYY-MM"),
    ({"from_month": "Aug 1918"}, "Aug 1918", "a month YYYY-MM"),
    ({"from_month": "1930-01"}, "1930-01", "a month on the slider"),
    ({"from_month": "1918-11"}, "1918-11", "no later than the chapter's month 1918-10"),
])
def test_a_bad_from_month_is_named_with_its_row(tmp_path, change, value, expected):
    raw = load(story_dataset(tmp_path, [CHAPTERS[0], {**RANGE, "highlight": "", **change}]))
    problems = [p for p in validate(raw) if p.file == "story.csv"]
    assert [(p.row, p.field, p.value) for p in problems] == [("row 3", "from_month", value)]
    assert expected in problems[0].expected


def test_a_ringed_record_outside_the_range_is_named(tmp_path):
    row = {**RANGE, "from_month": "1918-09"}  # the landing (August) is before the range
    problems = [p for p in validate(load(story_dataset(tmp_path, [row]))) if p.file == "story.csv"]
    assert [(p.row, p.field, p.value) for p in problems] == [("row 2", "highlight", "e-british-landing")]
    assert "1918-09..1918-10" in problems[0].expected


def test_every_bad_chapter_is_reported_at_once(tmp_path):
    rows = [{**CHAPTERS[0], "month": "1918-13"}, {**CHAPTERS[1], "view": "atlantis"}]
    with pytest.raises(DataError) as exc:
        prepare(story_dataset(tmp_path, rows))
    assert [(p.row, p.field) for p in exc.value.problems] == [("row 2", "month"), ("row 3", "view")]


def test_chapter_citations_are_checked_against_the_bibliography(tmp_path):
    root = story_dataset(tmp_path, [{**CHAPTERS[0], "source": "nobody1920: ch. I"}])
    write_csv(root / "sources.csv", [{"key": "ward1920", "type": "primary", "title": "With the Die-Hards"}])
    problems = [p for p in validate(load(root)) if p.file == "story.csv"]
    assert [(p.row, p.field, p.value) for p in problems] == [("row 2", "source", "nobody1920")]


def with_strength(values):
    return [{**row, "strength_n": v} for row, v in zip(PRESENCE, values)]


@pytest.mark.parametrize("value", ["18,000", "-5", "about 500", "1.5"])
def test_strength_n_is_a_whole_number(tmp_path, value):
    raw = load(write_dataset(tmp_path / "data", presence=with_strength([value, "", ""])))
    problems = [p for p in validate(raw) if p.field == "strength_n"]
    assert [(p.file, p.row, p.value) for p in problems] == [("presence.csv", "row 2", value)]


def test_strength_sums_per_contingent_and_month(tmp_path):
    rows = with_strength(["3000", "", "800"]) + [
        {"id": "p-usa-more", "contingent": "usa", "where": "khabarovsk", "date": "1918-09/1918-10",
         "strength": "about 500", "note": "", "source": "test fixture", "strength_n": "500"}]
    ds = prepare(write_dataset(tmp_path / "data", presence=rows))
    usa, japan, britain = payload.build(ds)["strength"]
    months = ds.months
    assert japan is None  # no number in any Japanese record: no line, not zeros
    assert usa[months.index("1918-08")] == 3000
    assert usa[months.index("1918-09")] == 3500 and usa[months.index("1918-10")] == 3500
    assert usa[months.index("1918-11")] == 3000
    assert britain[months.index("1918-09")] is None and britain[months.index("1918-10")] == 800


def test_no_strength_column_no_chart(dataset):
    assert payload.build(prepare(dataset))["strength"] is None

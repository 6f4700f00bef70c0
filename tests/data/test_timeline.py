import pytest

from siberia_map.data import timeline


@pytest.mark.parametrize("text, first, last, label", [
    ("1918-08-03", "1918-08", "1918-08", "3 August 1918"),
    ("1918-08-15/1918-08-21", "1918-08", "1918-08", "15\u201321 August 1918"),
    ("1914-08-04/1914-08-04", "1914-08", "1914-08", "4 August 1914"),
    ("1918-08/1918-08", "1918-08", "1918-08", "August 1918"),
    ("1918-08-15/1918-09-02", "1918-08", "1918-09", "15 August \u2013 2 September 1918"),
    ("1919-22", "1919-06", "1919-08", "summer 1919"),
    ("1918-08~", "1918-08", "1918-08", "about August 1918"),
    ("1918-08?", "1918-08", "1918-08", "August 1918 (uncertain)"),
    ("1920", "1920-01", "1920-12", "1920"),
    ("1918-08/1922-10", "1918-08", "1922-10", "August 1918 \u2013 October 1922"),
    ("1919-12-28/1920-01-03", "1919-12", "1920-01", "28 December 1919 \u2013 3 January 1920"),
])
def test_parse_months_and_words(text, first, last, label):
    span = timeline.parse(text)
    assert timeline.month_key(span.first_month) == first
    assert timeline.month_key(span.last_month) == last
    assert span.label == label


def test_pre_1970_months_step_as_calendar_months():
    months = timeline.month_range(timeline.parse_month_key("1918-11"),
                                  timeline.parse_month_key("1919-02"))
    assert months == ["1918-11", "1918-12", "1919-01", "1919-02"]


@pytest.mark.parametrize("text, flags", [
    ("1918-08~", (True, False)), ("1918-08?", (False, True)), ("1918-08%", (True, True)),
    ("1918-08", (False, False)),
])
def test_qualifiers(text, flags):
    span = timeline.parse(text)
    assert (span.approximate, span.uncertain) == flags
    assert bool(span.qualifier_note) == any(flags)


@pytest.mark.parametrize("text, expected", [
    ("", "EDTF date"), ("1918-13", "valid EDTF"), ("August 1918", "valid EDTF"),
    ("1919-08/1918-01", "end is not before"), ("1918-08/..", "both ends"),
    ("1918-08/", "both ends"),
])
def test_bad_dates(text, expected):
    with pytest.raises(timeline.DateProblem, match=expected):
        timeline.parse(text)


def test_month_label():
    assert timeline.month_label(timeline.parse_month_key("1918-08")) == "August 1918"


@pytest.mark.parametrize("text, first, last, label", [
    ("1919-24", "1919-12", "1920-02", "winter 1919\u201320"),
    ("1919-24~", "1919-12", "1920-02", "about winter 1919\u201320"),
    ("1899-24", "1899-12", "1900-02", "winter 1899\u20131900"),
    ("1919-24/1920-05", "1919-12", "1920-05", "winter 1919\u201320 \u2013 May 1920"),
    ("1918-06/1919-24", "1918-06", "1920-02", "June 1918 \u2013 winter 1919\u201320"),
    ("1919-21", "1919-03", "1919-05", "spring 1919"),
    ("1919-23", "1919-09", "1919-11", "autumn 1919"),
])
def test_seasons_and_winter_across_the_new_year(text, first, last, label):
    span = timeline.parse(text)
    assert (timeline.month_key(span.first_month), timeline.month_key(span.last_month)) == (first, last)
    assert span.label == label


def test_winter_ends_on_the_last_day_of_february():
    assert timeline.parse("1919-24").last == (1920, 2, 29)
    assert timeline.parse("1920-24").last == (1921, 2, 28)


@pytest.mark.parametrize("months, expected", [
    ([], ""), (["1919-08"], "1919-08"),
    (["1919-08", "1919-09", "1919-10", "1920-01"], "1919-08 to 1919-10, 1920-01"),
    (["1919-12", "1920-01", "1919-11"], "1919-11 to 1920-01"),
])
def test_month_ranges(months, expected):
    assert timeline.month_ranges([timeline.parse_month_key(m) for m in months]) == expected


@pytest.mark.parametrize("note, date, expected", [
    ("Start date approximate.", "1918-08-15/1918-08-31", "start"),
    ("Start date approximate.", "1918-08-15~/1918-08-31", None),
    ("End approximate (evacuation).", "1919-01/1919-04", "end"),
    ("End approximate (evacuation).", "1919-01/1919-04%", None),
    ("Dates approximate", "1919-06/1919-07", "date"),
    ("Dates approximate", "1919-06~/1919-07", None),
    ("Month is approximate", "1918-09", "date"),
    ("Day approximate: the history gives the week", "1918-06-29~", None),
    ("About 5,000 men, approximately half of them sick", "1918-08", None),
    ("Semyonov's troops arrived about 1 September", "1918-08-25", None),
    ("", "1918-08", None),
])
def test_notes_that_call_the_date_approximate(note, date, expected):
    assert timeline.unmarked_approximation(note, date) == expected

"""Old Style (Julian) dates as the sources write them, and their New Style (Gregorian) dates.

A record's EDTF `date` is always Gregorian: it is what the month slider places. A source
that dates an event in the Old Style (Soviet Russia switched on 14 February 1918 NS = 1
February OS; Kolchak's government and the Whites in Siberia kept the Julian calendar) is
recorded with `calendar` = `julian` and `date_as_written`, the Julian date as the source
gives it. `check` makes sure `date` is the conversion of `date_as_written` (done by
`convertdate`), and `when` writes both: "14 June 1919 (1 June O.S.)".

What a partial Julian date means: a month is every day of that Julian month, so
`1919-06` (June O.S.) is 14 June to 13 July 1919 NS, and its `date` is the interval
`1919-06-14/1919-07-13` (it touches two months of the slider, as it should). A year is
likewise 14 January 1919 to 13 January 1920 NS. Seasons, unspecified digits (`191X`) and
sets have no days to convert and are refused in `date_as_written`; give the days or
months the source means.
"""

from __future__ import annotations

import re

from convertdate import julian

from . import timeline
from ..errors import Problem

GREGORIAN, JULIAN = "gregorian", "julian"
CALENDARS = (GREGORIAN, JULIAN)
# Tables whose rows may carry `calendar` and `date_as_written`.
COLUMNS = ("calendar", "date_as_written")
# One end of a convertible Julian date: a year, month or day, with a trailing qualifier.
# (Days are checked against Julian month lengths here: 29 February 1900 existed in the
# Julian calendar, not in the Gregorian one that `timeline.parse` checks.)
_END = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)$", re.ASCII)
_FORMS = ("a Julian day, month or year as the source writes it, or an interval of these "
          "(e.g. 1919-06-01, 1919-06, 1919-06-01/1919-06-07, 1919-06-01~); seasons and "
          "unspecified digits cannot be converted")


class CalendarProblem(ValueError):
    """`date_as_written` is not a Julian date that can be converted; the message says why."""


def calendar_of(row: dict) -> str:
    """The row's calendar, `gregorian` when the column is absent or empty."""
    return (row.get("calendar") or "").strip() or GREGORIAN


def to_gregorian(text: str) -> str:
    """The Gregorian EDTF date of the Julian EDTF date `text`: each end converted, a month
    or a year becoming the interval of its first and last day, qualifiers kept per end.
    '1919-06-01' -> '1919-06-14'; '1919-06' -> '1919-06-14/1919-07-13'."""
    parts = (text or "").strip().split("/")
    if len(parts) > 2:
        raise CalendarProblem(_FORMS)
    ends = [_julian_days(p) for p in parts]
    (first, _, q0), (_, last, q1) = ends[0], ends[-1]
    if last < first:
        raise CalendarProblem("an interval whose end is not before its start")
    start, end = _edtf(julian.to_gregorian(*first), q0), _edtf(julian.to_gregorian(*last), q1)
    return start if start == end else f"{start}/{end}"


def _julian_days(part: str):
    """(first day, last day, qualifier) meant by one Julian year, month or day."""
    match = _END.match(part)
    if not match:
        raise CalendarProblem(_FORMS)
    y, m, d, q = match.groups()
    year = int(y)
    if year < 1:
        raise CalendarProblem(_FORMS)
    if m is None:
        return (year, 1, 1), (year, 12, 31), q
    month = int(m)
    if not 1 <= month <= 12:
        raise CalendarProblem(_FORMS)
    days = julian.month_length(year, month)
    if d is None:
        return (year, month, 1), (year, month, days), q
    day = int(d)
    if not 1 <= day <= days:
        raise CalendarProblem(f"a day that existed in the Julian calendar "
                              f"({timeline.MONTH_NAMES[month - 1]} {year} O.S. had {days} days)")
    return (year, month, day), (year, month, day), q


def _edtf(ymd, qualifier: str) -> str:
    return f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}{qualifier}"


def check(table, problems: list[Problem]) -> None:
    """Problems of the rows' `calendar` and `date_as_written` in `table` (a load.Table or
    None): an unknown calendar, a Julian row without its date as written (or the reverse),
    a date as written that cannot be converted, and a `date` that is not its conversion."""
    if table is None or not any(c in table.columns for c in COLUMNS):
        return
    for i, row in enumerate(table.rows):
        where = table.where(i)
        cal = calendar_of(row)
        written = (row.get("date_as_written") or "").strip()
        if cal not in CALENDARS:
            problems.append(Problem(table.name, where, "calendar", row.get("calendar"),
                                    "gregorian (the default, may be left empty) or julian"))
            continue
        if cal == GREGORIAN:
            if written:
                problems.append(Problem(
                    table.name, where, "date_as_written", written,
                    "empty unless calendar is julian (a Gregorian row's date as written is "
                    "its `date`); set calendar to julian if the source dates it Old Style"))
            continue
        if not written:
            problems.append(Problem(table.name, where, "date_as_written", written,
                                    "the Julian (Old Style) date as the source writes it, "
                                    "since calendar is julian"))
            continue
        try:
            expected = to_gregorian(written)
        except CalendarProblem as exc:
            problems.append(Problem(table.name, where, "date_as_written", written, str(exc)))
            continue
        date = row.get("date", "")
        try:
            want = timeline.parse(expected)
        except timeline.DateProblem as exc:
            problems.append(Problem(table.name, where, "date_as_written", written, str(exc)))
            continue
        try:
            got = timeline.parse(date)
        except timeline.DateProblem:
            continue  # a `date` that cannot be read is already a problem of its own
        if (got.first, got.last, _qualifiers(date)) != (want.first, want.last,
                                                         _qualifiers(expected)):
            problems.append(Problem(
                table.name, where, "date", date,
                f"{expected} ({want.label}), the Gregorian date of date_as_written {written} "
                f"({timeline.label(written)} O.S., Julian)"))


def _qualifiers(text: str) -> tuple[str, str]:
    """The trailing qualifiers (`~ ? %` or '') of the first and last end of an EDTF date."""
    parts = (text or "").strip().split("/")
    ends = [p[-1] if p and p[-1] in "~?%" else "" for p in parts]
    return ends[0], ends[-1]


def when(label: str, row: dict) -> str:
    """The record's date in words, with the Old Style date after it for a Julian row:
    '14 June 1919 (1 June O.S.)'. The O.S. year is left out when both dates lie in the same
    single year, as in the sources ('7 January 1919 (25 December 1918 O.S.)' keeps it)."""
    written = (row.get("date_as_written") or "").strip()
    if calendar_of(row) != JULIAN or not written:
        return label
    # The qualifiers are said once, by the Gregorian label (`check` keeps them equal).
    old = timeline.label(written).replace(" (uncertain)", "")
    old = re.sub(r"\babout ", "", old)
    years = set(re.findall(r"\b\d{4}\b", old))
    if len(years) == 1 and years == set(re.findall(r"\b\d{4}\b", label)):
        old = re.sub(r"\s+" + next(iter(years)) + r"\b", "", old)
    return f"{label} ({old} O.S.)"

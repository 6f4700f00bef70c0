"""EDTF dates -> calendar-month indices and dates in words.

Time is sliced here, in Python, so the browser only compares small integers. A month is
`year * 12 + (month - 1)`: no epoch milliseconds, so 1918 sorts and steps like any year
(folium's TimestampedGeoJson sorts pre-1970 timestamps as text and shows one step).
A record belongs to every calendar month its interval touches, taken from the EDTF
strict bounds: `1919-22` (summer) is June to August, `1918-08~` is August.
"""

from __future__ import annotations

import calendar
import contextlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

from ..errors import Problem

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
# Northern-hemisphere seasons as (first month, last month); winter crosses the new year.
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}
# re.ASCII throughout: \d would also take other scripts' digits ("١٩١٨", "１９１８"), which
# the EDTF grammar does not.
_PART = re.compile(r"^(?P<y>-?\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[~?%])?$",
                   re.ASCII)
_KEY = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
# A plain year, month or day with an optional trailing qualifier: the common forms, whose
# strict bounds are read here directly. The `edtf` parser gives the same bounds but takes
# tens of milliseconds per string, which at 100,000 records is most of a build; anything
# else (seasons, unspecified digits, invalid days, level-2 forms) still goes through it.
_SIMPLE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[~?%]?$", re.ASCII)
# Every year-month-day written anywhere in an EDTF string, qualifiers (`?1919-02-29`,
# `1919-~02-29`) and unspecified digits (`19X9-02-29`) included: the `edtf` package checks
# none of these days against its month and year, so `_check_days` does.
_TRIPLE = re.compile(r"(?<![\dX])(?P<y>-?[\dX]{4,})[~?%]?-[~?%]?(?P<m>[\dX]{2})[~?%]?-"
                     r"[~?%]?(?P<d>[\dX]{2})(?![\dX])", re.ASCII)
# Years the map can place: the slider, the exports (GeoPackage dates, LPF) and the
# labels all count calendar months of the proleptic Gregorian years 1 to 9999.
MIN_YEAR, MAX_YEAR = 1, 9999
# An EDTF date longer than this is not a date; the `edtf` grammar is slow on long input.
MAX_LENGTH = 100
# Every character EDTF (levels 0-2) writes; anything else ("Aug 1918", "about 1918") is
# refused without the grammar, which takes tens of milliseconds to fail.
_EDTF_CHARS = re.compile(r"^[0-9XYESTZ:+\-/~?%\[\]{},.^]+$", re.ASCII)


@dataclass(frozen=True)
class Span:
    """What a date string means on the map."""

    edtf: str
    first: tuple[int, int, int]  # (year, month, day) of the earliest day meant
    last: tuple[int, int, int]
    label: str  # the date as written, in words
    approximate: bool
    uncertain: bool

    @property
    def first_month(self) -> int:
        return month_number(self.first[0], self.first[1])

    @property
    def last_month(self) -> int:
        return month_number(self.last[0], self.last[1])

    @property
    def qualifier_note(self) -> str:
        parts = []
        if self.approximate:
            parts.append("Date approximate")
        if self.uncertain:
            parts.append("Date uncertain")
        return "; ".join(parts)


class DateProblem(ValueError):
    """The string is not a date the map can place; the message says what was expected."""


def month_number(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def month_key(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def parse_month_key(key: str) -> int:
    """'1919-05' -> month number; DateProblem for anything else."""
    match = _KEY.match(key) if isinstance(key, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < MIN_YEAR:
        raise DateProblem("a month written YYYY-MM, e.g. 1919-05")
    return month_number(int(match.group(1)), int(match.group(2)))


def month_label(number: int) -> str:
    return f"{MONTH_NAMES[number % 12]} {number // 12}"


def month_range(first: int, last: int) -> list[str]:
    return [month_key(n) for n in range(first, last + 1)]


def month_ranges(months: list[int]) -> str:
    """[1919-08, 1919-09, 1919-10, 1920-01] -> '1919-08 to 1919-10, 1920-01'."""
    out, run = [], []
    for m in sorted(set(months)):
        if run and m != run[-1] + 1:
            out.append(run)
            run = []
        run.append(m)
    if run:
        out.append(run)
    return ", ".join(month_key(r[0]) if len(r) == 1 else
                     f"{month_key(r[0])} to {month_key(r[-1])}" for r in out)


# Notes that say the record's own date is approximate. Narrow on purpose: "about 5,000 men"
# or "Semyonov arrived about 1 September" describe something else and are not matched.
_APPROX_NOTE = (
    ("start", re.compile(r"\b(?:start|beginning)(?: date)?(?: is)? approximate\b", re.I)),
    ("end", re.compile(r"\bend(?: date)?(?: is)? approximate\b", re.I)),
    ("date", re.compile(r"\b(?:dates?|days?|month|year)(?: (?:is|are))? approximate\b", re.I)),
)


@lru_cache(maxsize=1 << 14)
def unmarked_approximation(note: str, text: str) -> str | None:
    """Which part of the date a note calls approximate while the EDTF does not mark it with
    `~` or `%` ("start", "end" or "date"), else None. Cached: records repeat their notes."""
    parts = (text or "").split("/")
    marked = {"start": parts[0], "end": parts[-1], "date": text or ""}
    for which, pattern in _APPROX_NOTE:
        if pattern.search(note or "") and not any(q in marked[which] for q in "~%"):
            return which
    return None


def parse(text: str) -> Span:
    """Parse an EDTF string into a `Span`; DateProblem says why it cannot be placed."""
    return _parse((text or "").strip())


@lru_cache(maxsize=1 << 17)
def _parse(text: str) -> Span:
    # Cached: a large chronology repeats its dates, and `Span` is immutable. Room for
    # 131,072 dates: a million synthetic records hold 90,084 distinct ones, and with room for
    # 65,536 the cache turned over and parsed 256,532 times instead of 90,084 (a few MB).
    if not text:
        raise DateProblem("an EDTF date, e.g. 1918-08-03 or 1918-08-15/1918-08-21")
    if len(text) > MAX_LENGTH:
        raise DateProblem(f"an EDTF date of at most {MAX_LENGTH} characters")
    if not text.isascii():
        raise DateProblem("an EDTF date in ASCII digits and signs, e.g. 1918-08-03 (this "
                          "holds other characters)")
    if text.endswith("/") or text.startswith("/") or ".." in text:
        raise DateProblem("an interval with both ends known (open or unknown ends cannot be "
                          "placed on the month slider)")
    bounds = _simple_bounds(text)
    if bounds is not None:
        first, last = bounds
    else:
        if not _EDTF_CHARS.match(text):
            raise DateProblem("a valid EDTF date (Library of Congress), e.g. 1918-08-03, "
                              "1918-08-15/1918-08-21, 1919-22 or 1918-08~")
        _check_days(text)
        first, last = _edtf_bounds(text)
    if first[0] < MIN_YEAR or last[0] > MAX_YEAR:
        raise DateProblem(f"a date in the years {MIN_YEAR} to {MAX_YEAR} (the month slider "
                          "and the exports count calendar months of those years)")
    if last < first:
        raise DateProblem("an interval whose end is not before its start")
    return Span(text, first, last, label(text), any(c in text for c in "~%"),
                any(c in text for c in "?%"))


def _edtf_bounds(text: str):
    """Strict (first, last) days from the `edtf` parser, which prints to stdout when it
    fails on some forms ("trying to PartialUnspecified..."): its output is swallowed so
    that only this program's problem list reaches the user."""
    quiet = io.StringIO()
    try:
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            parsed = parse_edtf(text)
            lower, upper = parsed.lower_strict(), parsed.upper_strict()
        first, last = _real_day(tuple(lower[:3])), _real_day(tuple(upper[:3]))
    except (EDTFParseException, Exception) as exc:  # the grammar raises many kinds
        raise DateProblem("a valid EDTF date (Library of Congress), e.g. 1918-08-03, "
                          "1918-08-15/1918-08-21, 1919-22 or 1918-08~") from exc
    return first, last


def _real_day(ymd: tuple) -> tuple[int, int, int]:
    """`ymd` as a day that exists: the bounds of an unspecified date (`1919-XX-31`) are
    taken digit by digit and can name a day its month lacks (31 January to 31 December)."""
    year, month, day = (int(v) for v in ymd)
    if not 1 <= month <= 12:
        raise DateProblem("a valid EDTF date (Library of Congress), e.g. 1918-08-03, "
                          "1918-08-15/1918-08-21, 1919-22 or 1918-08~")
    days = calendar.monthrange(year, month)[1] if MIN_YEAR <= year <= MAX_YEAR else 31
    return year, month, min(max(day, 1), days)


def _check_days(text: str) -> None:
    """DateProblem unless every day written in `text` exists in its month and year (with
    unspecified digits: in at least one month and year they stand for)."""
    for match in _TRIPLE.finditer(text):
        y, m, d = match.group("y", "m", "d")
        if not _day_exists(y, m, d):
            raise DateProblem(_no_such_day(y, m, d))


def _fits(pattern: str, value: int) -> bool:
    digits = f"{value:0{len(pattern)}d}"
    return len(digits) == len(pattern) and all(p in ("X", c) for p, c in zip(pattern, digits))


def _day_exists(y: str, m: str, d: str) -> bool:
    months = [mo for mo in range(1, 13) if _fits(m, mo)]
    if not months:
        return True  # a season or no month at all: the edtf grammar refuses those days
    days = [da for da in range(1, 32) if _fits(d, da)]
    sign, digits = (-1, y[1:]) if y.startswith("-") else (1, y)
    if "X" in digits:
        leap = len(digits) > 4 or any(calendar.isleap(sign * v) for v in range(10 ** 4)
                                      if _fits(digits, v))
    else:
        leap = calendar.isleap(sign * int(digits))
    for mo in months:
        most = 29 if mo == 2 and leap else 28 if mo == 2 else calendar.monthrange(2001, mo)[1]
        if any(da <= most for da in days):
            return True
    return False


def _no_such_day(y: str, m: str, d: str) -> str:
    if "X" in y + m + d:
        return (f"a day that exists in its month and year ({y}-{m}-{d} matches no day of "
                "the calendar)")
    year, month = int(y), int(m)
    if not 1 <= month <= 12:
        return "a valid EDTF date (Library of Congress), e.g. 1918-08-03 or 1918-08~"
    days = calendar.monthrange(year, month)[1] if MIN_YEAR <= year <= MAX_YEAR else 31
    return (f"a day that exists: {MONTH_NAMES[month - 1]} {year} has days 1 to {days}, "
            f"not {d}")


def interval_months(problems: list[Problem], file: str, where: str, text: str,
                    expected: str) -> tuple[int, int] | None:
    """(first, last) month of the `date` cell of a table whose dates must be written as an
    interval with both ends (control rows, gap rows); else None, and the problem (`expected`
    when it is no interval) named by file, row and field in `problems`."""
    try:
        if "/" not in (text or ""):
            raise DateProblem(expected)
        s = parse(text)
    except DateProblem as exc:
        problems.append(Problem(file, where, "date", text, str(exc)))
        return None
    return s.first_month, s.last_month


def _simple_bounds(text: str):
    """Strict (first, last) days of a date or interval of plain dates, else None."""
    parts = text.split("/")
    if len(parts) > 2:
        return None
    ends = [_simple_part(p) for p in parts]
    if None in ends:
        return None
    return ends[0][0], ends[-1][1]


def _simple_part(part: str):
    match = _SIMPLE.match(part)
    if not match:
        return None
    y, m, d = match.groups()
    year = int(y)
    if year < 1:
        return None
    if m is None:
        return (year, 1, 1), (year, 12, 31)
    month = int(m)
    if month in SEASON_MONTHS and d is None:
        return _season_bounds(year, month)
    if not 1 <= month <= 12:
        return None  # other seasons (25-41) and invalid months: the edtf parser decides
    days = calendar.monthrange(year, month)[1]
    if d is None:
        return (year, month, 1), (year, month, days)
    day = int(d)
    if not 1 <= day <= days:
        raise DateProblem(_no_such_day(y, m, d))
    return (year, month, day), (year, month, day)


def _season_bounds(year: int, season: int):
    # edtf 5.0.2 reads winter (24) as December of its year alone (Season.upper_strict uses
    # SEASON_L2_MONTHS_RANGE[24] == [12, 12]); a winter runs December to February here.
    first, last = SEASON_MONTHS[season]
    end_year = year + (1 if last < first else 0)
    return (year, first, 1), (end_year, last, calendar.monthrange(end_year, last)[1])


def label(text: str) -> str:
    """The date in words as written: '15–21 August 1918', 'summer 1919', 'about August 1918'."""
    if "/" in text:
        start, end = (_words(p) for p in text.split("/", 1))
        if start and end:
            return _join_interval(start, end)
    words = _words(text)
    return _render(words) if words else text


def _words(part: str):
    """Split one EDTF date into (qualifier, day, month, year, season) or None if exotic."""
    match = _PART.match(part)
    if match:
        y, m, d, q = match.group("y"), match.group("m"), match.group("d"), match.group("q")
        month = int(m) if m else None
        if month and month in SEASONS:
            return (q, None, None, int(y), SEASONS[month])
        if month and not 1 <= month <= 12:
            return None
        return (q, int(d) if d else None, month, int(y), None)
    return None


def _render(w, with_year: bool = True, with_month: bool = True) -> str:
    q, day, month, year, season = w
    if season == "winter":
        nxt = str(year + 1)
        core = f"winter {year}\u2013{nxt[2:] if nxt[:2] == str(year)[:2] else nxt}"
    elif season:
        core = f"{season} {year}"
    else:
        bits = []
        if day:
            bits.append(str(day))
        if month and with_month:
            bits.append(MONTH_NAMES[month - 1])
        if with_year:
            bits.append(str(year))
        core = " ".join(bits)
    if q in ("~", "%"):
        core = "about " + core
    if q in ("?", "%"):
        core += " (uncertain)"
    return core


def _join_interval(a, b) -> str:
    if a == b:  # "1914-08-04/1914-08-04": one day (or month), said once
        return _render(a)
    plain = not a[0] and not b[0] and not a[4] and not b[4]
    if plain and a[3] == b[3] and a[2] and a[2] == b[2] and a[1] and b[1]:
        return f"{a[1]}\u2013{b[1]} {MONTH_NAMES[a[2] - 1]} {a[3]}"
    if plain and a[3] == b[3] and a[2] and b[2]:
        return f"{_render(a, with_year=False)} \u2013 {_render(b)}"
    return f"{_render(a)} \u2013 {_render(b)}"

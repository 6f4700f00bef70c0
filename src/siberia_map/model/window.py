"""Windows of time: a month, a range of months or everything up to a month, as the map's
reader chooses them (`#1919-06`, `#1919-06..1919-08`, `#..1919-08`), for the commands.

`parse` reads an option's value into a pair of month numbers on the data set's slider;
`limit` gives the `Dataset` of what the reader sees in that window: the records, journeys
and holds shown in any of its months (each once, its dates as they are; `within`), the
places and railways whole, and the window itself in `Dataset.window`.
"""

from __future__ import annotations

import dataclasses

from ..data import timeline
from ..errors import ArgumentError

SEP = ".."


def parse(option: str, text: str, first: int, last: int, window: bool = True) -> tuple[int, int]:
    """`option`'s value -> (first month number, last month number), both on the slider
    `first`..`last`.

    `--month` takes one month, `YYYY-MM`; `--window` (`window=True`) also `A..B` (a range)
    and `..B` (everything up to B, from the slider's first month). ArgumentError naming the
    option and the value otherwise."""
    text = text.strip()
    want = "a month YYYY-MM, a range YYYY-MM..YYYY-MM or ..YYYY-MM (up to a month)" \
        if window else "a month YYYY-MM"
    if SEP in text and window:
        a, _, b = text.partition(SEP)
        start = _month(option, text, a, first, last, want) if a else first
        end = _month(option, text, b, first, last, want)
        if start > end:
            raise ArgumentError(f"{option} {text!r}: the window ends before it begins "
                                f"({timeline.month_key(end)} is before {timeline.month_key(start)})")
        return start, end
    m = _month(option, text, text, first, last, want)
    return m, m


def _month(option, text, part, first, last, want) -> int:
    try:
        m = timeline.parse_month_key(part)
    except timeline.DateProblem:
        raise ArgumentError(f"{option} {text!r}: expected {want}") from None
    if not first <= m <= last:
        raise ArgumentError(f"{option} {text!r}: {part} is not a month of this data set (it "
                            f"runs from {timeline.month_key(first)} to {timeline.month_key(last)})")
    return m


def within(frame, window: tuple[int, int] | None):
    """The rows of a frame with month columns `m0`, `m1` that show in the window (all of
    them without one)."""
    if window is None or not len(frame):
        return frame
    start, end = window
    return frame[(frame["m0"] <= end) & (frame["m1"] >= start)]


def limit(ds, start: int, end: int):
    """The `Dataset` a reader sees in the months `start`..`end`: the events, presence
    records, journeys and holds shown in any of them (`within`), the window in
    `Dataset.window`."""
    window = (start, end)
    return dataclasses.replace(ds, events=within(ds.events, window),
                               presence=within(ds.presence, window),
                               movements=within(ds.movements, window),
                               control=within(ds.control, window), window=window)


def describe(start: int, end: int) -> str:
    """The window in words for a command's output: "June 1919", "June 1919 to August 1919"."""
    if start == end:
        return timeline.month_label(start)
    return f"{timeline.month_label(start)} to {timeline.month_label(end)}"

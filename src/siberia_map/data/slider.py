"""The month slider's range, and the one value that makes it wrong.

`dataset.json` may set `first_month` and `last_month`; without them the records set the
range. Either way one wrong value can make every month-by-month check fail (control
coverage, gaps, story months) with hundreds of problems, none naming it. So the range is
judged first, and what is wrong with it is reported once, as the cause (listed before
everything else), and the later checks use a range that is right:

- `first_month` after `last_month`, or a range of more than `MAX_SET_MONTHS`;
- a set range most records fall outside (the range is wrong, not the records);
- without a set end, a record whose date stretches the range beyond `MAX_MONTHS` (50 years)
  from the others (`9999-12` typed for `1919-12`): named, and left off the slider.
"""

from __future__ import annotations

import bisect

from . import movements, timeline
from ..errors import Problem


def _slider_span(raw, problems):
    span = []
    for key in ("first_month", "last_month"):
        value = raw.meta.get(key) if isinstance(raw.meta, dict) else None
        if value is None:
            span.append(None)
            continue
        try:
            span.append(timeline.parse_month_key(value))
        except timeline.DateProblem as exc:
            problems.append(Problem("dataset.json", "", key, value, str(exc), cause=True))
            span.append(None)
    return span


# The most months a slider may hold when the records alone set it (50 years): one date
# typed wrong (`9999-12`, `1198-08`) would otherwise stretch it over centuries and make
# every month-by-month check fail, none naming that date. A data set that really spans
# more says so with first_month/last_month, up to MAX_SET_MONTHS.
MAX_MONTHS = 50 * 12
MAX_SET_MONTHS = 200 * 12
# Records outside the months dataset.json sets are named one by one up to this many.
MAX_OUTSIDE = 20


def slider_range(raw, dated, problems):
    """(span, slider): the months dataset.json sets (each None if unset or unusable) and
    the slider's (first, last) month, every record's date checked against them.

    A wrong range is reported once, as the cause, and the records are then checked against
    the range they make themselves, so its consequences are not listed one by one; so is a
    record whose date would stretch a range the records set beyond MAX_MONTHS."""
    span = _slider_span(raw, problems)
    dated = dated + _movement_dates(raw)
    first, last = span
    if first is not None and last is not None:
        keys = f"{raw.meta['first_month']} to {raw.meta['last_month']}"
        if first > last:
            problems.append(Problem("dataset.json", "", "first_month..last_month", keys,
                                    "a first_month no later than last_month", cause=True))
            span = [None, None]
        elif last - first + 1 > MAX_SET_MONTHS:
            problems.append(Problem("dataset.json", "", "first_month..last_month", keys,
                                    f"a range of at most {MAX_SET_MONTHS:,} months "
                                    f"({MAX_SET_MONTHS // 12} years); this one holds "
                                    f"{last - first + 1:,}", cause=True))
            span = [None, None]
    first, last = span
    outside = [d for d in dated if (first is not None and d[3] < first)
               or (last is not None and d[4] > last)]
    named = [d for d in outside if d[0] != movements.MOVEMENTS]  # movements.check names its own
    for name, where, date, _, _ in named[:MAX_OUTSIDE]:
        problems.append(Problem(name, where, "date", date, "a date inside the data set's "
                                f"months ({_key(first)} to {_key(last)}, dataset.json)"))
    if len(named) > MAX_OUTSIDE:
        problems.append(Problem(named[0][0], "", "date", f"{len(named) - MAX_OUTSIDE:,} more",
                                "dates inside the data set's months "
                                f"({_key(first)} to {_key(last)}, dataset.json)"))
    if dated and len(outside) * 2 > len(dated):
        # Most records outside: the range is what is wrong, and the month-by-month checks
        # use the records' own range instead of failing in every month.
        lo, hi = min(d[3] for d in dated), max(d[4] for d in dated)
        field = "first_month" if first is not None and lo < first else "last_month"
        problems.append(Problem("dataset.json", "", field, raw.meta.get(field),
                                f"a month that holds the records: {len(outside):,} of "
                                f"{len(dated):,} dated records fall outside "
                                f"{_key(first)} to {_key(last)} (they run "
                                f"{timeline.month_key(lo)} to {timeline.month_key(hi)})",
                                cause=True))
        span = [None, None]
        first = last = None
    inside = [d for d in dated if not ((first is not None and d[3] < first)
                                       or (last is not None and d[4] > last))]
    if not inside:
        return span, (first, last)
    lo = first if first is not None else min(d[3] for d in inside)
    hi = last if last is not None else max(d[4] for d in inside)
    if hi - lo + 1 <= MAX_MONTHS or (first is not None and last is not None):
        return span, (lo, hi)
    keep, far = _window(inside, first, last)
    rest = [d for d in inside if keep[0] <= d[3] and d[4] <= keep[1]]
    if rest:
        keep = (min(d[3] for d in rest), max(d[4] for d in rest))
    shown = far[:MAX_OUTSIDE]
    for name, where, date, m0, m1 in shown:
        problems.append(Problem(name, where, "date", date, "a date within "
                                f"{MAX_MONTHS // 12} years of the other records "
                                f"({_key(keep[0])} to {_key(keep[1])} hold most of them); this "
                                f"one stretches the slider to {_key(m0 if m0 < keep[0] else m1)}"
                                " (if the data set really spans more, set first_month and "
                                "last_month in dataset.json)", cause=True))
    if len(far) > len(shown):
        problems.append(Problem(far[0][0], "", "date", f"{len(far) - len(shown):,} more",
                                f"dates within {MAX_MONTHS // 12} years of the other records "
                                f"({_key(keep[0])} to {_key(keep[1])})", cause=True))
    return span, (first if first is not None else keep[0], last if last is not None else keep[1])


def _key(month) -> str:
    return timeline.month_key(month) if month is not None else "\u2026"


def _movement_dates(raw) -> list[tuple[str, str, str, int, int]]:
    """Dated movements: they are on the slider too (join counts their months)."""
    out = []
    table = raw.movements
    for i, row in enumerate(table.rows if table is not None else []):
        try:
            s = timeline.parse(row.get("date", ""))
        except timeline.DateProblem:
            continue
        out.append((table.name, table.where(i), row.get("date", ""), s.first_month,
                    s.last_month))
    return out


def _window(dated, first, last):
    """((lo, hi), far): the MAX_MONTHS-month window (starting at `first` or ending at
    `last` when dataset.json sets one) that holds the most records whole, and the records
    outside it. A record longer than the window is outside every window."""
    short = sorted(d for d in dated if d[4] - d[3] < MAX_MONTHS)
    starts = sorted(d[3] for d in short)
    ends = sorted(d[4] for d in short)
    if first is not None:
        candidates = [first]
    elif last is not None:
        candidates = [last - MAX_MONTHS + 1]
    else:
        candidates = sorted(set(starts)) or [min(d[3] for d in dated)]
    # Records shorter than the window that end inside it, minus those that start before it
    # (which, being short, also end before its end): the records it holds whole.
    best = max(candidates, key=lambda a: (bisect.bisect_right(ends, a + MAX_MONTHS - 1)
                                          - bisect.bisect_left(starts, a), -a))
    keep = (best, best + MAX_MONTHS - 1)
    far = [d for d in dated if not (keep[0] <= d[3] and d[4] <= keep[1])]
    return keep, far

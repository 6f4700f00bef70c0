"""Dated exceptions: why a record stands, in some months, where the other camp held the place.

A record's `control` column (events.csv, presence.csv, movements.csv) lists its exceptions as
`kind@date`, separated by `;`:

    evacuation@1920-01/1920-02-07
    raid@1919-12-05
    captivity@1920-01-15/1920-03; transit@1920-04

Each exception covers only the calendar months its own EDTF date touches, and that date must
lie inside the record's. A kind with no date covers nothing: a tag never excuses a record for
its whole interval by itself (issue 19), so a bare `evacuation` is refused with a hint. The
record's `note` says why. `contested` is not an exception: whether a place was fought over in a
month is the control chronology's to say (`contested=true` in control.csv, with a source), and
a contested month never conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import timeline
from ..schema import EXCEPTION_KINDS as KINDS
SEPARATOR = ";"
AT = "@"
FORMAT = "kind@date, e.g. evacuation@1920-01/1920-02-07 (several separated by ';')"


@dataclass(frozen=True)
class Exemption:
    """One dated exception: its kind and the months (inclusive) it covers."""

    kind: str
    first_month: int
    last_month: int
    text: str

    def covers(self, month: int) -> bool:
        return self.first_month <= month <= self.last_month


def parse(text: str, record: timeline.Span | None,
          record_date: str = "") -> tuple[list[Exemption], list[tuple[str, str]]]:
    """The exemptions of a `control` value, and (value, expected) for each entry refused."""
    found: list[Exemption] = []
    refused: list[tuple[str, str]] = []
    for entry in (p.strip() for p in (text or "").split(SEPARATOR)):
        if not entry:
            continue
        kind, at, date = (p.strip() for p in entry.partition(AT))
        if kind == "contested":
            refused.append((entry, "not an exception: a month in which the place was fought "
                                   "over is marked contested=true in control.csv (with a "
                                   "source); otherwise name a dated exception " + FORMAT))
            continue
        if kind not in KINDS:
            refused.append((entry, f"{FORMAT}; kind one of {' | '.join(KINDS)}"))
            continue
        if not at:
            refused.append((entry, f"a dated exception {kind}@<EDTF date> (e.g. "
                                   f"{kind}@1920-01/1920-02): a tag never covers a record's "
                                   "whole interval by itself; give the months it covers"))
            continue
        try:
            span = timeline.parse(date)
        except timeline.DateProblem as exc:
            refused.append((entry, f"{kind}@<EDTF date>: {exc}"))
            continue
        if record is not None and (span.first < record.first or span.last > record.last):
            refused.append((entry, f"an exception dated inside the record's own date "
                                   f"{record_date!r}"))
            continue
        found.append(Exemption(kind, span.first_month, span.last_month, entry))
    return found, refused


def covering(exemptions: list[Exemption], month: int) -> Exemption | None:
    """The first exemption covering `month`, or None."""
    for e in exemptions:
        if e.covers(month):
            return e
    return None

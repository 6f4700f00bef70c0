"""Problems found in a data set, and the exception that carries all of them at once.

A historian fixing a spreadsheet wants every mistake in one run, each pointing at the file,
the row or feature, the field and the offending value, so stages collect `Problem`s instead
of stopping at the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What a terminal would act on instead of showing: C0/C1 controls, DEL, the bidirectional
# overrides that reorder a line, and lone surrogates (undecodable bytes in a file name).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")


def escape(text: object) -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\n`, `\\u202e`)."""
    return _UNSAFE.sub(_escaped, str(text))


def escape_lines(text: object) -> str:
    """Like `escape`, but keeps the line breaks of multi-line output."""
    return "\n".join(escape(line) for line in str(text).split("\n"))


def _escaped(m: re.Match) -> str:
    ch = m.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if ch in named:
        return named[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data set.

    `file` is the file name relative to the data directory, `row` says where in it
    ("row 5" for a CSV line, "feature 3 (id=omsk)" for GeoJSON, "" for the whole file),
    `field` the column or property, `value` what was found and `expected` what was wanted.
    """

    file: str
    row: str
    field: str
    value: object
    expected: str
    severity: str = "error"
    # The one wrong value that many other problems follow from (an impossible slider
    # range, a date that stretches it): listed before everything else.
    cause: bool = False

    def __str__(self) -> str:
        where = self.file + (f", {self.row}" if self.row else "")
        value = _short(self.value)
        what = f"{self.field}={value}" if self.field else value
        return escape(f"{where}: {what}: {self.expected}")


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ArgumentError(ValueError):
    """A command-line value the command cannot use; printed as one line, exit status 2."""


class DataError(Exception):
    """Raised with every problem a stage found; the CLI prints them and exits with 2."""

    def __init__(self, problems: list[Problem]):
        unique = {str(p): p for p in problems}
        self.problems = sorted(unique.values(), key=_order)
        super().__init__(f"{len(self.problems)} problem(s) in the data set")

    def __str__(self) -> str:
        return "\n".join(capped(self.problems))


# A generator gone wrong can repeat one mistake a million times; past this many, problems
# are counted by kind instead of printed one by one.
MAX_LISTED = 1000


def capped(problems: list[Problem], limit: int = MAX_LISTED) -> list[str]:
    """One line per problem for the first `limit`, then one line per kind of the rest
    (file, field and what was expected) with how many there are."""
    lines = [str(p) for p in problems[:limit]]
    rest = problems[limit:]
    if rest:
        kinds: dict[str, int] = {}
        for p in rest:
            kind = f"{p.file}: {p.field or 'value'}: {p.expected.split(' (')[0]}"
            kinds[kind] = kinds.get(kind, 0) + 1
        lines.append(f"... and {len(rest):,} more problem(s), not listed one by one:")
        lines += [escape(f"  {n:,} x {kind}") for kind, n in
                  sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:100]]
        if len(kinds) > 100:
            lines.append(f"  ... and {len(kinds) - 100:,} other kinds")
    return lines


def _order(p: Problem) -> tuple:
    # Row numbers sort numerically so "row 10" follows "row 9".
    digits = "".join(ch for ch in p.row.split(" (")[0] if ch.isdigit())
    return (not p.cause, p.file, int(digits) if digits else -1, p.row, p.field, str(p.value))

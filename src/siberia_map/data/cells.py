"""CSV lines read with a bound, and text that must be text.

`Lines` feeds `csv.reader` one line at a time, each read at most `strict.MAX_LINE` bytes
far, so a line of hundreds of megabytes is refused after a few megabytes instead of being
read whole; `long_field` names the column that made it too long. `text_problem` is the rule
for every CSV cell and JSON string: no control character (NUL and the like; tab and line
breaks are fine), and, when not empty, at least one character that is drawn (a value of
zero-width spaces or joiners alone looks empty on the map but is not).
"""

from __future__ import annotations

import re
import unicodedata

from . import strict
from ..errors import Problem


class Lines:
    """The lines of a UTF-8 CSV file for `csv.reader`, each read at most `strict.MAX_LINE`
    bytes far: a longer line stops the reading there (`too_long` holds its number and its
    first bytes), as does a line that is not UTF-8 (`undecodable`). `dirty` says whether a
    line read since it was last cleared holds anything but printable ASCII, so the text
    checks look only at the records that can fail them."""

    def __init__(self, fh):
        self.fh, self.number, self.dirty = fh, 0, False
        self.too_long: tuple[int, bytes] | None = None
        self.undecodable: tuple[int, bytes] | None = None
        self.blank = True  # nothing but white space so far
        self.controls = False  # whether a line read since `dirty` was cleared has C0 controls

    def __iter__(self):
        return self._lines()

    def _lines(self):
        # A generator, with the look-ups bound once: this runs for every line of 256 MB.
        readline, control = self.fh.readline, _CONTROL_BYTES.search
        while True:
            raw = readline(strict.MAX_LINE + 1)
            if not raw:
                return
            self.number += 1
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # the byte-order mark spreadsheet programs write
            if len(raw) > strict.MAX_LINE and not raw.endswith(b"\n"):
                self.too_long = (self.number, raw)
                return
            if control(raw):
                self.dirty = self.controls = True
            elif not raw.isascii():
                self.dirty = True  # C1 controls are not ASCII: the cells' check finds them
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.undecodable = (self.number, raw[exc.start:exc.start + 4])
                return
            if self.blank and line.strip():
                self.blank = False
            yield line

    def rest_is_blank(self) -> bool:
        """Whether the file holds only white space from here on (read in small pieces)."""
        while True:
            chunk = self.fh.read(1 << 16)
            if not chunk:
                return True
            if chunk.strip():
                return False


def long_field(prefix: bytes, header: list[str]) -> tuple[str, int]:
    """(column, characters) of the field that makes a line too long, from its first
    strict.MAX_LINE bytes: the first field over strict.MAX_FIELD, else the one the line stops in."""
    text = prefix.decode("utf-8", "replace")
    fields, start, quoted = [], 0, False
    for m in re.finditer('[",]', text):  # only the quotes and commas, at C speed between
        if m.group() == '"':
            quoted = not quoted
        elif not quoted:
            fields.append(m.start() - start)
            start = m.start() + 1
    fields.append(len(text) - start)
    k = next((j for j, n in enumerate(fields) if n > strict.MAX_FIELD), len(fields) - 1)
    return (header[k] if k < len(header) else f"column {k + 1}"), fields[k]


# ------------------------------------------------------------------ text
# C0 and C1 control characters other than tab, line feed and carriage return: never text
# (a NUL ends a string in C readers, others reorder or hide what a terminal shows).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that draw nothing: spaces, format characters (zero-width space and joiners,
# the byte-order mark, bidirectional marks, soft hyphen), controls, lone combining marks.
_UNSEEN = frozenset(("Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Mn", "Me"))
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")


# How `text_problem`'s problems begin: a problem of one cell, not of the whole file.
TEXT_EXPECTED = ("text without control characters", "visible text or an empty value")


def visible(text: str) -> bool:
    """Whether `text` has at least one character that is drawn."""
    return any(ch not in _BLANK and unicodedata.category(ch) not in _UNSEEN for ch in text)


def text_problem(text: str) -> tuple[str, str] | None:
    """(value shown, expected) if `text` is not text a reader can see, else None."""
    bad = _CONTROL.search(text)
    if bad:
        return (text[:60], f"text without control characters (this has "
                f"U+{ord(bad.group()):04X}{' (NUL)' if bad.group() == chr(0) else ''})")
    if text and not text.isascii() and not visible(text):
        return (text[:60], "visible text or an empty value (this holds only characters that "
                "draw nothing, such as zero-width spaces)")
    return None


def check_record_text(name: str, line: int, header: list[str], record: list[str],
                      problems: list[Problem], controls: bool = True) -> None:
    """Problems of the cells that are not text; `controls` False: the record's lines hold
    no C0 control byte, so only its non-ASCII cells need a look."""
    for i, cell in enumerate(record):
        if not controls and cell.isascii():
            continue
        found = text_problem(cell.strip()) if len(cell) <= strict.MAX_FIELD else None
        if found:
            column = header[i] if i < len(header) else f"column {i + 1}"
            problems.append(Problem(name, f"row {line}", column, *found))


def check_json_text(name: str, row: str, obj, problems: list[Problem], field: str = "",
                    depth: int = 0) -> None:
    """Every string in `obj` (properties of a feature, dataset.json) is text a reader sees."""
    if depth > strict.MAX_DEPTH:
        return
    if isinstance(obj, str):
        found = text_problem(obj.strip())
        if found:
            problems.append(Problem(name, row, field, *found))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            check_json_text(name, row, v, problems, strict._join(field, k), depth + 1)
    elif isinstance(obj, list):
        for k, v in enumerate(obj):
            check_json_text(name, row, v, problems, strict._join(field, k), depth + 1)

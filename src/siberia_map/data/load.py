"""Read a data set directory as it is, without judging it.

Loaders only read: every value stays a string (CSV) or the parsed JSON (GeoJSON) so that
`validate` can name the exact row and value that is wrong. Problems that stop a file being
read at all (missing, not UTF-8, not JSON, wrong delimiter) are collected for every file
before `DataError` is raised, so one run reports them all; `read` returns them with what
could be read, so `prepare` can check the other files in the same run. What is not strict
RFC 8259 JSON / RFC 7946 GeoJSON / a plain CSV table is refused by `strict.py`.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import cells, strict
from ..errors import ArgumentError, DataError, Problem

# The file names and required columns are the schema's; imported here, where they are read.
from .schema import (AUTHORITIES, CONTINGENTS, CONTROL, DATASET, EVENTS, GAPS, MOVEMENTS,
                     OPTIONAL_COLUMNS, PLACES, PRESENCE, RAILWAYS, REQUIRED_COLUMNS, SOURCES,
                     STORY, line_at, row_at)

BASEMAP_DIR = "basemap"
BASEMAP_LAYERS = ("land", "lakes", "rivers", "borders")

# A guard against a mistaken path (a disk image, a log) exhausting the machine, sized to what
# a build can hold: a million events (`synth 1000000`, about 460 MB of events.csv) build in
# under 4 GB of memory. SIBERIA_MAP_MAX_FILE_MIB raises or lowers it for one run.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_FILE_ENV = "SIBERIA_MAP_MAX_FILE_MIB"
MIB = 1024 * 1024
# The csv module's own limit (128 KiB) fails without naming the column; fields are instead
# measured against strict.MAX_FIELD (1 MiB), so a problem can name the row and column.
csv.field_size_limit(strict.MAX_LINE)  # a quoted field over many lines stops there too


@dataclass
class Table:
    """A CSV file: `rows` are dicts of strings; `lines[i]` is the file line of `rows[i]`."""

    name: str
    columns: list[str]
    rows: list[dict[str, str]]
    lines: list[int]

    def where(self, i: int) -> str:
        return row_at(self.lines[i])


@dataclass
class FeatureFile:
    """A GeoJSON FeatureCollection: `features` are the parsed JSON objects, unchecked."""

    name: str
    features: list
    crs: object = None


@dataclass
class RawDataset:
    root: Path
    places: FeatureFile
    railways: FeatureFile
    contingents: Table
    events: Table
    presence: Table
    meta: dict = field(default_factory=dict)
    basemap: dict = field(default_factory=dict)
    # The optional tables; None when the file is absent.
    sources: Table | None = None
    authorities: Table | None = None
    control: Table | None = None
    gaps: Table | None = None
    movements: Table | None = None
    story: Table | None = None


def load(root: str | Path) -> RawDataset:
    """Read every file of the data set in `root`; raise `DataError` listing unreadable files."""
    raw, problems = read(root)
    if problems:
        raise DataError(problems)
    return raw


def read(root: str | Path) -> tuple[RawDataset, list[Problem]]:
    """Every file of `root` that can be read, and the problems of those that cannot (an
    unreadable file reads as empty, an unreadable optional table as absent)."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        bad = strict.file_problem(root, str(root))
        what = ("this is a regular file" if bad is None else "it does not exist"
                if "missing" in bad.expected else bad.expected.split("; ", 1)[-1])
        raise DataError([Problem(str(root), "", "", str(root), f"a data set directory; {what}")])
    places = _read_features(root, PLACES, problems)
    railways = _read_features(root, RAILWAYS, problems)
    tables = {name: _read_table(root, name, problems) for name in REQUIRED_COLUMNS}
    meta = (_read_json_object(root / DATASET, DATASET, problems) or {}
            if _present(root / DATASET) else {})
    basemap = _read_basemap(root, problems)
    optional = {name: _read_table(root, name, problems, OPTIONAL_COLUMNS[name])
                if _present(root / name) else None for name in OPTIONAL_COLUMNS}
    return RawDataset(root, places, railways, tables[CONTINGENTS], tables[EVENTS],
                      tables[PRESENCE], meta, basemap, optional[SOURCES],
                      optional[AUTHORITIES], optional[CONTROL], optional[GAPS],
                      optional[MOVEMENTS], optional[STORY]), problems


# What a check in another file needs from each file: when the file could not be read,
# problems with these fields elsewhere are consequences, not mistakes, and are left out.
NEEDED_BY = {PLACES: ("where", "from", "to"), RAILWAYS: ("where",),
             CONTINGENTS: ("contingent", "contingents"), AUTHORITIES: ("held_by",),
             SOURCES: ("source",)}


def set_aside_unreadable(raw: RawDataset, problems: list[Problem]) -> set[str]:
    """The files of `raw` that could not be read whole: empty, or with a problem of the
    file itself (not JSON, a broken header, CSV quoting) rather than of one feature or
    field. An optional table among them is treated as absent, so its checks are off."""
    row_level = (f"at most {strict.MAX_FIELD:,}", *cells.TEXT_EXPECTED)  # one cell's
    broken = {p.file for p in problems if not p.row.startswith("feature")
              and not p.expected.startswith(row_level)}
    failed = {p.file for p in problems}
    for name in (PLACES, RAILWAYS, CONTINGENTS, EVENTS, PRESENCE):
        part = getattr(raw, name.split(".")[0])
        if name in failed and not (part.features if name.endswith(".geojson") else part.columns):
            broken.add(name)  # nothing of it could be read (e.g. JSON refused as a whole)
    for name in OPTIONAL_COLUMNS:
        if name in broken:
            setattr(raw, name.split(".")[0], None)
    return broken


def consequence(problem: Problem, broken: set[str]) -> bool:
    """Whether `problem` (from another file) only follows from a file that could not be read."""
    return problem.file not in broken and any(
        problem.field in NEEDED_BY.get(name, ()) or name in problem.expected for name in broken)


def max_file_bytes() -> int:
    """The largest input file read: SIBERIA_MAP_MAX_FILE_MIB mebibytes when it is set, else
    MAX_FILE_BYTES. ArgumentError (exit status 2) for a value that is not a whole number of
    mebibytes from 1."""
    value = os.environ.get(MAX_FILE_ENV)
    if value is None or not value.strip():
        return MAX_FILE_BYTES
    if not value.strip().isdigit() or not value.strip().isascii() or int(value) < 1:
        raise ArgumentError(f"{MAX_FILE_ENV}={value!r}: the largest input file to read, a "
                            "whole number of mebibytes from 1 (e.g. 1024 for 1 GiB); unset it "
                            f"for the default, {MAX_FILE_BYTES // MIB:,} MiB")
    return int(value) * MIB


def limit_text(limit: int) -> str:
    """How a refused file names the limit and the way past it."""
    return (f"at most {limit:,} bytes, the loader's limit on one input file "
            f"({MAX_FILE_ENV}=<mebibytes> reads a larger one)")


def _present(path: Path) -> bool:
    # lexists: a dangling link or a loop in place of an optional file is reported, not skipped
    return os.path.lexists(path)


def _read_bytes(path: Path, name: str, problems: list[Problem]) -> bytes | None:
    # A directory, FIFO, loop or unreadable file is named as that, and nothing blocks.
    data = strict.read_regular(path, name, max_file_bytes(), problems, limit_text)
    if data is None:
        return None
    if not data.strip():
        problems.append(Problem(name, "", "", "", "the file is empty"))
        return None
    return data


def _decode(data: bytes, name: str, problems: list[Problem]) -> str | None:
    try:
        # utf-8-sig drops the byte-order mark that spreadsheet programs write.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        at = row_at(line) if name.endswith(".csv") else line_at(line)
        problems.append(Problem(name, at, "encoding", data[exc.start:exc.start + 4],
                                "UTF-8 text (re-save the file as UTF-8)"))
        return None


def _read_json_object(path: Path, name: str, problems: list[Problem]) -> dict | None:
    data = _read_bytes(path, name, problems)
    text = _decode(data, name, problems) if data is not None else None
    if text is None:
        return None
    obj = strict.loads(text, name, problems)
    if obj is None:
        return None
    if not isinstance(obj, dict):
        problems.append(Problem(name, "", "", type(obj).__name__, "a JSON object"))
        return None
    return obj


def _read_features(root: Path, name: str, problems: list[Problem]) -> FeatureFile:
    obj = _read_json_object(root / name, name, problems)
    if obj is None:
        return FeatureFile(name, [])
    if obj.get("type") != "FeatureCollection" or not isinstance(obj.get("features"), list):
        problems.append(Problem(name, "", "type", obj.get("type"),
                                "a GeoJSON FeatureCollection with a 'features' list"))
        return FeatureFile(name, [])
    strict.check_features(name, obj["features"], problems)
    return FeatureFile(name, obj["features"], obj.get("crs"))


def _read_table(root: Path, name: str, problems: list[Problem],
                required: tuple[str, ...] | None = None) -> Table:
    required = REQUIRED_COLUMNS[name] if required is None else required
    empty = Table(name, [], [], [])
    fh = strict.open_regular(root / name, name, max_file_bytes(), problems, limit_text)
    if fh is None:
        return empty
    with fh:
        # Streamed line by line, each line read at most strict.MAX_LINE bytes far: a line of
        # hundreds of megabytes is refused there, not read whole.
        lines = cells.Lines(fh)
        table = _parse_table(name, lines, required, problems)
        if table is None:
            problems.append(Problem(name, "", "", "", "the file is empty"))
            return empty
        if lines.too_long:
            number, prefix = lines.too_long
            column, size = cells.long_field(prefix, table.columns)
            problems.append(Problem(name, row_at(number), column, f"{size:,}+ characters",
                                    f"a field of at most {strict.MAX_FIELD:,} characters "
                                    f"(this line passes {strict.MAX_LINE:,} bytes; the rest "
                                    "of the file was not read)"))
        elif lines.undecodable:
            number, bad = lines.undecodable
            problems.append(Problem(name, row_at(number), "encoding", bad,
                                    "UTF-8 text (re-save the file as UTF-8)"))
    return table


def _parse_table(name: str, lines, required: tuple[str, ...], problems: list[Problem]
                 ) -> Table | None:
    """The table read from `lines`, or None if the file holds only white space."""
    empty = Table(name, [], [], [])
    # strict: an unclosed quote or text after a closing quote is an error, not a guess.
    reader = csv.reader(lines, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return None if not (lines.too_long or lines.undecodable) else empty
    except csv.Error as exc:
        problems.append(Problem(name, row_at(1), "header", str(exc), "a header row"))
        return empty
    if lines.blank and lines.rest_is_blank():
        return None
    if len(header) > strict.MAX_COLUMNS:
        problems.append(Problem(name, row_at(1), "header", f"{len(header):,} columns",
                                f"at most {strict.MAX_COLUMNS:,} columns"))
        return empty
    strict.check_header(name, header, problems)
    missing = [c for c in required if c not in header]
    if missing:
        first = ",".join(header)
        delim = next((d for d in (";", "\t", "|") if d in first), None)
        expected = (f"comma-separated columns; this header looks separated by {delim!r}"
                    if delim else f"the columns {', '.join(missing)}")
        problems.append(Problem(name, row_at(1), "header", first, expected))
        return empty
    rows, lines_of = [], []
    table = Table(name, header, rows, lines_of)
    start = reader.line_num + 1
    lines.dirty = False
    # Bound once: this loop runs for every row of a million-record table.
    width, max_field, strip = len(header), strict.MAX_FIELD, str.strip
    try:
        for record in reader:
            if max(map(len, record), default=0) > max_field:  # rare: named field by field
                strict.check_field_sizes(name, start, header, record, problems)
            if lines.dirty:  # only records with non-ASCII or control characters can fail
                cells.check_record_text(name, start, header, record, problems, lines.controls)
                lines.dirty = lines.controls = False
            stripped = list(map(strip, record))
            if any(stripped):
                if len(record) > width:
                    problems.append(Problem(name, row_at(start), "", ",".join(record)[:200],
                                            f"at most {width} columns as in the header"))
                if len(record) == width:  # the common case, at C speed
                    rows.append(dict(zip(header, stripped)))
                else:
                    rows.append({h: (stripped[i] if i < len(record) else "")
                                 for i, h in enumerate(header)})
                lines_of.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if not (lines.too_long or lines.undecodable):  # those are named by the caller
            problems.append(Problem(name, row_at(start), "", str(exc), "well-formed CSV"))
    return table


def _read_basemap(root: Path, problems: list[Problem]) -> dict:
    folder = root / BASEMAP_DIR
    if not folder.is_dir():
        return {}
    layers = {}
    for layer in BASEMAP_LAYERS:
        path = folder / f"{layer}.geojson"
        if _present(path):
            obj = _read_json_object(path, f"{BASEMAP_DIR}/{layer}.geojson", problems)
            if obj is not None:
                if isinstance(obj.get("features"), list):
                    strict.check_features(f"{BASEMAP_DIR}/{layer}.geojson", obj["features"],
                                          problems)
                layers[layer] = obj
    meta = folder / "_meta.json"
    if _present(meta):
        obj = _read_json_object(meta, f"{BASEMAP_DIR}/_meta.json", problems)
        if obj is not None:
            layers["_meta"] = obj
    return layers

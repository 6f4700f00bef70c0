"""Strict reading: only what RFC 8259 JSON, RFC 7946 GeoJSON and a plain CSV table allow.

`load.py` calls these small functions; each appends `Problem`s naming the file, the feature
or row and the field, and never raises for bad input.

- Files: an input that is a directory, a FIFO, a device, a symbolic-link loop, a dangling
  link or unreadable is reported as exactly that, and nothing is opened that could block
  (FIFOs are refused from `stat`, and files are opened non-blocking).
- JSON: `NaN`, `Infinity` and `-Infinity`, numbers that overflow to infinity (`1e400`),
  integers beyond +-2^53 (not exact in JavaScript and other JSON readers), lone UTF-16
  surrogates (`"\\ud800"`), duplicate keys in one object (RFC 8259 leaves them undefined;
  here they are an error, since which value wins differs between readers), and nesting
  deeper than `MAX_DEPTH` (64) levels are problems, each with the JSON path of the value.
- GeoJSON: positions are 2 or 3 finite numbers, a LineString has 2+ positions, and a
  Polygon ring has 4+ positions and ends where it starts (RFC 7946 3.1.6).
- CSV: header names are present and unique; one field may hold up to `MAX_FIELD` (1 MiB)
  characters.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat

from ..errors import Problem
from .schema import feature_at, line_at, row_at

MAX_DEPTH = 64  # GeoJSON needs 7 levels for a MultiPolygon feature; 64 leaves room
MAX_INT = 2 ** 53 - 1  # the largest integer a double (JavaScript's number) holds exactly
MAX_FIELD = 1024 * 1024  # characters in one CSV field
# Bytes in one line of a CSV file: a line is read at most this far, so a line of hundreds of
# megabytes is refused after 8 MiB, not read whole (a field over MAX_FIELD below it is named
# with its length).
MAX_LINE = 8 * MAX_FIELD
# Columns in one table: a header of a million commas would make every row a million keys.
MAX_COLUMNS = 1000


# ------------------------------------------------------------------ files
def file_problem(path, name: str) -> Problem | None:
    """What stops `path` being read as a regular file, or None."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return Problem(name, "", "", str(path), f"a regular file; this is a symbolic link "
                           f"to a missing file ({os.readlink(path)!r})")
        return Problem(name, "", "", str(path), "this file is missing")
    except OSError as exc:
        return Problem(name, "", "", str(path), f"a readable file; {_reason(exc)}")
    if stat.S_ISREG(st.st_mode):
        return None
    kind = ("a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)"
            if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
            else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a special file")
    return Problem(name, "", "", str(path), f"a regular file; this is {kind}")


def _reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "it is a loop of symbolic links"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def open_regular(path, name: str, limit: int, problems: list[Problem], limit_text=None):
    """A binary file object for a regular file of at most `limit` bytes, or None with a
    problem (the same checks as `read_regular`, for a reader that streams); `limit_text(limit)`
    words the limit in that problem."""
    bad = file_problem(path, name)
    if bad is not None:
        problems.append(bad)
        return None
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO since the stat, open does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        problems.append(Problem(name, "", "", str(path), f"a readable file; {_reason(exc)}"))
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            problems.append(Problem(name, "", "", str(path), "a regular file"))
        elif st.st_size > limit:
            said = limit_text(limit) if limit_text else f"at most {limit:,} bytes"
            problems.append(Problem(name, "", "size", f"{st.st_size:,} bytes",
                                    f"{said}; refusing to read it"))
        else:
            return os.fdopen(fd, "rb")
    except OSError as exc:
        problems.append(Problem(name, "", "", str(path), f"a readable file; {_reason(exc)}"))
    os.close(fd)
    return None


def read_regular(path, name: str, limit: int, problems: list[Problem],
                 limit_text=None) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, or None with a problem."""
    fh = open_regular(path, name, limit, problems, limit_text)
    if fh is None:
        return None
    try:
        with fh:
            return fh.read(limit + 1)
    except OSError as exc:
        problems.append(Problem(name, "", "", str(path), f"a readable file; {_reason(exc)}"))
        return None


# ------------------------------------------------------------------ JSON
class _Bad:
    """A value JSON allows to be written but this project refuses; found by `_named`."""

    __slots__ = ("text", "why")

    def __init__(self, text: str, why: str):
        self.text, self.why = text, why


class _Object(dict):
    """A JSON object that had duplicate keys (`dups`)."""

    __slots__ = ("dups",)


class _Parser:
    """json.loads with hooks that mark refused values instead of raising, so every one of
    them can be named with its path; `flagged` says whether a second look is needed."""

    def __init__(self):
        self.flagged = False

    def pairs(self, pairs):
        obj = dict(pairs)
        if len(obj) != len(pairs):
            self.flagged = True
            seen, dups = set(), []
            for k, _ in pairs:
                if k in seen and k not in dups:
                    dups.append(k)
                seen.add(k)
            obj = _Object(obj)
            obj.dups = dups
        return obj

    def int(self, text: str):
        if len(text.lstrip("-")) > 16 or abs(int(text)) > MAX_INT:
            self.flagged = True
            return _Bad(text[:24] + ("..." if len(text) > 24 else ""),
                        f"an integer within +-{MAX_INT} (+-2^53: larger ones are not exact "
                        "in JavaScript and other JSON readers)")
        return int(text)

    def float(self, text: str):
        value = float(text)
        if not math.isfinite(value):
            self.flagged = True
            return _Bad(text[:24], "a finite number (this one overflows to infinity)")
        return value

    def constant(self, text: str):
        self.flagged = True
        return _Bad(text, "a number (NaN, Infinity and -Infinity are not JSON)")


# A lone surrogate can only come from a \u escape: decoded UTF-8 text never holds one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_NUMBERS = {int, float}


def loads(text: str, name: str, problems: list[Problem]):
    """The JSON value of `text`, or None with a problem for each thing that is not RFC 8259."""
    parser = _Parser()
    try:
        obj = json.loads(text, parse_constant=parser.constant, parse_int=parser.int,
                         parse_float=parser.float, object_pairs_hook=parser.pairs)
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, line_at(exc.lineno), "", exc.msg, "valid JSON"))
        return None
    except RecursionError:
        problems.append(Problem(name, "", "", "nesting", f"JSON nested at most {MAX_DEPTH} "
                                "levels deep"))
        return None
    if parser.flagged or _too_deep(obj) or _SURROGATE_ESCAPE.search(text):
        found = _named(obj, name)
        if found:
            problems.extend(found)
            return None
    return obj


def _too_deep(obj) -> bool:
    """Nesting beyond MAX_DEPTH; lists of plain numbers (positions) are skipped at C speed."""
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, list) and (not value or set(map(type, value)) <= _NUMBERS):
            continue
        stack.extend((v, depth + 1) for v in children if isinstance(v, (dict, list)))
    return False


def _lone_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _named(obj, name: str) -> list[Problem]:
    out: list[Problem] = []
    stack = [(obj, (), 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            row, field = _where(obj, path)
            out.append(Problem(name, row, field, f"{depth} levels",
                               f"JSON nested at most {MAX_DEPTH} levels deep"))
            continue
        if isinstance(value, dict):
            row, field = _where(obj, path)
            for k in getattr(value, "dups", []):
                out.append(Problem(name, row, _join(field, k), "a duplicate key",
                                   "each key once per object (readers disagree on which "
                                   "value wins)"))
            for k, v in value.items():
                if _lone_surrogate(k):
                    out.append(Problem(name, row, field, _shown(k),
                                       "keys without lone UTF-16 surrogates"))
                stack.append((v, path + (k,), depth + 1))
        elif isinstance(value, list):
            stack.extend((v, path + (i,), depth + 1) for i, v in enumerate(value))
        elif isinstance(value, _Bad):
            out.append(Problem(name, *_where(obj, path), value.text, value.why))
        elif isinstance(value, str) and _lone_surrogate(value):
            out.append(Problem(name, *_where(obj, path), _shown(value),
                               "text without lone UTF-16 surrogates (\\ud800-\\udfff escapes "
                               "that are not a pair)"))
    return out[:50]  # a broken generator can repeat one mistake a million times


def _shown(s: str) -> str:
    return s.encode("utf-8", "backslashreplace").decode("utf-8")[:60]


def _join(field: str, key) -> str:
    if isinstance(key, int):
        return f"{field}[{key}]"
    key = _shown(str(key))
    return f"{field}.{key}" if field else key


def _where(root, path: tuple) -> tuple[str, str]:
    """("feature 3 (id=omsk)", "geometry.coordinates[0][2]") for a path into a collection."""
    row, rest = "", path
    if len(path) >= 2 and path[0] == "features" and isinstance(path[1], int):
        row, rest = feature_at(path[1], root["features"][path[1]]), path[2:]
    field = ""
    for key in rest:
        field = _join(field, key)
    return row, field


# ------------------------------------------------------------------ GeoJSON geometry
def check_features(name: str, features: list, problems: list[Problem]) -> None:
    """RFC 7946 positions and rings of every feature's geometry (shapes, not types)."""
    for i, feat in enumerate(features):
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if not isinstance(geom, dict):
            continue
        found = _geometry_problem(geom)
        if found:
            row, _ = _where({"features": features}, ("features", i))
            field, value, expected = found
            problems.append(Problem(name, row, "geometry." + field, value, expected))


_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
          "MultiPolygon": 3}


def _geometry_problem(geom: dict, field: str = ""):
    kind = geom.get("type")
    if kind == "GeometryCollection":
        parts = geom.get("geometries")
        for k, part in enumerate(parts if isinstance(parts, list) else []):
            if isinstance(part, dict):
                found = _geometry_problem(part, f"{field}geometries[{k}].")
                if found:
                    return found
        return None
    if kind not in _DEPTH:
        return None  # the type itself is validate's to judge
    coords = geom.get("coordinates")
    if coords == []:
        return None  # an empty geometry: validate says "a non-empty geometry"
    if not _nested(coords, _DEPTH[kind]):
        return (f"{field}coordinates", _short(coords),
                f"{kind} coordinates nested {_DEPTH[kind]} levels around positions")
    for path, pos in _positions(coords, _DEPTH[kind]):
        if not (2 <= len(pos) <= 3 and all(_number(x) for x in pos)):
            return (f"{field}coordinates{path}", _short(pos), "a position: 2 or 3 finite "
                    "numbers (longitude, latitude[, elevation])")
    if kind in ("LineString", "MultiLineString"):
        lines = [coords] if kind == "LineString" else coords
        for j, line in enumerate(lines):
            if len(line) < 2:
                at = "" if kind == "LineString" else f"[{j}]"
                return (f"{field}coordinates{at}", _short(line), "a line of 2 or more positions")
    if kind in ("Polygon", "MultiPolygon"):
        polygons = [coords] if kind == "Polygon" else coords
        for j, rings in enumerate(polygons):
            for r, ring in enumerate(rings):
                at = f"[{r}]" if kind == "Polygon" else f"[{j}][{r}]"
                if len(ring) < 4:
                    return (f"{field}coordinates{at}", f"{len(ring)} positions",
                            "a linear ring of 4 or more positions (RFC 7946 3.1.6)")
                if list(ring[0]) != list(ring[-1]):
                    return (f"{field}coordinates{at}", f"starts {ring[0]}, ends {ring[-1]}",
                            "a closed ring: the last position the same as the first "
                            "(RFC 7946 3.1.6)")
    return None


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _nested(c, depth: int) -> bool:
    if depth == 0:
        return isinstance(c, list)
    return isinstance(c, list) and all(_nested(x, depth - 1) for x in c)


def _positions(c, depth: int, path: str = ""):
    if depth == 0:
        yield path, c
        return
    for i, x in enumerate(c):
        yield from _positions(x, depth - 1, f"{path}[{i}]")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ------------------------------------------------------------------ CSV
def check_header(name: str, header: list[str], problems: list[Problem]) -> None:
    """Every column named, and no name twice (a dict row would silently keep only one)."""
    seen: dict[str, int] = {}
    for i, h in enumerate(header, start=1):
        if not h:
            problems.append(Problem(name, row_at(1), "header", f"column {i}",
                                    "a name for every column (this one is empty)"))
        elif h in seen:
            problems.append(Problem(name, row_at(1), "header", h, f"each column once (columns "
                                    f"{seen[h]} and {i} are both {h!r})"))
        else:
            seen[h] = i


def check_field_sizes(name: str, line: int, header: list[str], record: list[str],
                      problems: list[Problem]) -> None:
    if max(map(len, record), default=0) <= MAX_FIELD:  # the common case, at C speed
        return
    for i, cell in enumerate(record):
        if len(cell) > MAX_FIELD:
            column = header[i] if i < len(header) else f"column {i + 1}"
            problems.append(Problem(name, row_at(line), column, f"{len(cell):,} characters",
                                    f"at most {MAX_FIELD:,} characters in one field"))


# ------------------------------------------------------------------ typed properties
def check_place_types(name: str, features: list, problems: list[Problem]) -> None:
    """Typed properties of places: `label` a JSON boolean, `geonames_id` a positive
    integer, `precision_km` not a boolean (never text such as "false" or "12")."""
    for i, feat in enumerate(features):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            continue
        row, _ = _where({"features": features}, ("features", i))
        label = props.get("label")
        if label is not None and not isinstance(label, bool):
            problems.append(Problem(name, row, "label", label, "true or false (a JSON "
                                    "boolean, not text or a number)"))
        gid = props.get("geonames_id")
        if gid is not None and (not isinstance(gid, int) or isinstance(gid, bool) or gid <= 0):
            problems.append(Problem(name, row, "geonames_id", gid, "a positive integer (a JSON "
                                    "number, not text)"))
        if isinstance(props.get("precision_km"), bool):  # validate judges the other values
            problems.append(Problem(name, row, "precision_km", props["precision_km"],
                                    "a number of km >= 0 (a JSON number, not true/false)"))

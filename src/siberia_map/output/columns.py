"""Numeric payload columns as typed arrays, and the per-month index of the records.

A column of small integers costs 3-7 bytes a value as JSON text and a boxed number a value
once parsed; as the bytes of the narrowest integer type that holds it (base64 inside the
JSON, so the page stays one offline file read through `tojson`) it costs 1.3-5.3 bytes and
the page reads it into one typed array. Wider types are written byte plane by byte plane
(every value's lowest byte, then every value's next byte...): the high planes are mostly
zeros, which gzip (the payload is gzipped when large) then shrinks far better than
interleaved bytes under base64. See docs/architecture.md ("Payload").

The month index tells the page, for each month, which records it shows and in which order
(events by date, then presence by contingent in legend order), so the page neither sorts
nor scans every record to step or to start.

The records' text (titles, descriptions, places as written, dates, sources, citation
locators) goes into one string table, each distinct text once, and the record columns hold
indices into it. The page then parses two long strings instead of a string per cell (at
100,000 records, over a million strings, each with its own header in the page's heap), and
cuts a record's text out of them only when a popup, tooltip or list shows it. Lists per
record (an event's contingents, a record's citations) travel as offsets and values in typed
arrays, not as a JSON list per record.

Per month, per place and per contingent list, the count of records shown (`place_counts`):
at a million records a month holds about 100,000 of them at a few hundred places. Drawing
a symbol per record, or counting them in the page on every step, costs a pass over the
month's records; the page instead draws one count badge per place from these counts
(`CountBadgeLayer.js`), a pass over a few hundred numbers. They are counted here, once, with
numpy, and travel as typed arrays (`typed`) in the payload's `counts` block.

A record is counted under its geometry (`g`, the place or stretch it stands at; events with
no place on the map are not drawn and not counted) and its list of contingents, each
distinct list once in `lists`: the page hides a record when every contingent of its list is
hidden, and colours it by the first one still shown, so counting per list (not per
contingent) keeps a badge exact whatever the legend hides. Months are clipped to the
slider's as in `month_index`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

import numpy as np

# (tag, numpy type), narrowest first: `typed` picks the first that holds every value.
TYPES = (("u8", np.uint8), ("i8", np.int8), ("u16", np.uint16), ("i16", np.int16),
         ("u32", np.uint32), ("i32", np.int32))
TAGS = dict(TYPES)


def typed(values: Sequence[int] | np.ndarray) -> dict:
    """`values` (integers) as `{"t": tag, "b64": base64 of the little-endian bytes, in byte
    planes}`."""
    arr = np.asarray(values, dtype=np.int64)
    lo, hi = (int(arr.min()), int(arr.max())) if arr.size else (0, 0)
    for tag, kind in TYPES:
        info = np.iinfo(kind)
        if info.min <= lo and hi <= info.max:
            dtype = np.dtype(kind).newbyteorder("<")
            planes = arr.astype(dtype).view(np.uint8).reshape(-1, dtype.itemsize).T
            return {"t": tag, "b64": base64.b64encode(planes.tobytes()).decode("ascii")}
    raise ValueError(f"integers {lo}..{hi} do not fit 32 bits")


def untyped(col) -> list[int]:
    """The inverse of `typed` (a plain list stays as it is), for tests and tools."""
    if isinstance(col, dict):
        dtype = np.dtype(TAGS[col["t"]]).newbyteorder("<")
        planes = np.frombuffer(base64.b64decode(col["b64"]), dtype=np.uint8)
        raw = planes.reshape(dtype.itemsize, -1).T.tobytes()
        return np.frombuffer(raw, dtype=dtype).tolist()
    return list(col)


class Strings:
    """The string table: `add` gives each distinct text a number, `encode` the payload's
    `strings` and the renumbering the columns need.

    The table is written as two strings, the texts of one-byte characters (up to U+00FF)
    first, then the rest: a browser keeps a string of one-byte characters at a byte a
    character, but one wider character anywhere makes it store the whole string at two, so
    the page keeps the second as UTF-8 bytes (mostly a byte a character) and decodes a
    text of it when asked. The second is written as those bytes already, one character
    U+0000-U+00FF per byte: the payload then holds no wider character at all (see
    assets._serialise), and the page neither parses a two-byte string nor encodes one.
    Index 0 is always "".
    """

    def __init__(self):
        self._index: dict[str, int] = {"": 0}
        self._items: list[str] = [""]

    def add(self, value) -> int:
        text = _as_text(value)
        i = self._index.get(text)
        if i is None:
            i = self._index[text] = len(self._items)
            self._items.append(text)
        return i

    def column(self, values) -> list[int]:
        """The numbers of `values`, as `add` gives them one by one (new texts numbered in
        the order they first come): each distinct text is looked up once, and the column is
        mapped at C speed (`add` per cell took most of the payload at a million records)."""
        texts = [v if type(v) is str else _as_text(v) for v in values]
        index, items = self._index, self._items
        for text in dict.fromkeys(texts):
            if text not in index:
                index[text] = len(items)
                items.append(text)
        return list(map(index.__getitem__, texts))

    def encode(self) -> tuple[dict, np.ndarray]:
        """`({"one": ..., "two": ..., "n1": ..., "end": T[...]}, renumber)`: string `k` of
        the table is `one[end[k - 1]:end[k]]` for `k < n1` (from 0 for `k` = 0), else the
        same in the UTF-8 bytes of `two` (from 0 for `k` = n1); `renumber[i]` is the final
        index of the string `add` numbered `i`."""
        narrow = [_one_byte(t) for t in self._items]
        order = sorted(range(len(self._items)), key=lambda i: not narrow[i])  # stable
        n1 = sum(narrow)
        renumber = np.empty(len(order), dtype=np.int64)
        renumber[order] = np.arange(len(order))
        texts = [self._items[i] for i in order]
        # Offsets in characters in `one` (one-byte: no surrogate pairs, so as the page's
        # String.prototype.slice counts them), in UTF-8 bytes in `two`.
        wide = [_utf8(t) for t in texts[n1:]]
        lengths = np.array([len(t) for t in texts[:n1]] + [len(b) for b in wide], dtype=np.int64)
        ends = np.concatenate([np.cumsum(lengths[:n1]), np.cumsum(lengths[n1:])])
        table = {"one": "".join(texts[:n1]), "two": b"".join(wide).decode("latin-1"), "n1": n1,
                 "end": typed(ends)}
        return table, renumber


def _as_text(value) -> str:
    """A cell as the table's text: "" for a missing one (None, NaN)."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _utf8(text: str) -> bytes:
    """A text's UTF-8 bytes; a lone surrogate (which the data's checks refuse) as U+FFFD,
    as the browser's TextEncoder writes it."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


def _one_byte(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def text(table: dict, k: int) -> str:
    """String `k` of an encoded table (for tests and tools; the page has its own reader)."""
    end = untyped(table["end"])
    n1 = table["n1"]
    if k < n1:
        return table["one"][0 if k == 0 else end[k - 1]:end[k]]
    raw = table["two"].encode("latin-1")[0 if k == n1 else end[k - 1]:end[k]]
    return raw.decode("utf-8")


def lists(values: Sequence[Sequence[int]]) -> dict:
    """Lists of integers, one per record, as `{"start": T[n + 1 offsets], "v": T[values]}`:
    record `i`'s list is `v[start[i]:start[i + 1]]`."""
    lengths = [len(v) for v in values]
    flat = [x for v in values for x in v]
    return {"start": typed(np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])),
            "v": typed(flat)}


def plain(payload: dict, block: str) -> dict:
    """A record block of a built payload (`"events"`, `"presence"`) with every column as
    plain values, as the page reads them: numbers, texts, lists (for tests and tools)."""
    table = payload.get("strings")
    out = {}
    for key, col in payload[block].items():
        if isinstance(col, dict) and "start" in col:
            start = untyped(col["start"])
            if "loc" in col:
                works, locs = untyped(col["src"]), [text(table, k) for k in untyped(col["loc"])]
                pairs = [[w, loc] for w, loc in zip(works, locs)]
            else:
                pairs = untyped(col["v"])
            out[key] = [pairs[a:b] for a, b in zip(start, start[1:])]
        elif isinstance(col, dict) and "b64" in col:
            values = untyped(col)
            out[key] = [text(table, k) for k in values] if table and key in TEXT else values
        else:
            out[key] = col
    return out


# The record columns that hold numbers into the string table (output/payload.py).
TEXT = ("kind", "title", "text", "date", "when", "unote", "where", "src", "strength", "note")


def month_index(events: dict, presence: dict, n_months: int) -> dict:
    """Per month, the records shown, as offsets into one list of record numbers.

    `events` and `presence` are payload columns with plain lists `m0`, `m1` (month indices)
    and `sort` (events) / `c` (presence: a contingent index). Record number `i` is event `i`,
    `len(events) + j` presence record `j`. Month `m`'s records are
    `rec[start[m]:start[m + 1]]`, the first `events[m]` of them events: events by `sort`
    (ties in data order), then presence by contingent (ties in data order). Records whose
    months fall outside `0..n_months-1` are clipped to it.
    """
    n_ev = len(events["m0"])
    ev_m0 = np.clip(np.asarray(events["m0"], dtype=np.int64), 0, None)
    ev_m1 = np.clip(np.asarray(events["m1"], dtype=np.int64), None, n_months - 1)
    pr_m0 = np.clip(np.asarray(presence["m0"], dtype=np.int64), 0, None)
    pr_m1 = np.clip(np.asarray(presence["m1"], dtype=np.int64), None, n_months - 1)
    # Stable sorts: ties keep data order.
    ev_order = np.array(sorted(range(n_ev), key=events["sort"].__getitem__), dtype=np.int64)
    pr_order = np.argsort(np.asarray(presence["c"], dtype=np.int64), kind="stable")
    order = np.concatenate([ev_order, pr_order + n_ev])
    m0 = np.concatenate([ev_m0, pr_m0])[order]
    m1 = np.concatenate([ev_m1, pr_m1])[order]
    # (month, position in `order`) grouped by month with a stable sort, so that each month
    # keeps the order above.
    pos, month = _months_shown(m0, m1)
    by_month = np.argsort(month, kind="stable")
    rec = order[pos[by_month]]
    counts = np.bincount(month, minlength=n_months)[:n_months]
    start = np.concatenate([[0], np.cumsum(counts)])
    ev_counts = np.bincount(month[order[pos] < n_ev], minlength=n_months)[:n_months]
    return {"start": typed(start), "events": typed(ev_counts), "rec": typed(rec)}


def _months_shown(m0, m1) -> tuple[np.ndarray, np.ndarray]:
    """One entry per record and month it shows in, records in order: `(pos, month)`, the
    record's position in `m0`/`m1` and the month (a record with `m1 < m0` has none)."""
    span = np.maximum(m1 - m0 + 1, 0)
    pos = np.repeat(np.arange(len(m0)), span)
    month = m0[pos] + (np.arange(len(pos)) - np.repeat(np.cumsum(span) - span, span))
    return pos, month


def place_counts(events: dict, presence: dict, n_months: int) -> dict:
    """The payload's `counts` block from the payload's plain record columns (`g`, `m0`, `m1`, and `c`:
    a list of contingent indices per event, one index per presence record).

    `{"lists": lists of contingent indices, "start": T[n_months + 1], "g": T, "k": T,
    "n": T}`: month `m`'s entries are `start[m]..start[m + 1]`, each `n` records at geometry
    `g` with contingent list `lists[k]`, ordered by `g`, then `k`.
    """
    index: dict[tuple[int, ...], int] = {}
    ks = [index.setdefault(tuple(c), len(index)) for c in events["c"]]
    ks += [index.setdefault((c,), len(index)) for c in presence["c"]]
    g = np.asarray([*events["g"], *presence["g"]], dtype=np.int64)
    k = np.asarray(ks, dtype=np.int64)
    m0 = np.clip(np.asarray([*events["m0"], *presence["m0"]], dtype=np.int64), 0, None)
    m1 = np.clip(np.asarray([*events["m1"], *presence["m1"]], dtype=np.int64), None, n_months - 1)
    drawn = g >= 0
    g, k, m0, m1 = g[drawn], k[drawn], m0[drawn], m1[drawn]
    pos, month = _months_shown(m0, m1)
    n_g = int(g.max()) + 1 if len(g) else 1
    n_k = max(len(index), 1)
    keys, n = np.unique((month * n_g + g[pos]) * n_k + k[pos], return_counts=True)
    key_month, rest = np.divmod(keys, n_g * n_k)
    key_g, key_k = np.divmod(rest, n_k)
    start = np.searchsorted(key_month, np.arange(n_months + 1), side="left")
    return {"lists": lists(list(index)), "start": typed(start),
            "g": typed(key_g), "k": typed(key_k), "n": typed(n)}


def plain_counts(block: dict) -> list[list[tuple[int, tuple[int, ...], int]]]:
    """A built `counts` block as, per month, `(g, contingent list, n)` triples (for tests and
    tools)."""
    start = untyped(block["lists"]["start"])
    values = untyped(block["lists"]["v"])
    lists = [tuple(values[a:b]) for a, b in zip(start, start[1:])]
    bounds = untyped(block["start"])
    g, k, n = (untyped(block[key]) for key in ("g", "k", "n"))
    return [[(g[i], lists[k[i]], n[i]) for i in range(a, b)] for a, b in zip(bounds, bounds[1:])]

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
"""

from __future__ import annotations

import base64
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
    span = np.maximum(m1 - m0 + 1, 0)
    # One entry per record and month it shows in: (month, position in `order`), grouped by
    # month with a stable sort so that each month keeps the order above.
    pos = np.repeat(np.arange(len(order)), span)
    month = m0[pos] + (np.arange(len(pos)) - np.repeat(np.cumsum(span) - span, span))
    by_month = np.argsort(month, kind="stable")
    rec = order[pos[by_month]]
    counts = np.bincount(month, minlength=n_months)[:n_months]
    start = np.concatenate([[0], np.cumsum(counts)])
    ev_counts = np.bincount(month[order[pos] < n_ev], minlength=n_months)[:n_months]
    return {"start": typed(start), "events": typed(ev_counts), "rec": typed(rec)}

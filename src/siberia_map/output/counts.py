"""Per month, per place and per contingent list, how many records the map shows there.

At a million records a month holds about 100,000 of them at a few hundred places. Drawing
a symbol per record, or counting them in the page on every step, costs a pass over the
month's records; the page instead draws one count badge per place from these counts
(`CountBadgeLayer.js`), a pass over a few hundred numbers. They are counted here, once, with
numpy, and travel as typed arrays (`columns.typed`) in the payload's `counts` block.

A record is counted under its geometry (`g`, the place or stretch it stands at; events with
no place on the map are not drawn and not counted) and its list of contingents, each
distinct list once in `lists`: the page hides a record when every contingent of its list is
hidden, and colours it by the first one still shown, so counting per list (not per
contingent) keeps a badge exact whatever the legend hides. Months are clipped to the
slider's as in `columns.month_index`. See docs/architecture.md ("Payload").
"""

from __future__ import annotations

import numpy as np

from . import columns


def build(events: dict, presence: dict, n_months: int) -> dict:
    """The `counts` block from the payload's plain record columns (`g`, `m0`, `m1`, and `c`:
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
    span = np.maximum(m1 - m0 + 1, 0)
    # One entry per record and month it shows in.
    pos = np.repeat(np.arange(len(g)), span)
    month = m0[pos] + (np.arange(len(pos)) - np.repeat(np.cumsum(span) - span, span))
    n_g = int(g.max()) + 1 if len(g) else 1
    n_k = max(len(index), 1)
    keys, n = np.unique((month * n_g + g[pos]) * n_k + k[pos], return_counts=True)
    key_month, rest = np.divmod(keys, n_g * n_k)
    key_g, key_k = np.divmod(rest, n_k)
    start = np.searchsorted(key_month, np.arange(n_months + 1), side="left")
    return {"lists": columns.lists(list(index)), "start": columns.typed(start),
            "g": columns.typed(key_g), "k": columns.typed(key_k), "n": columns.typed(n)}


def plain(block: dict) -> list[list[tuple[int, tuple[int, ...], int]]]:
    """A built `counts` block as, per month, `(g, contingent list, n)` triples (for tests and
    tools)."""
    start = columns.untyped(block["lists"]["start"])
    values = columns.untyped(block["lists"]["v"])
    lists = [tuple(values[a:b]) for a, b in zip(start, start[1:])]
    bounds = columns.untyped(block["start"])
    g, k, n = (columns.untyped(block[key]) for key in ("g", "k", "n"))
    return [[(g[i], lists[k[i]], n[i]) for i in range(a, b)] for a, b in zip(bounds, bounds[1:])]

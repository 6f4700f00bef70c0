"""The payload's blocks other than the records: movements, control, story, strength.

Each turns one table of the `Dataset` (already checked and joined in data/ and model/) into
the browser's format; `payload.build` puts them together. See docs/architecture.md
("Payload").
"""

from __future__ import annotations

from ..data.strength import COLUMN as STRENGTH


def movements(rows: list[dict], first_month: int, geoms, cindex: dict) -> dict:
    """The columnar `movements` block (`Dataset.movements`, joined by data/movements.py);
    routes go into the shared geometry table."""
    def latlon(p):
        return [round(p[1], 4), round(p[0], 4)]

    return {
        "id": [r["id"] for r in rows],
        "c": [cindex[r["contingent"]] for r in rows],
        "kind": [r["kind"] for r in rows],
        "g": [geoms.add("movement:" + r["id"], r["geometry"]) for r in rows],
        "cf": [r["cf"] for r in rows],
        "m0": [r["m0"] - first_month for r in rows],
        "m1": [r["m1"] - first_month for r in rows],
        "f": [[list(f) for f in r["fractions"]] for r in rows],
        "pt": [[latlon(p) for p in r["mids"]] for r in rows],
        "date": [r["date"] for r in rows],
        "when": [r["when"] for r in rows],
        "unc": [1 if (r["approximate"] or r["uncertain"]) else 0 for r in rows],
        "where": [r["label"] for r in rows],
        "note": [r["note"] for r in rows],
        "src": [r["source"] for r in rows],
    }


def story(rows: list[dict], first_month: int, cindex: dict) -> list[dict]:
    """The `story` block (`Dataset.story`, joined by data/story.py): month indices (`from`,
    the first month of a chapter that shows a range, else null), contingent indices (`show`,
    null = all)."""
    return [{
        "id": r["id"], "title": r["title"], "month": r["month"] - first_month,
        "from": None if r.get("from_month") is None else r["from_month"] - first_month,
        "bounds": [[round(v, 4) for v in corner] for corner in r["bounds"]],
        "show": [cindex[c] for c in r["contingents"]] or None,
        "highlight": r["highlight"], "text": r["text"], "src": r["source"],
        **{k: v for k, v in r.items() if k.startswith(("title_", "text_"))},
    } for r in rows]


def strength(presence, contingent_ids: list[str], first_month: int, n_months: int):
    """Per contingent (in legend order) a list of `n_months` summed strengths (None where no
    record that month has a number), or None for a contingent with no number at all; None
    when the data set has no `strength_n` column or no number in it."""
    if STRENGTH not in presence.columns:
        return None
    rows = {cid: [None] * n_months for cid in contingent_ids}
    found = False
    for cids, m0, m1, value in zip(presence["contingents"], presence["m0"], presence["m1"],
                                   presence[STRENGTH]):
        if not isinstance(value, str) or not value:
            continue
        found = True
        series = rows[cids[0]]
        for m in range(int(m0) - first_month, int(m1) - first_month + 1):
            series[m] = (series[m] or 0) + int(value)
    if not found:
        return None
    return [rows[cid] if any(v is not None for v in rows[cid]) else None
            for cid in contingent_ids]


def control(t, encode) -> dict | None:
    """The `control` block (`Dataset.control`, built by model/territory.py); `encode` is
    payload.encode (geometry -> JSON)."""
    if t is None:
        return None
    cells = []
    for k, geom in sorted(t.cells.items()):
        e = encode(geom)
        if e["t"] == "pg":
            cells.append({"p": k, "c": e["c"]})
    pieces = []
    for piece in t.pieces:
        c = piece["c"]
        mid = _midpoint(c)
        first = c[: mid[0] + 1] + [mid[1]]
        second = [mid[1]] + c[mid[0] + 1:]
        pieces.append({"c": first, "a": piece["a"], "b": piece["b"], "m": mid[1]})
        pieces.append({"c": second, "a": piece["b"], "b": piece["a"]})
    return {
        "authorities": t.authorities,
        "places": t.places,
        "runs": t.runs,
        "rows": {k: [r[k] for r in t.rows] for k in ("where", "date", "when", "note")}
        | {"src": [r["source"] for r in t.rows]},
        "pieces": pieces,
        "cells": cells,
    }


def _midpoint(coords: list) -> tuple[int, list]:
    """(index of the vertex before the middle, the middle [lat, lon]) by planar length."""
    legs = [((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 for a, b in zip(coords, coords[1:])]
    half, run = sum(legs) / 2, 0.0
    for i, leg in enumerate(legs):
        if run + leg >= half and leg > 0:
            t = (half - run) / leg
            a, b = coords[i], coords[i + 1]
            return i, [round(a[0] + (b[0] - a[0]) * t, 4), round(a[1] + (b[1] - a[1]) * t, 4)]
        run += leg
    return 0, coords[0]

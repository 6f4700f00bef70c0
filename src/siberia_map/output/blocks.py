"""The payload's blocks other than the records: movements, control, story, strength.

Each turns one table of the `Dataset` (already checked in data/ and joined in model/) into
the browser's format; `payload.build` puts them together. See docs/architecture.md
("Payload").
"""

from __future__ import annotations

from shapely.geometry import LineString

from ..data import timeline
from ..data.gazetteer import line_km
from ..data.movements import month_fractions
from ..data.strength import COLUMN as STRENGTH
from ..model.dataset import AUTHORITY_COLUMNS


def movements(df, first_month: int, geoms, cindex: dict) -> dict:
    """The columnar `movements` block from `Dataset.movements`; routes go into the shared
    geometry table. Each route is sliced here: `f` the share done at the start and end of
    each month, `cf` the share reached at each vertex, `pt` the point mid-way along each
    month's part, so the browser only draws and never computes dates."""
    def latlon(p):
        return [round(p[1], 4), round(p[0], 4)]

    ids, lines = df["id"].tolist(), df.geometry.tolist()
    fractions = [month_fractions(timeline.parse(d)) for d in df["date"]]
    cfs = [cumulative(line) for line in lines]
    mids = [[point_at(line, cf, (f0 + f1) / 2) for f0, f1 in fs]
            for line, cf, fs in zip(lines, cfs, fractions)]
    return {
        "id": ids,
        "c": [cindex[c] for c in df["contingent"]],
        "kind": df["kind"].tolist(),
        "g": [geoms.add("movement:" + rid, line) for rid, line in zip(ids, lines)],
        "cf": cfs,
        "m0": [int(m) - first_month for m in df["m0"]],
        "m1": [int(m) - first_month for m in df["m1"]],
        "f": [[list(f) for f in fs] for fs in fractions],
        "pt": [[latlon(p) for p in ms] for ms in mids],
        "date": df["date"].tolist(),
        "when": df["when"].tolist(),
        "unc": [1 if (a or u) else 0 for a, u in zip(df["approximate"], df["uncertain"])],
        "where": df["label"].tolist(),
        "note": df["note"].tolist(),
        "src": df["source"].tolist(),
    }


def cumulative(line: LineString) -> list[float]:
    """The share of the route's length (great-circle km) reached at each vertex."""
    coords = list(line.coords)
    legs = [line_km(coords[i:i + 2]) for i in range(len(coords) - 1)]
    total = sum(legs) or 1.0
    out, run = [0.0], 0.0
    for leg in legs:
        run += leg
        out.append(round(run / total, 5))
    out[-1] = 1.0
    return out


def point_at(line: LineString, cf: list[float], f: float) -> tuple[float, float]:
    """(lon, lat) at share `f` of the route, interpolated as the browser does it."""
    coords = list(line.coords)
    for i in range(1, len(cf)):
        if cf[i] >= f:
            span = cf[i] - cf[i - 1]
            t = 0.0 if span <= 0 else (f - cf[i - 1]) / span
            (x0, y0), (x1, y1) = coords[i - 1][:2], coords[i][:2]
            return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
    return coords[-1][:2]


def story(df, first_month: int, cindex: dict) -> list[dict]:
    """The `story` block from `Dataset.story`: month indices (`from`, the first month of a
    chapter that shows a range, else null), contingent indices (`show`, null = all), and
    the chapter's title and text in each other language the data gives it in."""
    return [{
        "id": r["id"], "title": r["title"], "month": int(r["month"]) - first_month,
        "from": None if r["from_month"] is None else int(r["from_month"]) - first_month,
        "bounds": [[round(v, 4) for v in corner] for corner in r["bounds"]],
        "show": [cindex[c] for c in r["contingents"]] or None,
        "highlight": list(r["highlight"]), "text": r["text"], "src": r["source"],
        **{k: v for k, v in r.items()
           if k.startswith(("title_", "text_")) and isinstance(v, str) and v},
    } for r in df.to_dict("records")]


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


def control(ds, encode) -> dict | None:
    """The `control` block from `Dataset.control`, `authorities` and `territory` (None
    without a chronology); `encode` is payload.encode (geometry -> JSON). Holds become
    runs per place with indices into `authorities` and into `rows`, the control rows they
    cite (each once, in order of first use)."""
    holds = ds.control
    if not len(ds.authorities):
        return None
    places = list(dict.fromkeys(holds["place"]))
    pindex = {pid: k for k, pid in enumerate(places)}
    aindex = {a: i for i, a in enumerate(ds.authorities["id"])}
    runs: list[list] = [[] for _ in places]
    rows: dict[int, dict] = {}
    # Column by column: a frame's rows as dicts box every cell (most of this block's time).
    cols = {c: holds[c].tolist() for c in holds.columns if c != "geometry"}
    for k, line in enumerate(cols["control_row"]):
        row = rows.get(line)
        if row is None:  # each cited row once, in order of first use
            date = cols["control_date"][k]
            row = rows[line] = {"n": len(rows), "where": cols["control_where"][k],
                                "date": date, "when": timeline.parse(date).label,
                                "note": cols["note"][k], "src": cols["source"][k]}
        runs[pindex[cols["place"][k]]].append([
            int(cols["m0"][k]) - ds.first_month, int(cols["m1"][k]) - ds.first_month,
            aindex[cols["held_by"][k]], int(cols["contested"][k]), row["n"]])
    territory = ds.territory
    cells, pieces = [], []
    for kind, place, other, geom in zip(territory["kind"], territory["place"],
                                        territory["other"], territory.geometry):
        if kind == "area":
            e = encode(geom)
            if e["t"] == "pg":
                cells.append({"p": pindex[place], "c": e["c"]})
            continue
        c = [[round(y, 4), round(x, 4)] for x, y in geom.coords]
        a, b = pindex[place], pindex[other]
        mid = _midpoint(c)
        pieces.append({"c": c[: mid[0] + 1] + [mid[1]], "a": a, "b": b, "m": mid[1]})
        pieces.append({"c": [mid[1]] + c[mid[0] + 1:], "a": b, "b": a})
    cited = list(rows.values())
    return {
        "authorities": ds.authorities[list(AUTHORITY_COLUMNS)].to_dict("records"),
        "places": places,
        "runs": runs,
        "rows": {k: [r[k] for r in cited] for k in ("where", "date", "when", "note", "src")},
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

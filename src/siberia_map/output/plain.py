"""Cells and geometries as plain JSON values, for every export format.

Shared by `export` (GeoJSON, GeoPackage, CSV) and `lpf` (Linked Places), which both turn
the joined data set's pandas cells and shapely geometries into what `json` and OGR take;
here so that neither has to import the other.
"""

from __future__ import annotations

import math

from shapely.geometry import mapping

DIGITS = 5  # ~1 m; the data are never more precise than that


def value(v):
    """A cell as plain JSON/OGR-friendly Python: lists joined later, NaN -> None."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict, str)):
        v = v.item()  # numpy scalar
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def rounded(c):
    """Nested coordinates rounded to DIGITS decimals."""
    if isinstance(c, (list, tuple)):
        return [rounded(x) for x in c]
    return round(float(c), DIGITS)


def geojson_geometry(g) -> dict | None:
    """A shapely geometry as a GeoJSON geometry object; None for an unplaced record."""
    if g is None:  # an event with no place on the map
        return None
    m = mapping(g)
    return {"type": m["type"], "coordinates": rounded(m["coordinates"])}

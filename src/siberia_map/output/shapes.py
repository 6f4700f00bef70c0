"""Shapely geometries as matplotlib paths, converted once and drawn in every panel.

geopandas' `plot` converts every geometry again on each call and redraws the figure
afterwards; a small-multiples figure draws the same basemap, rivers, lakes and railways in
every panel, so `Layer` converts them once and `Layer.draw(ax, ...)` only adds two light
collections that share the converted paths. Geometry is simplified to a tolerance far
below what a panel can show (a panel pixel is about 0.3 degrees wide).
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path

TOLERANCE = 0.01  # degrees: ~1 km, a thirtieth of a panel pixel


class Canvas(FigureCanvasAgg):
    """An Agg canvas that draws only when asked to render.

    geopandas' `plot` calls `canvas.draw_idle()` after every layer, and on a
    non-interactive canvas that is a full draw of the whole figure: with one basemap and
    railway plot per panel, n panels cost about n^2 panel draws (55 months took minutes)."""

    def draw_idle(self, *args, **kwargs) -> None:
        pass


def polygon_path(geom) -> Path:
    """One compound path of every ring of a Polygon or MultiPolygon (holes included)."""
    rings = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            rings.append(Path(np.asarray(ring.coords)[:, :2], closed=True))
    return Path.make_compound_path(*rings) if rings else Path(np.zeros((0, 2)))


def line_parts(geom) -> list[np.ndarray]:
    """The (n, 2) vertex arrays of a LineString or MultiLineString."""
    return [np.asarray(part.coords)[:, :2] for part in getattr(geom, "geoms", [geom])
            if part.geom_type == "LineString" and not part.is_empty]


class Layer:
    """The polygons and lines of some geometries, ready to draw in any number of axes."""

    def __init__(self, geoms, simplify: bool = False):
        self.polygons: list[Path] = []
        self.lines: list[np.ndarray] = []
        for g in geoms:
            if g is None or g.is_empty:
                continue
            if simplify:
                g = g.simplify(TOLERANCE, preserve_topology=True)
            kind = g.geom_type
            if kind in ("Polygon", "MultiPolygon"):
                self.polygons.append(polygon_path(g))
            elif kind in ("LineString", "MultiLineString"):
                self.lines.extend(line_parts(g))
            elif kind == "GeometryCollection":
                sub = Layer(g.geoms)
                self.polygons += sub.polygons
                self.lines += sub.lines

    def draw(self, ax, *, facecolor="none", edgecolor, linewidth: float, zorder: float,
             linestyle="solid", alpha=None) -> None:
        if self.polygons:
            ax.add_collection(PathCollection(
                self.polygons, facecolors=facecolor, edgecolors=edgecolor,
                linewidths=linewidth, linestyles=linestyle, alpha=alpha, zorder=zorder),
                autolim=False)
        if self.lines:
            ax.add_collection(LineCollection(
                self.lines, colors=edgecolor, linewidths=linewidth, linestyles=linestyle,
                alpha=alpha, zorder=zorder, capstyle="round"), autolim=False)

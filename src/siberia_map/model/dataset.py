"""The joined data set every output is made from, and where the default one lives.

`Dataset` is what `siberia_map.load()` returns and what `render`, `export`, `figure` and
`TimeSlicedLayer` take: GeoDataFrames in WGS84 whose records already carry their resolved
geometry and their month range. `default_data()` finds the project's own data set: the
checkout's `geodata/` when the package runs from a checkout (an editable install, `make
map`), else the copy that the wheel carries inside the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from ..data import timeline

if TYPE_CHECKING:
    from .territory import Territory

CRS = "EPSG:4326"
PACKAGED = "geodata"  # siberia_map/geodata/ in a wheel: a copy of the checkout's geodata/


@dataclass
class Dataset:
    """A validated, joined data set, ready to draw or export.

    Attributes:
        places: one row per place (`id`, `name`, `names`, `kind`, `modern_name`, `note`,
            `label`, `precision_km`, `source`, geometry Point, LineString or Polygon).
        railways: one row per railway segment (`id`, `line`, `from`, `to`, `source`).
        contingents: the groups records belong to, in legend order (`id`, `name`, `side`,
            `colour`, ...); a plain DataFrame.
        events: dated events (`id`, `date`, `when`, `m0`, `m1`, `contingents` (a list of
            ids), `where`, `where_id`, `where_label`, `title`, `kind`, `description`,
            `source`, ...), geometry resolved from `where`.
        presence: where each contingent was (`contingent`, `contingents` = [that id], the
            same date and where columns as events, `strength`, `note`, ...).
        first_month, last_month: the slider's range as month numbers (year * 12 + month - 1).
        meta: `dataset.json` (title, subtitle, citation, bounds, ...), possibly empty.
        basemap: the embedded offline basemap layers (GeoJSON objects), possibly empty.
        movements: journeys along the railway (`movements.csv`), routed and sliced into
            months; empty without that file.
        control: month-by-month control (`control.csv` + `authorities.csv`), or None.
        sources: the bibliography (`sources.csv` rows as dicts of strings); empty without it.
        story: the chapters of `story.csv` (`id`, `title`, `month` number, `bounds`,
            `contingents`, `highlight`, `text`, `source`); empty without that file.
        window: None, or the (first, last) month numbers `window.limit` cut the records
            to; the exports cut movements and control to it as well.
    """

    places: gpd.GeoDataFrame
    railways: gpd.GeoDataFrame
    contingents: pd.DataFrame
    events: gpd.GeoDataFrame
    presence: gpd.GeoDataFrame
    first_month: int
    last_month: int
    meta: dict = field(default_factory=dict)
    basemap: dict = field(default_factory=dict)
    # Journeys along the railway (movements.csv), routed and sliced into months.
    movements: list = field(default_factory=list)
    # Month-by-month control (control.csv + authorities.csv), or None without a chronology.
    control: Territory | None = None
    # The bibliography (sources.csv rows, in file order); empty when sources are free text.
    sources: list = field(default_factory=list)
    # Story chapters (story.csv) with month numbers and view bounds; empty without that file.
    story: list = field(default_factory=list)
    # The months (first, last month number) an export is limited to (model/window.py), or
    # None: every month.
    window: tuple | None = None

    @property
    def months(self) -> list[str]:
        """Every month of the slider, `["1918-05", ..., "1925-05"]`."""
        return timeline.month_range(self.first_month, self.last_month)

    @property
    def title(self) -> str:
        return self.meta.get("title") or "A campaign, month by month"

    @property
    def bounds(self) -> list[list[float]]:
        """`[[south, west], [north, east]]`: dataset.json's, else the places' (or, without
        places, the records'), padded."""
        if self.meta.get("bounds"):
            return self.meta["bounds"]
        frames = [self.places] if len(self.places) else \
            [df for df in (self.events, self.presence) if len(df)]
        w, s, e, n = (pd.concat([df.geometry for df in frames]).total_bounds if frames
                      else (-180.0, -60.0, 180.0, 75.0))
        pad_x, pad_y = max((e - w) * 0.05, 0.5), max((n - s) * 0.05, 0.5)
        return [[max(s - pad_y, -90.0), w - pad_x], [min(n + pad_y, 90.0), e + pad_x]]

    @property
    def __geo_interface__(self) -> dict:
        """The records (events, then presence) as a GeoJSON FeatureCollection in WGS84: each
        feature's `id` is the record's, its properties the record's columns (month range as
        `first_month`/`last_month`, `layer` "events" or "presence"). What shapely,
        `geopandas.GeoDataFrame.from_features` and `siberia_map.explore` read."""
        from shapely.geometry import mapping

        features = []
        for layer, df in (("events", self.events), ("presence", self.presence)):
            keep = [c for c in df.columns if c not in ("geometry", "m0", "m1", "sort", "type")]
            for row, geom, m0, m1 in zip(df[keep].to_dict("records"), df.geometry,
                                         df["m0"], df["m1"]):
                props = {"layer": layer, **{k: _plain(v) for k, v in row.items()},
                         "first_month": timeline.month_key(int(m0)),
                         "last_month": timeline.month_key(int(m1))}
                features.append({"type": "Feature", "id": str(row["id"]), "properties": props,
                                 "geometry": None if geom is None else mapping(geom)})
        return {"type": "FeatureCollection", "features": features}

    def _repr_html_(self) -> str:
        """Jupyter's preview: the title, the counts and months, and the groups in their
        colours. Text from the data is escaped, never markup."""
        from html import escape

        rows = "".join(
            f'<li><span style="display:inline-block;width:.8em;height:.8em;'
            f'background:{escape(_colour(c))};margin-right:.4em"></span>{escape(str(n))}</li>'
            for n, c in zip(self.contingents["name"], self.contingents["colour"]))
        counts = (f"{len(self.events):,} events, {len(self.presence):,} presence records, "
                  f"{len(self.places):,} places, {len(self.railways):,} railway segments")
        return (f'<div class="siberia-map-dataset"><strong>{escape(self.title)}</strong>'
                f"<div>{escape(counts)}</div><div>{len(self.months)} months, "
                f"{escape(timeline.month_label(self.first_month))} to "
                f"{escape(timeline.month_label(self.last_month))}</div>"
                f'<ul style="list-style:none;padding-left:0;margin:.3em 0">{rows}</ul></div>')

    def __repr__(self) -> str:
        return (f"<Dataset {self.title!r}: {len(self.places)} places, {len(self.railways)} "
                f"railway segments, {len(self.contingents)} contingents, {len(self.events)} "
                f"events, {len(self.presence)} presence records, {self.months[0]} to "
                f"{self.months[-1]}>")


def _plain(v):
    """A cell as plain JSON-able Python (numpy scalars unboxed, NaN as None)."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict, str)):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    return list(v) if isinstance(v, tuple) else v


_HEX = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def _colour(c) -> str:
    """A colour fit for a style attribute: a hex colour, else grey."""
    return c if isinstance(c, str) and _HEX.match(c) else "#888888"


def checkout_data() -> Path | None:
    """The checkout's `geodata/` when this package runs from `<checkout>/src/siberia_map/`
    (an editable install, or the tests), else None."""
    package = Path(str(resources.files("siberia_map"))).resolve()
    root = package.parent.parent
    if package.parent.name == "src" and (root / "pyproject.toml").is_file() \
            and (root / PACKAGED).is_dir():
        return root / PACKAGED
    return None


def packaged_data() -> Path:
    """The data set installed inside the package (`siberia_map/geodata/`)."""
    path = resources.files("siberia_map") / PACKAGED
    # Wheels install as plain files, where `files()` is a real directory; `load` reads paths.
    return Path(str(path))


def default_data() -> Path:
    """The project's data set: the checkout's `geodata/`, else the packaged copy."""
    return checkout_data() or packaged_data()

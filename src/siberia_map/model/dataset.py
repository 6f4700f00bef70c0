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
import geopandas as gpd
import pandas as pd

from ..data import timeline

CRS = "EPSG:4326"
PACKAGED = "geodata"  # siberia_map/geodata/ in a wheel: a copy of the checkout's geodata/


# The columns of the tables below, in order (documented in `Dataset` and
# docs/architecture.md, "The Dataset").
MOVEMENT_COLUMNS = ("id", "contingent", "kind", "from", "to", "via", "date", "calendar",
                    "date_as_written", "when", "note", "source", "m0", "m1", "approximate",
                    "uncertain", "uncertainty", "label", "geometry")
HOLD_COLUMNS = ("id", "place", "place_name", "held_by", "authority", "side", "contested",
                "control_where", "control_date", "note", "source", "m0", "m1", "control_row",
                "geometry")
AUTHORITY_COLUMNS = ("id", "name", "side", "colour", "note", "source")
TERRITORY_COLUMNS = ("kind", "place", "other", "geometry")
SOURCE_COLUMNS = ("key", "type", "author", "title", "year", "publisher", "url")
STORY_COLUMNS = ("id", "title", "month", "bounds", "contingents", "highlight", "text", "source",
                 "from_month")


def _geo(columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in columns}, geometry="geometry", crs=CRS)


def _plain_frame(columns) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


@dataclass
class Dataset:
    """A validated, joined data set, ready to draw or export.

    Every table is a (Geo)DataFrame, built once by `model/join.py` from the checked files;
    the outputs (page, exports, figure, report) read these and never rebuild them. Month
    numbers are `year * 12 + month - 1`; geometries are shapely, in WGS84 (lon, lat).
    Optional tables are empty (with their columns) when the data set lacks their files.

    Attributes:
        places: one row per place (`id`, `name`, `names` (list), `kind`, `modern_name`,
            `note`, `label` (bool), `precision_km` (float or None), `geonames_id`,
            `source`, geometry Point, LineString or Polygon).
        railways: one row per railway segment (`id`, `line`, `from`, `to`, `source`,
            geometry LineString).
        contingents: the groups records belong to, in legend order (`id`, `name`, `side`,
            `colour`, ...; text, "" where empty); a plain DataFrame.
        events: dated events (`id`, `type` "event", `date` (EDTF), `calendar`,
            `date_as_written`, `when` (the date in words), `m0`, `m1` (first and last month
            number, int), `contingents` (list of ids), `where`, `where_id` (the place id, or
            `a..b` for a railway stretch), `where_label`, `approximate`, `uncertain` (bool),
            `uncertainty` (the qualifier in words), `sort` (the first day, YYYY-MM-DD),
            `source`, `title`, `kind`, `description`, ... every other column of the file as
            text), geometry resolved from `where` (None: no place on the map).
        presence: where each contingent was: the same columns as events, with `contingent`
            and `contingents` = [that id], `strength`, `note` (and `strength_n` as text).
        first_month, last_month: the slider's range as month numbers.
        meta: `dataset.json` (title, subtitle, citation, bounds, ...), possibly empty.
        basemap: the embedded offline basemap layers (GeoJSON objects), possibly empty.
        movements: journeys along the railway (`movements.csv`), one row per journey:
            `id`, `contingent`, `kind`, `from`, `to`, `via` (station ids as written),
            `date`, `calendar`, `date_as_written`, `when`, `note`, `source`, `m0`, `m1`,
            `approximate`, `uncertain`, `uncertainty` (as for events), `label` ("From –
            To"), geometry the route (LineString over the railway, from `from` to `to`).
        control: who held each place (`control.csv` + `authorities.csv`), one row per
            controlled place and unbroken hold, places in gazetteer order, holds in month
            order: `id` (`place@YYYY-MM`), `place`, `place_name`, `held_by` (authority id),
            `authority` (its name), `side`, `contested` (bool: the place changed hands or
            was fought over in those months), `control_where`, `control_date`, `note`,
            `source` (of the control.csv row that decides the hold: the row that began
            last), `m0`, `m1` (month numbers), `control_row` (that row's line in
            control.csv), geometry the place.
        authorities: the authorities of `authorities.csv` in file order (`id`, `name`,
            `side`, `colour`, `note`, `source`), when `control` has rows; else empty.
        territory: the shapes a holder colours: `kind` "piece" (a railway segment cut
            between two controlled stations: `place` the station at its start, `other` the
            one at its end; coordinates rounded to 4 decimals) or "area" (the approximate
            area of `place`: its Voronoi cell clipped to land and to 120 km of the railway;
            `other` ""), geometry LineString or (Multi)Polygon.
        sources: the bibliography (`sources.csv` in file order: `key`, `type`, `author`,
            `title`, `year`, `publisher`, `url`, ..., all text); empty when sources are
            free text.
        story: the chapters of `story.csv` in file order: `id`, `title`, `month` (month
            number), `bounds` (`[[south, west], [north, east]]` of the view), `contingents`
            and `highlight` (lists of ids; no contingents: all shown), `text`, `source`,
            `from_month` (the month number a chapter's range starts at, or None), then the
            chapter in the other languages the data gives (`title_ru`, `text_fr`, ...; ""
            where a row has none).
        window: None, or the (first, last) month numbers `window.limit` cut the dated
            tables (events, presence, movements, control) to.
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
    movements: gpd.GeoDataFrame = field(default_factory=lambda: _geo(MOVEMENT_COLUMNS))
    control: gpd.GeoDataFrame = field(default_factory=lambda: _geo(HOLD_COLUMNS))
    authorities: pd.DataFrame = field(default_factory=lambda: _plain_frame(AUTHORITY_COLUMNS))
    territory: gpd.GeoDataFrame = field(default_factory=lambda: _geo(TERRITORY_COLUMNS))
    sources: pd.DataFrame = field(default_factory=lambda: _plain_frame(SOURCE_COLUMNS))
    story: pd.DataFrame = field(default_factory=lambda: _plain_frame(STORY_COLUMNS))
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

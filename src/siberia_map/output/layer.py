"""The time-sliced map as a folium plugin, and `explore` for any dated GeoDataFrame.

`TimeSlicedLayer` is a folium `MacroElement` in the style of folium's plugins: added to any
`folium.Map`, it puts the month control, the group toggles (legend), the events panel and
the time-sliced records on that map, beside the map's own layers. Its data reaches the page
only through `tojson`, as one JSON data block; our JS and CSS (`static/`) are inlined once
per page; Leaflet is the host map's own, never a second copy.

The built map (`render.py`) is this same element on a `BareMap`, carrying Leaflet itself
(`leaflet="inline"` or `"cdn"`) and opening as the page does (`opening_month=True`).

`explore(gdf, date=...)` is the one-call version: an `OfflineMap` (a `folium.Map` that
inlines the pinned Leaflet instead of linking folium's CDN scripts, so a saved map needs no
network apart from its tiles) with a `TimeSlicedLayer` on it.
"""

from __future__ import annotations

import re

import folium
from branca.element import MacroElement
from jinja2.utils import htmlsafe_json_dumps

from .. import i18n
from . import assets, payload
from ..model.dataset import Dataset
from ..model.frame import PALETTE, check_dataset, from_geo_interface, to_dataset
from .assets import Verbatim, _template

ASSETS = "siberia_map_assets"  # header key: one copy of our JS/CSS however many layers
LEAFLET = (None, "inline", "cdn")
COMPRESS = ("never", "always", "auto")
# `L.SiberiaMap.start`'s own defaults (static/SiberiaMap.js): options equal to them are left
# out of the page's call.
START_DEFAULTS = {"fitBounds": True, "zoomSnap": 0.125, "hash": True, "keyboard": True,
                  "openingMonth": True}


class TimeSlicedLayer(MacroElement):
    """Month slider, group toggles, events panel and time-sliced records on a folium map.

    Args:
        data: a `Dataset` (e.g. `siberia_map.load()`), a GeoDataFrame, or any object with
            `__geo_interface__` (points become events; lines and polygons are drawn as such).
        date, start, end, column (or group), cmap, title, popup, tooltip, source: for a
            GeoDataFrame, as in `explore`.
        month, hidden: the month ("1919-06") and the hidden groups (values of the group
            column, or a Dataset's contingent ids) the map opens on; a link's hash wins.
        palette: colours given to the groups in turn (default: Tableau 10).
        fit_bounds: fit the map's view to the data when it opens (default True).
        hash: keep the month and the hidden groups in the URL hash, so a link opens the
            same view (`#1916-07&hide=french`); one layer per page should do this.
        keyboard: Left/Right arrow keys step through the months.
        zoom_snap: set the map's zoomSnap (None leaves the map's own).
        lang: the languages of the interface: "ru", "en,ru,fr" or a list, the first the
            one it opens in (a link's `#lang=` may choose another it holds); default all
            five (en, ru, fr, cs, ja), English first.
        opening_month: without a month in the address or `month`, open on the first month
            whose events name three contingents, as the built map does (default False: the
            first month).
        leaflet: where Leaflet comes from: None (default) the host map's own (folium's CDN
            link, or `OfflineMap`'s inlined copy); "inline" the pinned Leaflet inside this
            layer's assets, for a map that carries none (`BareMap`: the built page); "cdn"
            the pinned CDN files with Subresource Integrity.
        compress: "never" (default), "always" or "auto" (above `assets.COMPRESS_ABOVE`
            bytes of JSON): embed the data gzipped and base64-encoded (the page inflates it
            with `DecompressionStream`, and `L.SiberiaMap.start` returns a Promise).
        data_id: the id of the page's data block (default: the layer's name + `_data`).

    Use it as any folium element: `TimeSlicedLayer(gdf, date="date").add_to(m)`. In the
    browser, `window.siberiaMap` is its API (months(), setMonth("1916-07"), contingents(),
    setContingentVisible(id, bool), visible()): see the README.
    """

    _template = _template("time_sliced_layer.html")

    def __init__(self, data, *, date: str | None = None, start: str | None = None,
                 end: str | None = None, group: str | None = None, column: str | None = None,
                 cmap=None, title: str | None = None, popup=None, tooltip=None,
                 source: str | None = None, month: str | None = None, hidden=None,
                 palette=PALETTE, fit_bounds: bool = True, hash: bool = True,
                 keyboard: bool = True, zoom_snap: float | None = None, lang=None,
                 opening_month: bool = False, leaflet: str | None = None,
                 compress: str = "never", data_id: str | None = None):
        super().__init__()
        self._name = "TimeSlicedLayer"
        if column is not None and group is not None and column != group:
            raise TypeError("column= and group= name the same thing; give one")
        if leaflet not in LEAFLET:
            raise ValueError(f"leaflet={leaflet!r}: one of None, 'inline', 'cdn'")
        if compress not in COMPRESS:
            raise ValueError(f"compress={compress!r}: one of {', '.join(COMPRESS)}")
        group = group if group is not None else column
        langs = i18n.parse(lang)
        if isinstance(data, Dataset):
            for name, value in (("date", date), ("start", start), ("end", end),
                                ("group/column", group), ("cmap", cmap), ("tooltip", tooltip)):
                if value is not None:
                    raise TypeError(f"{name}= is for a GeoDataFrame; a Dataset has its own")
            check_dataset(data)
            ds = data
        else:
            if date is None and start is None and end is None:
                raise TypeError("TimeSlicedLayer(gdf, date=...) needs the name of the date "
                                "column (or start= and end=)")
            ds = to_dataset(data, date=date, start=start, end=end, group=group, title=title,
                            popup=popup, source=source, palette=palette, cmap=cmap,
                            tooltip=tooltip)
        self.dataset = ds
        self.payload = payload.build(ds, langs)
        if ds.meta.get("group_label"):  # the legend's title; without it, "Contingents"
            self.payload["group_label"] = ds.meta["group_label"]
        self.start_options = {"fitBounds": bool(fit_bounds), "hash": bool(hash),
                              "keyboard": bool(keyboard), "zoomSnap": zoom_snap,
                              "openingMonth": bool(opening_month),
                              **opening_view(ds, month, hidden)}
        self._data_id = data_id
        self._embed(compress)
        self._assets(leaflet)

    def _embed(self, compress: str) -> None:
        # Serialised once, piece by piece (a million records' JSON would be one gigabyte
        # string): the page takes the text (what `tojson` would write: the same dumps, then
        # Jinja's escaping of <, >, & and ') or its gzip; the sizes are measured on it.
        text, self.compressed, self.json_bytes = assets._serialise(self.payload, compress)
        self.payload_json = "" if self.compressed else htmlsafe_json_dumps(
            None, dumps=lambda _obj, **_kwargs: text)

    def _assets(self, leaflet: str | None) -> None:
        own_js, own_css = assets.own_assets()
        self.js_links, self.css_links, self.js_inline, self.css_inline = [], [], [], []
        self.sizes = {"leaflet": 0, "own_js_css": sum(len(a.text.encode())
                                                      for a in own_js + own_css)}
        if leaflet is not None:
            # Linked, its images stay the CDN's; inlined, they come as data: URLs.
            js, css = assets.leaflet_js(), assets.leaflet_css(inline_images=leaflet == "inline")
            if leaflet == "cdn":
                self.js_links = [{"url": js.cdn_url, "integrity": js.sri}]
                self.css_links = [{"url": css.cdn_url, "integrity": css.sri}]
            else:
                self.js_inline, self.css_inline = [js.text], [css.text]
                self.sizes["leaflet"] = len(js.text.encode()) + len(css.text.encode())
        # An HTML parser turns CRLF into LF before a browser hashes a script for the CSP,
        # so the page carries LF only and the hashes computed for it are the browser's.
        self.js_inline = [t.replace("\r\n", "\n") for t in self.js_inline + [a.text for a in own_js]]
        self.css_inline = [t.replace("\r\n", "\n") for t in self.css_inline + [a.text for a in own_css]]

    @property
    def data_id(self) -> str:
        return self._data_id or f"{self.get_name()}_data"

    @property
    def start_call(self) -> dict:
        """The start options the page passes: those that differ from `L.SiberiaMap.start`'s
        own defaults (none, for the built map)."""
        return {k: v for k, v in self.start_options.items()
                if k not in START_DEFAULTS or START_DEFAULTS[k] != v}

    def render(self, **kwargs) -> None:
        # Verbatim: branca would read each part as a Jinja template again (data containing
        # '{{ ... }}' would be evaluated); ours are rendered exactly once.
        figure = self.get_root()
        module = self._template.module
        figure.header.add_child(Verbatim(module.header(self, kwargs)), name=ASSETS)
        figure.html.add_child(Verbatim(module.html(self, kwargs)), name=f"{self.get_name()}_html")
        figure.script.add_child(Verbatim(module.script(self, kwargs)),
                                name=f"{self.get_name()}_script")


class BareMap(folium.Map):
    """A folium Map without folium's default CDN scripts (jQuery, Bootstrap, Font Awesome...)."""

    default_js: list = []
    default_css: list = []


class OfflineMap(folium.Map):
    """A `folium.Map` that inlines the pinned Leaflet 1.9.4 and links no CDN scripts.

    folium's own map links Leaflet, jQuery and Bootstrap from CDNs; this one carries Leaflet
    (from the `django-js-lib-leaflet` wheel, checked against its sha256) in the page, so a
    saved map opens offline (tiles aside). Plugins added to it still link their own assets.
    """

    default_js: list = []
    default_css: list = []

    def render(self, **kwargs):
        figure = self.get_root()
        css = assets.leaflet_css(inline_images=True).text
        js = assets.leaflet_js().text
        # Named like folium's own Leaflet link, so a page never holds two Leaflets.
        figure.header.add_child(Verbatim(f"<style>{css}</style>"), name="leaflet_css")
        figure.header.add_child(Verbatim(f"<script>{js}</script>"), name="leaflet")
        super().render(**kwargs)


def opening_view(ds, month, hidden) -> dict:
    """`{"month": ..., "hidden": [ids]}` for the page, checked against the data; ValueError
    naming the value and what was expected. A hidden group is named by its value (the
    toggle's name) or its id."""
    out = {}
    group_ids = {**{str(n): i for n, i in zip(ds.contingents["name"], ds.contingents["id"])},
                 **{str(i): i for i in ds.contingents["id"]}}
    if month is not None:
        key = _month_key(month)
        if key not in ds.months:
            raise ValueError(f"month={month!r}: expected a month of the data, YYYY-MM from "
                             f"{ds.months[0]} to {ds.months[-1]}")
        out["month"] = key
    if hidden is not None:
        values = [hidden] if isinstance(hidden, str) else list(hidden)
        ids = []
        for v in values:
            gid = group_ids.get(str(v))
            if gid is None:
                raise ValueError(f"hidden={v!r}: not a group of the map; one of "
                                 + ", ".join(map(str, ds.contingents["name"])))
            ids.append(gid)
        out["hidden"] = ids
    return out


def _month_key(month) -> str:
    """"1919-06" (or a day of it, "1919-06-15"), or a date/timestamp, as "YYYY-MM"; anything
    else as given, to be refused."""
    if hasattr(month, "year") and hasattr(month, "month"):
        return f"{month.year:04d}-{month.month:02d}"
    text = str(month).strip()
    return text[:7] if re.match(r"^\d{4}-\d{2}(-\d{2})?$", text) else text


def explore(gdf, *, date: str | None = None, start: str | None = None, end: str | None = None,
            column: str | None = None, group: str | None = None, cmap=None,
            title: str | None = None, popup=None, tooltip=None, source: str | None = None,
            month: str | None = None, hidden=None, m: folium.Map | None = None,
            tiles: str | None = "OpenStreetMap", lang=None, **options) -> folium.Map:
    """A time-sliced map of any dated GeoDataFrame, called as geopandas' `explore`.

    Every row is a record shown in each calendar month its date touches (`1916-07-01`,
    `1916-07-01/1916-11-18`, `1916-22` for summer 1916, `1916-07~` for about July 1916;
    dates before 1970 are fine). Points become events (a symbol, a line in the events
    panel); lines and polygons are drawn as such. The frame is reprojected to WGS84.

    Args:
        gdf: a GeoDataFrame with a CRS, a `siberia_map.Dataset`, or any object with
            `__geo_interface__` (its features, in longitude/latitude).
        date: the column of EDTF strings (dates and timestamps are taken as their day);
            or instead
        start, end: columns of datetimes, date strings or EDTF dates: each row from the
            month of its start to the month of its end (no end: its start's month).
        column: the column whose values become toggles, one colour each, in a legend titled
            after the column (`group` is the same); None puts every row in one group.
        cmap: the colours: `{value: colour}`, a list of colours, or a matplotlib colormap
            name (default: Tableau 10).
        title: the map's title.
        popup: the column, or list of columns, shown in a record's popup; the first is its
            heading (and its line in the events panel). Default: the first of `title`,
            `name`, `label`, `event`, then `description`.
        tooltip: the column, or list of columns, shown when the pointer is on a record.
        source: the column citing each row's source (default: `source` if present).
            A `where` column, if present, names each row's place in its popup.
        month: the month the map opens on ("1919-06", or a date); default the first.
        hidden: values of `column` whose records start hidden (toggled off).
        m: a `folium.Map` to draw on (its tiles, its layers); default a new `OfflineMap`.
        tiles: the new map's folium tiles (None for none).
        lang: the interface's languages: "ru", "en,ru,fr" or a list (see TimeSlicedLayer).
        **options: passed to `TimeSlicedLayer` (palette, fit_bounds, hash, keyboard).

    Returns the `folium.Map` (`m` when given): it shows inline in Jupyter and writes a file
    with `.save(path)`. Raises `siberia_map.DataError` listing every problem (missing
    column, a row's bad date or geometry, no CRS), each naming the row and value.
    """
    data = gdf
    if not isinstance(gdf, Dataset) and not hasattr(gdf, "geometry") \
            and hasattr(gdf, "__geo_interface__"):
        data = from_geo_interface(gdf)
    layer = TimeSlicedLayer(data, date=date, start=start, end=end, group=group, column=column,
                            cmap=cmap, title=title, popup=popup, tooltip=tooltip, source=source,
                            month=month, hidden=hidden, lang=lang,
                            **{"zoom_snap": 0.25, **options})
    if m is None:
        (s, w), (n, e) = layer.dataset.bounds
        m = OfflineMap(location=[(s + n) / 2, (w + e) / 2], zoom_start=4, tiles=tiles,
                       control_scale=True, prefer_canvas=True)
    layer.add_to(m)
    return m

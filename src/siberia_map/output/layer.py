"""The time-sliced map as a folium plugin, and `explore` for any dated GeoDataFrame.

`TimeSlicedLayer` is a folium `MacroElement` in the style of folium's plugins: added to any
`folium.Map`, it puts the month control, the group toggles (legend), the events panel and
the time-sliced records on that map, beside the map's own layers. Its data reaches the page
only through `tojson`, as one JSON data block; our JS and CSS (`static/`) are inlined once
per page; Leaflet is the host map's own, never a second copy.

`explore(gdf, date=...)` is the one-call version: an `OfflineMap` (a `folium.Map` that
inlines the pinned Leaflet instead of linking folium's CDN scripts, so a saved map needs no
network apart from its tiles) with a `TimeSlicedLayer` on it.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement

from . import assets, payload
from ..model.dataset import Dataset
from ..model.frame import PALETTE, to_dataset
from .render import Verbatim, _template

ASSETS = "siberia_map_assets"  # header key: one copy of our JS/CSS however many layers


class TimeSlicedLayer(MacroElement):
    """Month slider, group toggles, events panel and time-sliced records on a folium map.

    Args:
        data: a `Dataset` (e.g. `siberia_map.load()`) or a GeoDataFrame whose `date` column
            holds EDTF strings (points become events; lines and polygons are drawn as such).
        date, group, title, popup, source: for a GeoDataFrame, as in `explore`.
        palette: colours given to the groups in turn (default: Tableau 10).
        fit_bounds: fit the map's view to the data when it opens (default True).
        hash: keep the month and the hidden groups in the URL hash, so a link opens the
            same view (`#1916-07&hide=french`); one layer per page should do this.
        keyboard: Left/Right arrow keys step through the months.
        zoom_snap: set the map's zoomSnap (None leaves the map's own).

    Use it as any folium element: `TimeSlicedLayer(gdf, date="date").add_to(m)`. In the
    browser, `window.siberiaMap` is its API (months(), setMonth("1916-07"), contingents(),
    setContingentVisible(id, bool), visible()): see the README.
    """

    _template = _template("time_sliced_layer.html")

    def __init__(self, data, *, date: str | None = None, group: str | None = None,
                 title: str | None = None, popup=None, source: str | None = None,
                 palette=PALETTE, fit_bounds: bool = True, hash: bool = True,
                 keyboard: bool = True, zoom_snap: float | None = None):
        super().__init__()
        self._name = "TimeSlicedLayer"
        if isinstance(data, Dataset):
            if date is not None or group is not None:
                raise TypeError("date= and group= are for a GeoDataFrame; a Dataset has them")
            ds = data
        else:
            if date is None:
                raise TypeError("TimeSlicedLayer(gdf, date=...) needs the name of the date "
                                "column")
            ds = to_dataset(data, date=date, group=group, title=title, popup=popup,
                            source=source, palette=palette)
        self.dataset = ds
        self.payload = payload.build(ds)
        self.payload["group_label"] = ds.meta.get("group_label", "")
        # (A layer on someone else's map starts at its first month, as it always has.)
        self.start_options = {"fitBounds": bool(fit_bounds), "hash": bool(hash),
                              "keyboard": bool(keyboard), "zoomSnap": zoom_snap,
                              "openingMonth": False}
        own_js, own_css = assets.own_assets()
        # An HTML parser turns CRLF into LF; keep the page as the browser will see it.
        self.js_inline = [a.text.replace("\r\n", "\n") for a in own_js]
        self.css_inline = [a.text.replace("\r\n", "\n") for a in own_css]

    @property
    def data_id(self) -> str:
        return f"{self.get_name()}_data"

    def render(self, **kwargs) -> None:
        # Verbatim: branca would read each part as a Jinja template again (data containing
        # '{{ ... }}' would be evaluated); ours are rendered exactly once.
        figure = self.get_root()
        module = self._template.module
        figure.header.add_child(Verbatim(module.header(self, kwargs)), name=ASSETS)
        figure.html.add_child(Verbatim(module.html(self, kwargs)), name=f"{self.get_name()}_html")
        figure.script.add_child(Verbatim(module.script(self, kwargs)),
                                name=f"{self.get_name()}_script")


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


def explore(gdf, *, date: str, group: str | None = None, title: str | None = None,
            popup=None, source: str | None = None, tiles: str | None = "OpenStreetMap",
            **options) -> folium.Map:
    """A time-sliced map of any GeoDataFrame whose `date` column holds EDTF strings.

    Every row is a record shown in each calendar month its date touches (`1916-07-01`,
    `1916-07-01/1916-11-18`, `1916-22` for summer 1916, `1916-07~` for about July 1916;
    dates before 1970 are fine). Points become events (a symbol, a line in the events
    panel); lines and polygons are drawn as such. The frame is reprojected to WGS84.

    Args:
        gdf: a GeoDataFrame with a CRS.
        date: the column of EDTF strings (dates and timestamps are taken as their day).
        group: the column whose values become toggles, one colour each, in a legend titled
            after the column; None puts every row in one group.
        title: the map's title.
        popup: the column, or list of columns, shown in a record's popup; the first is its
            heading (and its line in the events panel). Default: the first of `title`,
            `name`, `label`, `event`, then `description`.
        source: the column citing each row's source (default: `source` if present).
            A `where` column, if present, names each row's place in its popup.
        tiles: folium tiles under the records (None for none).
        **options: passed to `TimeSlicedLayer` (palette, fit_bounds, hash, keyboard).

    Returns a `folium.Map`: it shows inline in Jupyter and writes a file with `.save(path)`.
    Raises `siberia_map.DataError` listing every problem (missing column, a row's bad date
    or geometry, no CRS), each naming the row and value.
    """
    layer = TimeSlicedLayer(gdf, date=date, group=group, title=title, popup=popup,
                            source=source, **{"zoom_snap": 0.25, **options})
    (s, w), (n, e) = layer.dataset.bounds
    m = OfflineMap(location=[(s + n) / 2, (w + e) / 2], zoom_start=4, tiles=tiles,
                   control_scale=True, prefer_canvas=True)
    layer.add_to(m)
    return m

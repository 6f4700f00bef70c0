"""Render the joined data set as one self-contained HTML page, with folium as the frame.

folium builds the Leaflet map, the tile base layers and their switcher; our one folium
element, `TimeSlicedLayer` (layer.py), carries the payload (through `tojson` into a JSON
data block), Leaflet (inline, or linked from the pinned CDN with `--cdn`) and our own
JS/CSS. Nothing from the data is concatenated into HTML or JS. The page gets a strict
Content-Security-Policy that allows scripts only by their sha256, and every element id is
fixed so the same input gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

import folium
from branca.element import Figure

from .. import i18n
from . import assets
from .layer import BareMap, TimeSlicedLayer
from .assets import _json_text, _template
from ..model.dataset import Dataset
from .files.outputs import write_atomic  # noqa: F401  (the map's writer, kept importable here)

DATA_ID = "siberia-map-data"
TILE_HOSTS = ("https://tile.openstreetmap.org", "https://*.tile.opentopomap.org")
_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
_STYLE = re.compile(r"<style>(?P<body>.*?)</style>", re.S)


class Page(Figure):
    """The HTML document: a language, a UTF-8 charset, an escaped title and a CSP slot."""

    _template = _template("page.html")

    def __init__(self, title: str, lang: str = "en"):
        super().__init__(title=title)
        self._id = "page"
        self.lang = lang
        self.csp_placeholder = "<!--CSP-->"
        self.header._children.clear()  # folium's http-equiv charset duplicates ours


@dataclass
class Rendered:
    html: str
    sizes: dict = field(default_factory=dict)


def render(ds: Dataset, cdn: bool = False, compress: str = "auto",
           lang: tuple[str, ...] = i18n.DEFAULT) -> Rendered:
    """The page for `ds`. `compress`: "auto" (gzip the payload above
    assets.COMPRESS_ABOVE bytes), "always" or "never"; `lang`: the languages it holds
    (`i18n.parse`), its own first."""
    page = Page(title=ds.title, lang=lang[0])
    (s, w), (n, e) = ds.bounds
    m = BareMap(location=[(s + n) / 2, (w + e) / 2], zoom_start=4, tiles=None,
                control_scale=True, prefer_canvas=True, zoom_control=True)
    m._id = "siberia"
    page.add_child(m, name="map")
    _base_layers(m, lang[0])
    # The page's own opening: JS's defaults throughout, so the call passes no options.
    layer = TimeSlicedLayer(ds, zoom_snap=0.125, opening_month=True,
                            leaflet="cdn" if cdn else "inline", compress=compress,
                            data_id=DATA_ID, lang=lang)
    layer._id = "main"
    m.add_child(layer, name="siberia_map")
    html = page.render()
    html = html.replace("<!--CSP-->", _csp_meta(html, cdn), 1)
    sizes = dict(layer.sizes)
    basemap = len(_json_bytes(layer.payload.get("basemap", {})))
    embedded = len(layer.compressed) if layer.compressed else layer.json_bytes
    sizes["basemap"] = round(basemap * embedded / layer.json_bytes)
    sizes["data"] = embedded - sizes["basemap"]
    sizes["compressed"] = bool(layer.compressed)
    sizes["total"] = len(html.encode("utf-8"))
    return Rendered(html, sizes)


def _json_bytes(obj) -> bytes:
    return _json_text(obj).encode()


def _base_layers(m: folium.Map, lang: str) -> None:
    # The embedded Natural Earth basemap is drawn by our JS under the tile pane, so an
    # online layer covers it when its tiles load and it shows through when they fail.
    offline = folium.FeatureGroup(name=i18n.t(lang, "base.offline"), overlay=False,
                                  show=True)
    osm = folium.TileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                           name=i18n.t(lang, "base.osm"), overlay=False,
                           show=False, max_zoom=18,
                           attr="&copy; OpenStreetMap contributors")
    topo = folium.TileLayer("https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
                            name=i18n.t(lang, "base.topo"), overlay=False, show=False,
                            max_zoom=17,
                            attr="&copy; OpenStreetMap contributors, SRTM; style &copy; "
                                 "OpenTopoMap (CC-BY-SA)")
    for i, layer in enumerate((offline, osm, topo)):
        layer._id = f"base{i}"
        m.add_child(layer)
    # Bottom right, above the zoom buttons: the top right corner is the side sheet's.
    control = folium.LayerControl(position="bottomright", collapsed=True)
    control._id = "baselayers"
    m.add_child(control)


def _csp_meta(html: str, cdn: bool) -> str:
    """Allow exactly the scripts and styles in this page, by hash; nothing may connect out."""
    # The data block is inert and can be tens of MB: cut it out before scanning for scripts.
    start = html.rfind("<script", 0, html.find(f'id="{DATA_ID}"'))
    if start >= 0:
        html = html[:start] + html[html.find("</script>", start) + len("</script>"):]
    scripts = sorted({_sha(m.group("body")) for m in _SCRIPT.finditer(html)
                      if "src=" not in m.group("attrs") and f'id="{DATA_ID}"' not in m.group("attrs")})
    styles = sorted({_sha(m.group("body")) for m in _STYLE.finditer(html)})
    script_src = " ".join(f"'{h}'" for h in scripts) + (f" {assets.CDN}/" if cdn else "")
    policy = "; ".join([
        "default-src 'none'",
        f"script-src {script_src}",
        # Leaflet positions tiles and markers through the CSSOM (element.style), which
        # a hash-only style-src still allows; <style> elements need their hash.
        "style-src " + " ".join(f"'{h}'" for h in styles) + (f" {assets.CDN}/" if cdn else ""),
        "img-src data: " + " ".join(TILE_HOSTS),
        "connect-src 'none'",
        "font-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()

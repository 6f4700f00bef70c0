"""Render the joined data set as one self-contained HTML page, with folium as the frame.

folium builds the Leaflet map, the tile base layers and their switcher; our `SiberiaMap`
element carries the payload (through `tojson` into a JSON data block), Leaflet and our own
JS/CSS. Nothing from the data is concatenated into HTML or JS. The page gets a strict
Content-Security-Policy that allows scripts only by their sha256, and every element id is
fixed so the same input gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from importlib import resources

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Environment
from jinja2.utils import htmlsafe_json_dumps

from .. import i18n
from . import assets, payload
from ..model.dataset import Dataset
from .files.outputs import write_atomic  # noqa: F401  (the map's writer, kept importable here)

DATA_ID = "siberia-map-data"
# Above this many bytes of JSON the payload is embedded gzipped (the browser inflates it with
# DecompressionStream); below it stays plain JSON, readable in any browser and any editor.
COMPRESS_ABOVE = 2_000_000
TILE_HOSTS = ("https://tile.openstreetmap.org", "https://*.tile.opentopomap.org")
_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
_STYLE = re.compile(r"<style>(?P<body>.*?)</style>", re.S)


def _template(name: str):
    env = Environment(autoescape=False, keep_trailing_newline=True)
    # Compact, key-sorted JSON: smaller files and byte-identical builds.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":"),
                                         "ensure_ascii": False, "allow_nan": False}
    text = (resources.files("siberia_map") / "templates" / name).read_text(encoding="utf-8")
    return env.from_string(text)


class Page(Figure):
    """The HTML document: a language, a UTF-8 charset, an escaped title and a CSP slot."""

    _template = _template("page.html")

    def __init__(self, title: str, lang: str = "en"):
        super().__init__(title=title)
        self._id = "page"
        self.lang = lang
        self.csp_placeholder = "<!--CSP-->"
        self.header._children.clear()  # folium's http-equiv charset duplicates ours


class BareMap(folium.Map):
    """A folium Map without folium's default CDN scripts (jQuery, Bootstrap, Font Awesome...)."""

    default_js: list = []
    default_css: list = []


class Verbatim(Element):
    """Already-rendered text that goes into the page as it is.

    branca wraps each macro's output in a new `Element`, whose template parses the text as
    Jinja again: data containing `{{ 7*7 }}` would show `49`, and `{% ... %}` could break
    the build or run at build time. Our parts are rendered exactly once.
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class SiberiaMap(MacroElement):
    """Payload, Leaflet and our JS/CSS; starts `L.SiberiaMap` on its parent map."""

    _template = _template("siberia_map.html")

    def __init__(self, data: dict, cdn: bool = False, compressed: str = "", text: str | None = None):
        """`text`: `data` already serialised by `_json_text` (the page then serialises the
        payload once); `compressed`: its gzip+base64 form, embedded instead."""
        super().__init__()
        self._name = "SiberiaMap"
        self._id = "main"
        self.payload = data
        self.compressed = compressed
        if text is None and not compressed:
            text = _json_text(data)
        # What `tojson` would write (the same dumps, then Jinja's own escaping of <, >, &
        # and '), from the text already made.
        self.payload_json = "" if compressed else htmlsafe_json_dumps(
            None, dumps=lambda _obj, **_kwargs: text)
        self.data_id = DATA_ID
        own_js, own_css = assets.own_assets()
        leaflet_js, leaflet_css = assets.leaflet_js(), assets.leaflet_css(inline_images=not cdn)
        if cdn:
            self.js_links = [{"url": leaflet_js.cdn_url, "integrity": leaflet_js.sri}]
            self.css_links = [{"url": leaflet_css.cdn_url, "integrity": leaflet_css.sri}]
            self.js_inline = [a.text for a in own_js]
            self.css_inline = [a.text for a in own_css]
        else:
            self.js_links, self.css_links = [], []
            self.js_inline = [leaflet_js.text] + [a.text for a in own_js]
            self.css_inline = [leaflet_css.text] + [a.text for a in own_css]
        # An HTML parser turns CRLF into LF before a browser hashes a script for the CSP,
        # so the page carries LF only and the hashes we compute are the browser's.
        self.js_inline = [t.replace("\r\n", "\n") for t in self.js_inline]
        self.css_inline = [t.replace("\r\n", "\n") for t in self.css_inline]
        self.sizes = {
            "leaflet": sum(len(a.text.encode()) for a in (leaflet_js, leaflet_css)) if not cdn else 0,
            "own_js_css": sum(len(a.text.encode()) for a in own_js + own_css),
        }

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = getattr(module, part)
            getattr(figure, part).add_child(Verbatim(macro(self, kwargs)),
                                            name=f"{self.get_name()}_{part}")


@dataclass
class Rendered:
    html: str
    sizes: dict = field(default_factory=dict)


def render(ds: Dataset, cdn: bool = False, compress: str = "auto",
           lang: tuple[str, ...] = i18n.DEFAULT) -> Rendered:
    """The page for `ds`. `compress`: "auto" (gzip the payload above COMPRESS_ABOVE bytes),
    "always" or "never"; `lang`: the languages it holds (`i18n.parse`), its own first."""
    data = payload.build(ds, lang)
    text, packed, length = _serialise(data, compress)
    page = Page(title=ds.title, lang=lang[0])
    (s, w), (n, e) = ds.bounds
    m = BareMap(location=[(s + n) / 2, (w + e) / 2], zoom_start=4, tiles=None,
                control_scale=True, prefer_canvas=True, zoom_control=True)
    m._id = "siberia"
    page.add_child(m, name="map")
    _base_layers(m, lang[0])
    element = SiberiaMap(data, cdn=cdn, compressed=packed, text=None if packed else text)
    m.add_child(element, name="siberia_map")
    html = page.render()
    html = html.replace("<!--CSP-->", _csp_meta(html, cdn), 1)
    sizes = dict(element.sizes)
    basemap = len(_json_bytes(data.get("basemap", {})))
    embedded = len(packed) if packed else length
    sizes["basemap"] = round(basemap * embedded / length)
    sizes["data"] = embedded - sizes["basemap"]
    sizes["compressed"] = bool(packed)
    sizes["total"] = len(html.encode("utf-8"))
    return Rendered(html, sizes)


def _serialise(data: dict, compress: str) -> tuple[str | None, str, int]:
    """(JSON text or None, its gzip+base64 form or "", its length in UTF-8 bytes).

    The JSON is made and compressed piece by piece (`_pieces`), the same bytes as one
    `_json_text` and one `gzip.compress`: at a million records one string of it ran to
    a gigabyte, its UTF-8 copy half that again. The pieces are kept only while the payload
    may still be embedded as it is ("never", or "auto" up to COMPRESS_ABOVE bytes)."""
    # wbits 31: a gzip stream; its header's mtime is 0, as gzip.compress(mtime=0) writes it,
    # so builds stay byte-identical. base64 keeps the block inert text.
    z = zlib.compressobj(6, zlib.DEFLATED, 31) if compress != "never" else None
    kept: list[bytes] | None = []
    packed: list[bytes] = []
    length = 0
    for piece in _pieces(data):
        chunk = piece.encode()
        length += len(chunk)
        if z is not None:
            packed.append(z.compress(chunk))
        if kept is not None:
            kept.append(chunk)
            if compress == "always" or (compress == "auto" and length > COMPRESS_ABOVE):
                kept = None
    if kept is not None:
        return b"".join(kept).decode(), "", length
    packed.append(z.flush())
    return None, base64.b64encode(b"".join(packed)).decode(), length


# Lists longer than this are written a slice at a time (`_pieces`).
SLICE = 10_000


def _pieces(obj, depth: int = 3):
    """`_json_text(obj)` in consecutive pieces: objects (to `depth` levels) key by key in
    sorted order, long lists a slice at a time, everything else whole."""
    if depth and isinstance(obj, dict) and all(isinstance(k, str) for k in obj):
        yield "{"
        for i, key in enumerate(sorted(obj)):
            yield ("," if i else "") + _json_text(key) + ":"
            yield from _pieces(obj[key], depth - 1)
        yield "}"
    elif isinstance(obj, list) and len(obj) > SLICE:
        yield "["
        for start in range(0, len(obj), SLICE):
            yield ("," if start else "") + _json_text(obj[start:start + SLICE])[1:-1]
        yield "]"
    else:
        yield _json_text(obj)


def _json_text(obj) -> str:
    # Strict RFC 8259: the browser's JSON.parse refuses NaN and Infinity. The same options
    # as `tojson` in the templates (see _template).
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


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

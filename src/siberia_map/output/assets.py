"""Third-party and own browser assets, read from installed packages and pinned by sha256,
and the page's templates.

Leaflet comes from the PyPI wheel `django-js-lib-leaflet` 1.9.4.1, byte-identical to npm's
`leaflet@1.9.4` `dist/`, so a pip install is all a user needs. Every third-party file is
checked against its pinned digest before it is inlined; a mismatch is an error, never a
silently different map.

Every template of the page (`templates/`) is read through `_template`, whose `tojson`
writes compact, key-sorted, strict JSON (so builds are byte-identical and the browser's
`JSON.parse` never meets NaN); `_json_text` is that same serialisation for text made once
outside a template, and `_serialise` makes it (gzipped when asked) piece by piece for
a payload of any size; `Verbatim` puts rendered text into the page as it is.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from branca.element import Element
from jinja2 import Environment

# Above this many bytes of JSON, `compress="auto"` embeds the payload gzipped (the browser
# inflates it with DecompressionStream); below it stays plain JSON, readable anywhere.
COMPRESS_ABOVE = 2_000_000
# Deflate's level for a gzipped payload: 4 takes half the time of the default 6 for about 9 %
# more bytes (100,000 synthetic records: 0.28 s against 0.60, 5.6 MB against 5.15), and at a
# million records compressing was 4-5 s of a build that must stay within a minute.
GZIP_LEVEL = 4
# Lists longer than this are written a slice at a time (`_pieces`).
SLICE = 10_000
# What `_narrow` escapes in a gzipped payload, and the escapes it has written.
_WIDE = re.compile("[^\x00-\xff]")
_ESCAPED: dict[str, str] = {}

LEAFLET_VERSION = "1.9.4"
CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"
PINNED = {
    "leaflet.js": "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a",
    "leaflet.css": "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6",
    "images/layers.png": "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
    "images/layers-2x.png": "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
    "images/marker-icon.png": "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
    "images/marker-icon-2x.png": "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528",
    "images/marker-shadow.png": "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da",
}


class AssetError(RuntimeError):
    """A pinned asset is missing or differs from its pinned digest."""


@dataclass(frozen=True)
class Asset:
    name: str
    text: str
    sha256: str

    @property
    def sri(self) -> str:
        digest = hashlib.sha384(self.text.encode("utf-8")).digest()
        return "sha384-" + base64.b64encode(digest).decode("ascii")

    @property
    def cdn_url(self) -> str:
        return f"{CDN}/{self.name}"


def leaflet_dir() -> Path:
    spec = find_spec("js_lib_leaflet")
    if spec is None or not spec.origin:
        raise AssetError("Leaflet is missing: pip install django-js-lib-leaflet==1.9.4.1")
    return Path(spec.origin).parent / "static" / "js_lib_leaflet"


def _pinned_bytes(name: str) -> bytes:
    path = leaflet_dir() / name
    if not path.is_file():
        raise AssetError(f"Leaflet file {path} is missing")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != PINNED[name]:
        raise AssetError(f"{path}: sha256 {digest} differs from the pinned {PINNED[name]}")
    return data


def leaflet_js() -> Asset:
    data = _pinned_bytes("leaflet.js")
    return Asset("leaflet.js", data.decode("utf-8"), PINNED["leaflet.js"])


def leaflet_css(inline_images: bool = True) -> Asset:
    """leaflet.css; its `images/...` URLs become data: URIs so the file needs nothing else."""
    data = _pinned_bytes("leaflet.css")
    text = data.decode("utf-8")
    if inline_images:
        def data_uri(match: re.Match) -> str:
            png = _pinned_bytes("images/" + match.group(1))
            return "url(data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"
        text = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, text)
    return Asset("leaflet.css", text, PINNED["leaflet.css"])


def own_assets() -> tuple[list[Asset], list[Asset]]:
    """Our JS and CSS from `static/`, in the order `static/manifest.json` gives."""
    static = resources.files("siberia_map") / "static"
    manifest = json.loads((static / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for kind in ("js", "css"):
        files = []
        for name in manifest[kind]:
            text = (static / name).read_text(encoding="utf-8")
            files.append(Asset(name, text, hashlib.sha256(text.encode("utf-8")).hexdigest()))
        out.append(files)
    return out[0], out[1]


# ------------------------------------------------------------------------------ templates
def _template(name: str):
    env = Environment(autoescape=False, keep_trailing_newline=True)
    # Compact, key-sorted JSON: smaller files and byte-identical builds.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":"),
                                         "ensure_ascii": False, "allow_nan": False}
    text = (resources.files("siberia_map") / "templates" / name).read_text(encoding="utf-8")
    return env.from_string(text)


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


def _json_text(obj) -> str:
    # Strict RFC 8259: the browser's JSON.parse refuses NaN and Infinity. The same options
    # as `tojson` in the templates (see _template).
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _serialise(data: dict, compress: str) -> tuple[str | None, str, int]:
    """(JSON text or None, its gzip+base64 form or "", its length in UTF-8 bytes).

    `compress`: "never", "always" or "auto" (above COMPRESS_ABOVE bytes). The JSON is made
    and compressed piece by piece (`_pieces`), the same bytes as one `_json_text` and one
    `gzip.compress`: at a million records one string of it ran to a gigabyte, its UTF-8
    copy half that again. The pieces are kept only while the payload may still be embedded
    as it is ("never", or "auto" up to COMPRESS_ABOVE bytes)."""
    # wbits 31: a gzip stream; its header's mtime is 0, as gzip.compress(mtime=0) writes it,
    # so builds stay byte-identical. base64 keeps the block inert text.
    z = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31) if compress != "never" else None
    kept: list[bytes] | None = []
    packed: list[bytes] = []
    length = 0
    for piece in _pieces(data):
        chunk = piece.encode()
        length += len(chunk)
        if z is not None:
            narrow = _narrow(piece)
            packed.append(z.compress(chunk if narrow is piece else narrow.encode()))
        if kept is not None:
            kept.append(chunk)
            if compress == "always" or (compress == "auto" and length > COMPRESS_ABOVE):
                kept = None
    if kept is not None:
        return b"".join(kept).decode(), "", length
    packed.append(z.flush())
    return None, base64.b64encode(b"".join(packed)).decode(), length


def _narrow(text: str) -> str:
    """JSON text with every character beyond U+00FF written as its \\u escape: the page
    inflates the gzipped payload into one string, which the browser stores at a byte a
    character only if no character in it is wider (one Cyrillic name anywhere, and 240 MB
    of a million records' JSON took twice the memory, half as long again to decode and
    twice as long to parse). Outside its strings JSON is ASCII, so the text stays the same
    JSON value."""
    if text.isascii():
        return text
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return _WIDE.sub(_escape, text)
    return text


def _escape(match: re.Match) -> str:
    # json.dumps's own escape (ensure_ascii): a character beyond U+FFFF as its surrogate pair.
    # Each character's once: a million records' movements alone have tens of thousands of
    # dashes.
    ch = match.group()
    out = _ESCAPED.get(ch)
    if out is None:
        out = _ESCAPED[ch] = json.dumps(ch)[1:-1]
    return out


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

import re

import pytest

from click.testing import CliRunner

from conftest import cli_build
from siberia_map.cli import main
from siberia_map.model.join import prepare
from siberia_map.output import columns
from siberia_map.output.render import render, write_atomic


build = cli_build


def test_build_prints_what_it_wrote(dataset, tmp_path):
    out = tmp_path / "map.html"
    text = build(dataset, out).output
    assert f"wrote {out} (" in text
    assert "places 6, railway segments 3, events 3, presence records 3, months 13" in text
    assert "bytes: leaflet" in text and "basemap" in text and "data" in text


def test_two_builds_are_byte_identical(dataset, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    build(dataset, a)
    build(dataset, b)
    assert a.read_bytes() == b.read_bytes()


# folium's own page assets and moment.js, as they show in a page: linked by file name, or
# inlined with their banner. (Not the bare words: a description may say "at that moment".)
PEER_ASSETS = {
    "jquery": r"jquery[\w.-]*\.js|jQuery v\d",
    "bootstrap": r"bootstrap[\w.-]*\.(?:js|css)|Bootstrap\s+v\d",
    "font-awesome": r"font-?awesome",
    "awesome-markers": r"awesome-?markers",
    "moment": r"moment[\w.-]*\.js|//! moment",
}


def peer_assets(html):
    return {name for name, pattern in PEER_ASSETS.items() if re.search(pattern, html, re.I)}


def test_offline_page_links_nothing_outside(make_dataset):
    from conftest import EVENTS
    said = dict(EVENTS[0], description="At that moment the bootstrap of the garrison began")
    html = render(prepare(make_dataset(events=[said]))).html
    assert "At that moment the bootstrap" in html
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert peer_assets(html) == set()


def test_peer_assets_are_found_in_folium_s_own_page():
    import folium
    html = folium.Map().get_root().render()
    assert peer_assets(html) == {"jquery", "bootstrap", "font-awesome", "awesome-markers"}
    assert peer_assets("<script>//! moment.js\n//! version : 2.18.1</script>") == {"moment"}


def test_csp_allows_exactly_the_inline_scripts(dataset):
    import base64
    import hashlib
    html = render(prepare(dataset)).html
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    assert "connect-src 'none'" in csp and "default-src 'none'" in csp
    scripts = [m.group(2) for m in re.finditer(r"<script( [^>]*)?>(.*?)</script>", html, re.S)
               if "application/json" not in (m.group(1) or "")]
    assert len(scripts) >= 3
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_cdn_variant_links_pinned_leaflet_with_sri(dataset, tmp_path):
    out = tmp_path / "cdn.html"
    build(dataset, out, "--cdn")
    html = out.read_text()
    assert 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js" integrity="sha384-' in html
    assert len(html) < len(render(prepare(dataset)).html) - 100_000


def test_data_is_embedded_once_as_escaped_json(make_dataset):
    from conftest import EVENTS
    evil = dict(EVENTS[0], description="</script><script>alert(1)</script> & 'q'")
    html = render(prepare(make_dataset(events=[evil]))).html
    assert "</script><script>alert(1)" not in html
    assert html.count('id="siberia-map-data"') == 1
    assert "\\u003c/script\\u003e" in html


def test_failed_build_keeps_the_old_map(make_dataset, tmp_path):
    from conftest import EVENTS
    out = tmp_path / "map.html"
    out.write_text("old map")
    root = make_dataset(events=[dict(EVENTS[0], date="not a date")])
    result = CliRunner().invoke(main, ["build", "--data", str(root), "--out", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "old map"
    assert list(tmp_path.glob(".map.html.*")) == []


def test_write_atomic_leaves_nothing_on_error(tmp_path, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("old")

    def boom(*a):
        raise OSError("disk full")
    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(out, "new")
    assert out.read_text() == "old" and list(tmp_path.iterdir()) == [out]


def test_data_is_never_read_as_a_template(make_dataset):
    import json
    from conftest import EVENTS
    text = "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} {# c #}"
    html = render(prepare(make_dataset(events=[dict(EVENTS[0], description=text)]))).html
    data = re.search(r'<script type="application/json" id="siberia-map-data">(.*?)</script>',
                     html, re.S).group(1)
    assert columns.plain(json.loads(data), "events")["text"] == [text]


def test_large_payloads_are_embedded_gzipped(dataset):
    import base64
    import gzip
    import json
    ds = prepare(dataset)
    plain = render(ds, compress="never")
    packed = render(ds, compress="always")
    block = re.search(r'<script type="application/octet-stream" id="siberia-map-data" '
                      r'data-encoding="gzip\+base64">([A-Za-z0-9+/=]+)</script>', packed.html)
    data = json.loads(gzip.decompress(base64.b64decode(block.group(1))))
    assert data["events"]["id"] == ["e-british-landing", "e-us-landing", "e-summer"]
    assert packed.sizes["compressed"] and not plain.sizes["compressed"]
    assert render(ds, compress="always").html == packed.html  # still byte-identical
    assert render(ds).html == plain.html  # small data stays readable JSON by default


def test_written_map_is_readable_by_others(tmp_path):
    import os
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "m.html", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "m.html").stat().st_mode & 0o777 == 0o644


# ------------------------------------------------------------------ one element
def test_the_built_page_is_a_time_sliced_layer_on_a_bare_map(dataset):
    """The page's one element: Leaflet, our assets and the data once each, and a start
    call with no options (the page opens as `L.SiberiaMap.start` does by default)."""
    html = render(prepare(dataset)).html
    assert html.count("Leaflet 1.9.4, a JS library") == 1
    assert html.count("L.SiberiaMap.start(") == 2  # its definition, and the one call
    assert 'L.SiberiaMap.start(map_siberia, "siberia-map-data");' in html


def test_start_call_leaves_out_the_page_defaults(dataset):
    from siberia_map.output.layer import TimeSlicedLayer

    ds = prepare(dataset)
    assert TimeSlicedLayer(ds).start_call == {"zoomSnap": None, "openingMonth": False}
    assert TimeSlicedLayer(ds, zoom_snap=0.125, opening_month=True).start_call == {}
    assert TimeSlicedLayer(ds, hash=False, month="1918-09").start_call == {
        "hash": False, "zoomSnap": None, "openingMonth": False, "month": "1918-09"}


@pytest.mark.parametrize("leaflet,inline,linked", [(None, 0, 0), ("inline", 1, 0), ("cdn", 0, 1)])
def test_layer_carries_leaflet_only_when_asked(dataset, leaflet, inline, linked):
    from siberia_map.output.layer import BareMap, TimeSlicedLayer

    m = BareMap(tiles=None)
    TimeSlicedLayer(prepare(dataset), leaflet=leaflet).add_to(m)
    html = m.get_root().render()
    assert html.count("Leaflet 1.9.4, a JS library") == inline
    assert html.count('leaflet@1.9.4/dist/leaflet.js" integrity="sha384-') == linked


def test_layer_embeds_its_data_gzipped_when_asked(dataset):
    import base64
    import gzip
    import json

    from siberia_map.output.layer import BareMap, TimeSlicedLayer

    layer = TimeSlicedLayer(prepare(dataset), compress="always", data_id="d")
    assert layer.payload_json == ""
    assert json.loads(gzip.decompress(base64.b64decode(layer.compressed))) == layer.payload
    html = layer.add_to(BareMap(tiles=None)).get_root().render()
    assert '<script type="application/octet-stream" id="d" data-encoding="gzip+base64">' in html


@pytest.mark.parametrize("kwargs", [{"leaflet": "unpkg"}, {"compress": "yes"}])
def test_layer_refuses_unknown_leaflet_and_compress(dataset, kwargs):
    from siberia_map.output.layer import TimeSlicedLayer

    with pytest.raises(ValueError, match=next(iter(kwargs))):
        TimeSlicedLayer(prepare(dataset), **kwargs)


@pytest.mark.parametrize("text", ["plain", "caf\u00e9 \u00ff", "\"Omsk \u2013 \u041e\u043c\u0441\u043a\"",
                                  "\\u2013 \U0001f600 \u0100"])
def test_narrow_escapes_only_what_is_wider_than_a_byte(text):
    import json

    from siberia_map.output.assets import _narrow
    obj = {"k": text, "\u043a": [text]}
    narrow = _narrow(json.dumps(obj, ensure_ascii=False))
    assert all(ord(ch) < 256 for ch in narrow)
    assert json.loads(narrow) == obj
    if all(ord(ch) < 256 for ch in text):
        assert text in narrow


@pytest.mark.parametrize("compress, packed", [("never", False), ("auto", True),
                                              ("always", True)])
def test_the_payload_is_serialised_in_pieces_to_the_same_bytes(monkeypatch, compress, packed):
    import base64
    import gzip
    import json

    from siberia_map.output import assets as r
    monkeypatch.setattr(r, "SLICE", 3)
    monkeypatch.setattr(r, "COMPRESS_ABOVE", 40)
    data = {"b": {"z": list(range(10)), "a": ["Omsk \u2013 Taiga", "<&>"] * 4, "m": {"y": [1]}},
            "a": [], "n": {1: "int keys, dumped whole"}, "c": [[1, 2], [3]] * 3, "t": "x"}
    whole = r._json_text(data)
    assert "".join(r._pieces(data)) == whole
    text, b64, length = r._serialise(data, compress)
    assert length == len(whole.encode())
    if packed:
        # Gzipped, every character beyond U+00FF is escaped (assets._narrow): the same JSON.
        narrow = whole.replace("\u2013", "\\u2013")
        assert text is None and gzip.decompress(base64.b64decode(b64)).decode() == narrow
        assert json.loads(narrow) == json.loads(whole)
        assert base64.b64decode(b64) == gzip.compress(narrow.encode(), compresslevel=r.GZIP_LEVEL, mtime=0)
    else:
        assert (text, b64) == (whole, "")

import hashlib

import pytest

from siberia_map.output import assets


@pytest.mark.parametrize("name", sorted(assets.PINNED))
def test_every_third_party_file_matches_its_pin(name):
    data = (assets.leaflet_dir() / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == assets.PINNED[name]


def test_the_leaflet_the_page_inlines_is_npm_leaflet_1_9_4(build_map):
    # The digest of npm's leaflet@1.9.4 dist/leaflet.js, written out here rather than read
    # from assets.PINNED: the text handed to the page must hash to it.
    npm = "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a"
    js = assets.leaflet_js()
    assert hashlib.sha256(js.text.encode("utf-8")).hexdigest() == npm == js.sha256
    assert "Leaflet 1.9.4" in js.text[:500]
    assert js.text in build_map().read_text(encoding="utf-8")


def test_a_changed_file_is_refused(monkeypatch, tmp_path):
    (tmp_path / "leaflet.js").write_text("tampered")
    monkeypatch.setattr(assets, "leaflet_dir", lambda: tmp_path)
    with pytest.raises(assets.AssetError, match="differs from the pinned"):
        assets.leaflet_js()


def test_css_images_become_data_uris():
    css = assets.leaflet_css().text
    assert "url(images/" not in css and "data:image/png;base64," in css


def test_own_assets_follow_the_manifest():
    js, css = assets.own_assets()
    assert js and css
    assert js[-1].name == "SiberiaMap.js"

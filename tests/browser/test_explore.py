"""`explore` and `TimeSlicedLayer` in headless Chromium: stepped month by month with toggles.

The frames are clearly synthetic (groups alpha, beta, gamma; dates in the 1850s, before the
1970 epoch that trips folium's own time plugins), in a projected CRS, with points, lines and
polygons. `TimeSlicedLayer` is also put on folium's ordinary map, whose Leaflet comes from
folium's CDN link: the test serves that URL from the pinned Leaflet files on disk (network
off), and every other request is refused. (folium 0.20 links Leaflet 1.9.3; what is served
is the pinned 1.9.4, a bug-fix release of the same API.)
"""

from __future__ import annotations

import io
import re
import subprocess
import sys

import folium
import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image
from shapely.geometry import LineString, Point, box

import siberia_map
from browser import LIST_FOLLOWS, Session, checked
from siberia_map.output import assets
from siberia_map.data import timeline
from conftest import ROOT

pytestmark = pytest.mark.browser
EXAMPLES = ROOT / "examples"
CDN_LEAFLET = re.compile(r"^https://cdn\.jsdelivr\.net/npm/leaflet@[\d.]+/dist/(.+)$")


def synthetic() -> gpd.GeoDataFrame:
    rows = [
        ("p1", "1854-11-05", "alpha", Point(10.0, 50.0)),
        ("p2", "1854-11-20/1855-01", "beta", Point(10.5, 50.2)),
        ("p3", "1855-02~", "gamma", Point(11.0, 49.8)),
        ("l1", "1854-12/1855-02", "alpha", LineString([(10, 50), (11, 50.5), (12, 50.4)])),
        ("a1", "1855-01-10/1855-03-31", "beta", box(11.2, 49.2, 12.0, 49.9)),
        ("a2", "1854-24", "gamma", box(9.0, 49.0, 9.6, 49.5)),  # winter 1854-55
    ]
    gdf = gpd.GeoDataFrame({"name": [f"Record {r[0]}" for r in rows],
                            "when": [r[1] for r in rows], "unit": [r[2] for r in rows]},
                           geometry=[r[3] for r in rows], index=[r[0] for r in rows],
                           crs="EPSG:4326")
    return gdf.to_crs("EPSG:32632")  # UTM 32N: the adaptor must reproject


def expected(gdf, hidden=()) -> dict[str, list[str]]:
    """Month -> sorted ids of the records shown in it, straight from the EDTF strings."""
    out: dict[str, list[str]] = {}
    spans = {rid: timeline.parse(d) for rid, d in zip(gdf.index, gdf["when"])}
    first = min(s.first_month for s in spans.values())
    last = max(s.last_month for s in spans.values())
    for m in range(first, last + 1):
        out[timeline.month_key(m)] = sorted(
            rid for rid, s in spans.items()
            if s.first_month <= m <= s.last_month and gdf.loc[rid, "unit"] not in hidden)
    return out


def ids(s) -> list[str]:
    return sorted(r["id"] for r in s.api("visible()"))


def step_through(s, gdf):
    """Every month with Next; a toggled-off group stays off in every month."""
    page = s.page
    months = list(expected(gdf))
    assert s.api("months()") == months
    page.get_by_role("button", name="Previous month").is_disabled()
    nxt = page.get_by_role("button", name="Next month")
    seen = []
    for i, month in enumerate(months):
        if i:
            nxt.click()
        assert s.api("month()") == month
        seen.append(ids(s))
    assert seen == list(expected(gdf).values())
    page.get_by_role("tab", name="Legend").click()  # the groups are the Legend tab's
    box = page.get_by_role("checkbox", name="beta")
    box.click()
    assert not box.is_checked()
    prev = page.get_by_role("button", name="Previous month")
    for month in reversed(months[:-1]):
        prev.click()
        assert s.api("month()") == month
        assert ids(s) == expected(gdf, hidden={"beta"})[month]
        assert all("beta" not in r["contingents"] for r in s.api("visible()"))
    assert [c["visible"] for c in s.api("contingents()")] == [True, False, True]


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    m = siberia_map.explore(synthetic(), date="when", group="unit", title="Synthetic 1854",
                            tiles=None)
    out = tmp_path_factory.mktemp("explore") / "explore.html"
    m.save(str(out))
    return out


def test_explore_steps_by_calendar_month_with_toggles_in_step(browser, explored):
    gdf = synthetic()
    with checked(browser, explored) as s:
        assert s.page.locator(".sm-legend .sm-panel-title").first.inner_text().lower() == "unit"
        assert "Synthetic 1854" in s.page.locator(".sm-title").inner_text()
        step_through(s, gdf)
        s.api("setMonth('1854-11')")
        s.page.get_by_role("tab", name=re.compile("^Events")).click()  # back from the legend
        s.page.locator("[data-record='p1']").click()
        popup = s.page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "Record p1" in popup.inner_text() and "5 November 1854" in popup.inner_text()


def test_explore_draws_points_lines_and_areas_where_they_are(browser, explored):
    with checked(browser, explored, "#1855-01") as s:
        shown = {r["id"]: r for r in s.api("visible()")}
        assert set(shown) == {"p2", "l1", "a1", "a2"}
        assert (shown["p2"]["lat"], shown["p2"]["lon"]) == pytest.approx((50.2, 10.5), abs=1e-4)
        assert 49.2 < shown["a1"]["lat"] < 49.9 and 11.2 < shown["a1"]["lon"] < 12.0
        assert 49.9 < shown["l1"]["lat"] < 50.6 and 10 < shown["l1"]["lon"] < 12


def test_explore_deep_link_opens_month_and_hidden_group(browser, explored):
    with checked(browser, explored, "#1855-01&hide=gamma") as s:
        assert s.api("month()") == "1855-01"
        assert ids(s) == ["a1", "l1", "p2"]
        s.page.get_by_role("tab", name="Legend").click()
        assert not s.page.get_by_role("checkbox", name="gamma").is_checked()


def test_explore_shows_inline_in_jupyter(browser, tmp_path):
    """folium's `_repr_html_` (what Jupyter shows): an iframe whose srcdoc is the page."""
    m = siberia_map.explore(synthetic(), date="when", group="unit", tiles=None)
    page = tmp_path / "notebook.html"
    page.write_text("<!DOCTYPE html><html><body><div style='width:900px;height:600px'>"
                    + m._repr_html_() + "</div></body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    try:
        p = context.new_page()
        errors = []
        p.on("pageerror", lambda e: errors.append(str(e)))
        p.goto(page.as_uri())
        frame = p.frames[1]
        frame.wait_for_function("() => window.siberiaMap && window.siberiaMap.months().length")
        assert frame.evaluate("() => window.siberiaMap.months()")[0] == "1854-11"
        frame.evaluate("() => window.siberiaMap.setMonth('1855-02')")
        got = sorted(r["id"] for r in frame.evaluate("() => window.siberiaMap.visible()"))
        assert got == expected(synthetic())["1855-02"]
        assert errors == []
    finally:
        context.close()


def open_on_folium(browser, path, hash_: str = "") -> tuple[Session, list[str]]:
    """Open a page made with folium's own map: its CDN Leaflet is served from disk."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    s, served = Session(page), []
    leaflet = assets.leaflet_dir()

    def route(r):
        url = r.request.url
        hit = CDN_LEAFLET.match(url)
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        elif hit and (leaflet / hit.group(1)).is_file():
            served.append(hit.group(1))
            r.fulfill(path=str(leaflet / hit.group(1)))
        else:
            s.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: s.errors.append(str(e)))
    page.goto(path.as_uri() + hash_)
    page.wait_for_function("() => window.siberiaMap && window.siberiaMap.months().length > 0")
    return s, served


def test_layer_on_folium_map_uses_its_leaflet_beside_its_own_layers(browser, tmp_path):
    m = folium.Map(location=[50, 10], zoom_start=6, tiles=None)
    own = folium.FeatureGroup(name="My own layer")
    folium.CircleMarker([49.5, 10.2], radius=6, tooltip="mine").add_to(own)
    own.add_to(m)
    siberia_map.TimeSlicedLayer(synthetic(), date="when", group="unit").add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    out = tmp_path / "folium.html"
    m.save(str(out))
    html = out.read_text(encoding="utf-8")
    assert html.count("leaflet.js") == 1  # folium's one link; no inlined second Leaflet
    assert ", a JS library for interactive maps" not in html  # Leaflet's own banner
    s, served = open_on_folium(browser, out)
    try:
        assert "leaflet.js" in served
        assert s.page.evaluate("() => document.querySelectorAll('.leaflet-container').length") == 1
        assert s.page.get_by_text("My own layer").is_visible()
        assert s.page.locator("path.leaflet-interactive").count() == 1  # the circle marker
        step_through(s, synthetic())
        assert s.page.locator("path.leaflet-interactive").count() == 1
        assert s.errors == []
        # Only folium's other CDN assets (jQuery, Bootstrap, ...) were refused: none is ours.
        assert all("siberia" not in u and "leaflet@" not in u for u in s.blocked)
    finally:
        s.close()


def test_layer_takes_a_whole_dataset(browser, dataset, tmp_path):
    m = folium.Map(tiles=None)
    siberia_map.TimeSlicedLayer(siberia_map.load(dataset)).add_to(m)
    out = tmp_path / "dataset.html"
    m.save(str(out))
    s, _ = open_on_folium(browser, out)
    try:
        assert s.api("month()") == "1918-08"
        assert [c["id"] for c in s.api("contingents()")] == ["usa", "japan", "britain"]
        assert s.page.locator(".sm-legend .sm-panel-title").first.inner_text().lower() \
            == "contingents"
        assert s.errors == []
    finally:
        s.close()


@pytest.mark.parametrize("script", ["napoleon_1812.py", "folium_layer.py"])
def test_examples_run_and_open(browser, script, tmp_path):
    out = tmp_path / script.replace(".py", ".html")
    result = subprocess.run([sys.executable, str(EXAMPLES / script), str(out)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    s, _ = open_on_folium(browser, out)
    try:
        months = s.api("months()")
        assert months[0] == "1812-06" and months[-1] == "1812-12"
        assert [c["name"] for c in s.api("contingents()")] == ["advance", "retreat"]
        s.api("setMonth('1812-09')")
        s.page.wait_for_function(LIST_FOLLOWS, timeout=5000)
        titles = s.page.locator(".sm-events").inner_text()
        assert "Battle of Borodino" in titles and "The French enter Moscow" in titles
        s.page.get_by_role("tab", name="Legend").click()  # the groups are the Legend tab's
        s.page.get_by_role("checkbox", name="advance").click()
        assert all(r["contingents"] == ["retreat"] for r in s.api("visible()"))
        assert s.errors == []
        # Refused: the map tiles and folium's CDN extras; the page works without them.
        assert all("tile" in u or "leaflet@" not in u for u in s.blocked)
    finally:
        s.close()


# ------------------------------------------------------------------ geopandas-style calls
COLOURS = {"alpha": "#d62728", "beta": "#1f77b4", "gamma": "#2ca02c"}


def start_end() -> gpd.GeoDataFrame:
    """The synthetic frame as most tables are: two datetime columns, no EDTF."""
    gdf = synthetic()
    spans = {rid: timeline.parse(d) for rid, d in zip(gdf.index, gdf["when"])}
    gdf["from"] = pd.to_datetime(["{:04d}-{:02d}-{:02d}".format(*spans[r].first) for r in gdf.index])
    gdf["to"] = pd.to_datetime(["{:04d}-{:02d}-{:02d}".format(*spans[r].last) for r in gdf.index])
    return gdf.drop(columns="when")


def rgb(css: str) -> tuple[int, int, int]:
    if css.startswith("#"):
        return tuple(int(css[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])


@pytest.fixture(scope="module")
def geopandas_style(tmp_path_factory):
    m = folium.Map(location=[50, 10], zoom_start=6, tiles=None)
    folium.CircleMarker([49.5, 10.2], radius=6, tooltip="mine").add_to(m)
    got = siberia_map.explore(start_end(), start="from", end="to", column="unit", cmap=COLOURS,
                              tooltip=["name", "unit"], m=m, month="1855-01", hidden=["gamma"])
    assert got is m
    out = tmp_path_factory.mktemp("geopandas") / "explore.html"
    m.save(str(out))
    return out


def test_explore_opens_on_the_month_with_the_groups_hidden_in_the_colours(browser,
                                                                         geopandas_style):
    s, _ = open_on_folium(browser, geopandas_style)
    page = s.page
    try:
        assert s.api("month()") == "1855-01"
        assert page.get_by_role("slider").first.get_attribute("aria-valuetext") == "January 1855"
        assert [(c["id"], c["visible"]) for c in s.api("contingents()")] == [
            ("alpha", True), ("beta", True), ("gamma", False)]
        page.get_by_role("tab", name="Legend").click()  # the key is in the sheet's Legend tab
        assert not page.get_by_role("checkbox", name="gamma").is_checked()
        assert page.get_by_role("checkbox", name="beta").is_checked()
        # The months and records of the start/end columns are those of the EDTF intervals.
        assert s.api("months()") == list(expected(synthetic()))
        assert ids(s) == expected(synthetic(), hidden={"gamma"})["1855-01"]
        # The legend's key is in the colours given...
        for name, colour in COLOURS.items():
            swatch = page.get_by_role("checkbox", name=name).locator(
                "xpath=ancestor::label[1]//span[contains(@class,'sm-swatch')]")
            css = swatch.evaluate("e => getComputedStyle(e).backgroundColor")
            assert rgb(css) == rgb(colour), name
        # ...and so is the map: the beta point (p2) in beta's blue, the alpha line in red.
        shown = {r["id"]: r for r in s.api("visible()")}

        def near(rid, colour, radius=10):
            x, y = page.evaluate("([lat, lon]) => { var m = L.SiberiaMap.current.map,"
                                 " p = m.latLngToContainerPoint([lat, lon]),"
                                 " r = m.getContainer().getBoundingClientRect();"
                                 " return [p.x + r.left, p.y + r.top]; }",
                                 [shown[rid]["lat"], shown[rid]["lon"]])
            shot = Image.open(io.BytesIO(page.screenshot(clip={
                "x": x - radius, "y": y - radius, "width": 2 * radius, "height": 2 * radius})))
            shot = shot.convert("RGB")
            want = rgb(colour)
            hits = sum(all(abs(a - b) <= 24 for a, b in zip(shot.getpixel((i, j)), want))
                       for i in range(shot.width) for j in range(shot.height))
            return (x, y), hits

        (x, y), blue = near("p2", COLOURS["beta"])
        assert blue >= 20
        assert near("l1", COLOURS["alpha"])[1] >= 5
        # The tooltip shows the columns asked for.
        page.mouse.move(x, y)
        tip = page.locator(".sm-tooltip")
        tip.wait_for()
        assert tip.inner_text().split("\n") == ["Record p2", "Unit: beta"]
        # The host map's own marker is still there.
        assert page.locator("path.leaflet-interactive").count() == 1
        assert s.errors == []
    finally:
        s.close()


def test_a_link_hash_still_wins_over_the_opening_view(browser, geopandas_style):
    s, _ = open_on_folium(browser, geopandas_style, "#1854-12&hide=alpha")
    try:
        assert s.api("month()") == "1854-12"
        assert [c["visible"] for c in s.api("contingents()")] == [False, True, True]
        assert s.errors == []
    finally:
        s.close()

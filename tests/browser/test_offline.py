"""The shipped map as an archive would keep it: one file, offline, under a strict CSP."""


import pytest

from browser import open_map
from conftest import GEODATA
from test_reader import opening_month

pytestmark = pytest.mark.browser
# The whole page: Leaflet, our code, the basemap (60 S-85 N, 15 E-172 W since no edge may show,
# and an upright phone frames the war only with the box reaching far south of it) and the
# data; 1.64 MB before the five languages, 1.74 MB with them (the default build holds all
# five: their catalogues 33 KB, the places' names in four languages 13 KB, the places records
# stand at in the four other languages 15 KB, I18n, DateWords, LanguageSwitcher 17 KB), 1.77 MB
# with count badges (the per-month counts 10 KB, CountBadgeLayer 9 KB) and FollowCanvas, 1.80 MB
# with the canvases drawn off the page (CanvasSurface, BitmapCanvas 6 KB), the pills and
# routes drawn once (4 KB) and the payload read without building every month at load (7 KB),
# 1.82 MB with the months made ready between steps (StepAhead, MonthTracks and the drawing
# off the page, RecordCanvas.prepare: 19 KB, JavaScript with its comments), 1.83 MB with those
# drawings made in slices (AheadDrawings, SceneDrawing: 13 KB), 1.85 MB with the journeys
# left out under the count badges (JourneyCover, CountBadgeLayer.cover, OcclusionMask's
# rectangles and convex shapes: 17 KB), 1.86 MB with the idle work after the load in short
# pieces (StepAhead's estimates, the spans of MonthTracks and Model, TrackLanes' bit sets,
# the journeys' places projected once: 6 KB).
BUDGET = 1_870_000


@pytest.fixture(scope="module")
def shipped(build_map):
    return build_map(data=GEODATA)


def test_default_build_fits_the_size_budget(shipped):
    assert shipped.stat().st_size <= BUDGET


def test_renders_offline_with_zero_requests_and_a_visible_basemap(browser, shipped, tmp_path):
    s = open_map(browser, shipped, "#1919-01")
    try:
        s.page.wait_for_timeout(300)
        png = tmp_path / "shot.png"
        s.page.screenshot(path=str(png))
        # Sample the canvas: land (beige), water (blue) and lines must all be there.
        colours = s.page.evaluate("""() => {
          const seen = new Set();
          document.querySelectorAll('canvas').forEach((c) => {
            if (!c.width || !c.height) return;
            const d = L.SiberiaMap.CanvasSurface.pixels(c).data;
            for (let i = 0; i < d.length; i += 4 * 97) {
              if (d[i + 3] > 200) seen.add((d[i] >> 4) + ',' + (d[i + 1] >> 4) + ',' + (d[i + 2] >> 4));
            }
          });
          return seen.size;
        }""")
        assert colours >= 8, "the canvas looks blank"
        assert png.stat().st_size > 50_000
        assert s.api("month()") == "1919-01"
        assert len(s.api("visible()")) > 10
    finally:
        s.close()
    assert s.blocked == [] and s.errors == [] and s.csp == []


def test_csp_blocks_an_injected_inline_script(browser, shipped):
    s = open_map(browser, shipped)
    try:
        ran = s.page.evaluate("""() => new Promise((resolve) => {
          document.addEventListener('securitypolicyviolation',
            (e) => resolve({blocked: e.violatedDirective, ran: !!window.__injected}));
          const el = document.createElement('script');
          el.textContent = 'window.__injected = true;';
          document.body.appendChild(el);
          setTimeout(() => resolve({blocked: null, ran: !!window.__injected}), 1000);
        })""")
    finally:
        s.close()
    assert ran["ran"] is False
    assert ran["blocked"] and ran["blocked"].startswith("script-src")


def test_a_failing_tile_layer_leaves_the_embedded_basemap(browser, shipped):
    s = open_map(browser, shipped)
    try:
        s.page.locator(".leaflet-control-layers").hover()
        # (Waits for the first tile's request to be refused, which Session.blocked records
        # as it refuses it.)
        with s.page.expect_event("requestfailed"):
            s.page.get_by_label("OpenStreetMap (online, modern names)").check()
        assert s.blocked, "tiles were requested (and aborted: the network is off)"
        # The basemap canvas sits under the tile pane, so it shows wherever tiles fail.
        panes = s.page.evaluate("""() => ({
          basemap: +getComputedStyle(map_siberia.getPane('smBasemap')).zIndex,
          tiles: +getComputedStyle(map_siberia.getPane('tilePane')).zIndex,
          drawn: (() => { const c = map_siberia.getPane('smBasemap').querySelector('canvas');
                          const d = L.SiberiaMap.CanvasSurface.pixels(c).data;
                          let n = 0; for (let i = 3; i < d.length; i += 400) n += d[i] > 0;
                          return n; })()})""")
        assert panes["basemap"] < panes["tiles"] and panes["drawn"] > 1000
        assert s.api("month()") == opening_month()  # the map went on working
    finally:
        s.close()
    assert s.errors == []

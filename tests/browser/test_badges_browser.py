"""Count badges in busy months (CountBadgeLayer), on a small synthetic data set with the
threshold set low: the busiest month shows one badge per place with exactly as many records
as the map shows there (with a contingent hidden too), none of its records is drawn or hit
on the records' canvas, a click on a badge lists that place's records and one opens its popup; the
other months, and every month once the threshold is off again, draw records as ever.
"""

from __future__ import annotations

import pytest

from browser import MONTH_SIZES
from conftest import build_synthetic, write_dataset

pytestmark = pytest.mark.browser

# The badges shown, and per geometry the records the map shows there this month (events
# with no place left out), as the page's own records give them.
STATE = """() => {
    const c = L.SiberiaMap.current;
    const shown = {};
    c.controller.visibleRecords().forEach(r => { if (r.g >= 0) { shown[r.g] = (shown[r.g] || 0) + 1; } });
    return {badges: c.badges.counts().map(b => [b.g, b.count]),
            shown: Object.keys(shown).map(g => [+g, shown[g]]).sort((a, b) => a[0] - b[0])};
}"""

# What a click at each place with records would list on the records' canvas.
HITS = """() => {
    const c = L.SiberiaMap.current;
    const seen = new Set();
    let hits = 0;
    c.controller.visibleRecords().forEach(r => {
        if (r.a < 0 || seen.has(r.a) || r.shape !== 'pt') { return; }
        seen.add(r.a);
        hits += c.records.chooserAt(c.map.latLngToLayerPoint([r.lat, r.lon])).length;
    });
    return hits;
}"""


@pytest.fixture(scope="module")
def synthetic_map(tmp_path_factory):
    return build_synthetic(tmp_path_factory, write_dataset(tmp_path_factory.mktemp("source")), 400, seed=20)


def _busiest(s):
    sizes = s.page.evaluate(MONTH_SIZES)
    m = max(range(len(sizes)), key=sizes.__getitem__)
    return m, sizes


def test_badges_count_the_records_of_a_busy_month_and_list_them(open_page, synthetic_map):
    s = open_page(synthetic_map)
    months = s.api("months()")
    m, sizes = _busiest(s)
    quiet = min(range(len(sizes)), key=lambda i: (sizes[i] == 0, sizes[i]))
    assert sizes[quiet] < sizes[m]
    s.api(f"setMonth('{months[m]}')")
    # Below the threshold (the default): records drawn, no badge.
    assert s.page.evaluate(STATE)["badges"] == []
    drawn = s.page.evaluate(HITS)
    assert drawn > 0

    s.page.evaluate(f"() => L.SiberiaMap.current.controller.setBadgeThreshold({sizes[m] - 1})")
    state = s.page.evaluate(STATE)
    assert state["badges"] == state["shown"] and len(state["badges"]) > 1
    assert s.page.evaluate(HITS) == 0  # no record drawn, none to hit

    # A contingent hidden: the badges count what stays shown.
    first = s.api("contingents()")[0]["id"]
    s.api(f"setContingentVisible('{first}', false)")
    hidden = s.page.evaluate(STATE)
    assert hidden["badges"] == hidden["shown"] and hidden["badges"] != state["badges"]
    s.api(f"setContingentVisible('{first}', true)")

    # A click on the busiest place's badge in view lists its records; one of them opens
    # its popup.
    drawn_at = s.page.evaluate("""() => {
        const b = L.SiberiaMap.current.badges;
        return b.counts().map(it => [it.g, it.count, b.pointOf(it.g)]).filter(it => it[2]);
    }""")
    g, n, at = max(drawn_at, key=lambda b: b[1])
    box = s.page.locator(".leaflet-container").bounding_box()
    s.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    items = s.page.locator(".sm-chooser .sm-chooser-item")
    items.first.wait_for()
    assert items.count() == min(n, 50)
    ids = s.page.evaluate(f"""() => L.SiberiaMap.current.controller.visibleRecords()
        .filter(r => r.g === {g}).slice(0, 50).map(r => r.id)""")
    assert items.evaluate_all("els => els.map(e => e.getAttribute('data-record'))") == ids
    items.first.click()
    assert s.page.evaluate("() => L.SiberiaMap.current.records.popupRecord().id") == ids[0]

    # A quieter month draws its records; and with the threshold off, so does the busy one.
    s.api(f"setMonth('{months[quiet]}')")
    assert s.page.evaluate(STATE)["badges"] == []
    s.api(f"setMonth('{months[m]}')")
    assert s.page.evaluate(STATE)["badges"] != []
    s.page.evaluate("() => L.SiberiaMap.current.controller.setBadgeThreshold(0)")
    assert s.page.evaluate(STATE)["badges"] == []
    assert s.page.evaluate(HITS) == drawn


# Per drawn badge: where it was drawn, and where its place is in the map's own projection.
PLACED = """() => {
    const c = L.SiberiaMap.current;
    return c.badges.counts().map(b => {
        const at = L.SiberiaMap.Model.anchorOf(c.controller.model.geoms[b.g]);
        const drawn = c.badges.pointOf(b.g);
        return [b.g, drawn && [drawn.x, drawn.y], c.map.latLngToContainerPoint(at)];
    });
}"""


def test_badges_stand_at_their_places_after_zooming_and_panning(open_page, synthetic_map):
    s = open_page(synthetic_map)
    m, sizes = _busiest(s)
    s.api(f"setMonth('{s.api('months()')[m]}')")
    s.page.evaluate(f"() => L.SiberiaMap.current.controller.setBadgeThreshold({sizes[m] - 1})")
    views = []
    for move in ("", "c.map.setZoom(c.map.getZoom() + 1, {animate: false})",
                 "c.map.panBy([120, -80], {animate: false})",
                 "c.map.setZoom(c.map.getZoom() - 2, {animate: false})"):
        s.page.evaluate(f"() => {{ const c = L.SiberiaMap.current; {move}; }}")
        placed = s.page.evaluate(PLACED)
        drawn = [(g, at, p) for g, at, p in placed if at]
        assert drawn and all(at == [p["x"], p["y"]] for _, at, p in drawn)
        views.append(sorted((g, tuple(at)) for g, at, _ in drawn))
    assert len({tuple(v) for v in views}) == len(views)  # every move moved the badges

"""Drawings made ahead in slices (AheadDrawings, SceneDrawing) on a busy synthetic month:
many slices of lines and several batches of symbols, so that the cut between them is
exercised. A month drawn ahead slice by slice, whole or in part, shows to the pixel what a
page opened at that month draws.
"""

from __future__ import annotations

import pytest

from browser import FRAME, MONTH_SIZES, PIXELS, STEP_INTO_DRAWING_AHEAD
from conftest import GEODATA, build_synthetic

pytestmark = pytest.mark.browser

SEL = ".leaflet-smRecords-pane canvas"

ZOOM_OUT = "() => { const map = L.SiberiaMap.current.map; map.setZoom(map.getZoom() - 1, {animate: false}); }"


@pytest.fixture(scope="module")
def busy_map(tmp_path_factory):
    # The real places and railways, as `make bench` synthesises them: at 10,000 events the
    # busiest month holds about 1,000 records, 1,700 vertices of lanes and 440 symbols drawn.
    return build_synthetic(tmp_path_factory, GEODATA, 10000, seed=1918)


def _busiest(s):
    sizes = s.page.evaluate(MONTH_SIZES)
    return max(range(1, len(sizes)), key=sizes.__getitem__)


@pytest.mark.parametrize("kind, stop", [(None, 0), ("lines", 2), ("symbols", 2)])
def test_a_busy_month_drawn_ahead_in_slices_is_the_month_drawn_at_once(open_page, busy_map, kind, stop):
    stepped = open_page(busy_map)
    m = _busiest(stepped)
    months = stepped.api("months()")
    # One zoom level out: the symbols crowd, so that batches overlap and their order shows.
    stepped.page.evaluate(ZOOM_OUT)
    stepped.api(f"setMonth('{months[m - 1]}')")
    stepped.page.evaluate(FRAME)
    got = stepped.page.evaluate(STEP_INTO_DRAWING_AHEAD, [m, kind, stop, SEL])
    if kind is None:
        # The whole drawing: several slices of lines and batches of symbols, in order.
        assert got["found"] == "ready"
        kinds = got["kinds"]
        assert kinds[:2] == ["start", "areas"] and kinds.count("lines") >= 2 and kinds.count("symbols") >= 2
        assert kinds.index("order") > max(i for i, k in enumerate(kinds) if k == "lines")
        assert kinds[kinds.index("order") + 1:] == ["symbols"] * kinds.count("symbols")
    else:
        assert got["found"] == "part"
    direct = open_page(busy_map, f"#{months[m]}")
    direct.page.evaluate(ZOOM_OUT)
    direct.page.evaluate(FRAME)
    direct.page.evaluate(FRAME)
    expected = direct.page.evaluate(PIXELS, SEL)
    assert expected["inked"] > 10000
    assert got["pixels"] == expected


# The symbols' drawImage calls of the scene shown, slice by slice on a context that only
# records them, and the order the symbols are meant to go down in (bottom first).
SYMBOL_CALLS = """() => {
    const r = L.SiberiaMap.current.records, drawing = r.getCanvas()._drawing, s = r._scenes.scene;
    const calls = [];
    const ctx = new Proxy({}, {get: (t, name) => name === 'drawImage' ? (img, x, y) => { calls.push(x + ',' + y); }
                                               : () => {}, set: () => true});
    const slices = drawing.slices(s, []);
    for (let i = 0; i < slices.length; i++) { slices[i](ctx); }
    const order = drawing._symbolOrder(s, drawing._view());
    const expected = [];
    for (let j = order.count - 1; j >= 0; j--) { expected.push(order.x[j] + ',' + order.y[j]); }
    return {calls: calls, expected: expected, batches: slices.filter(f => f.kind === 'symbols').length};
}"""


def test_the_symbols_go_down_bottom_first_across_their_batches(open_page, busy_map):
    s = open_page(busy_map)
    s.api(f"setMonth('{s.api('months()')[_busiest(s)]}')")
    got = s.page.evaluate(SYMBOL_CALLS)
    assert got["batches"] >= 2
    assert got["calls"] == got["expected"]

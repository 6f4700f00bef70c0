"""The control layer and the movements in headless Chromium, on a tiny inline campaign."""

import pytest

from browser import FRAME, PIXELS, STEP_INTO_DRAWING_AHEAD, checked
from conftest import GEODATA

pytestmark = pytest.mark.browser

AUTHORITIES = [
    {"id": "soviet", "name": "Soviet power", "side": "red", "colour": "#b2182b", "note": "",
     "source": "test fixture"},
    {"id": "japan", "name": "Japanese-held zone", "side": "allied", "colour": "#d55e00",
     "note": "", "source": "test fixture"},
    {"id": "kalmykov", "name": "Kalmykov", "side": "white", "colour": "#4d4d4d", "note": "",
     "source": "test fixture"},
]
CONTROL = [
    {"where": "vladivostok..nikolsk", "date": "1918-08/1919-08", "held_by": "japan",
     "contested": "false", "note": "", "source": "test fixture"},
    {"where": "nikolsk..khabarovsk", "date": "1918-08/1918-09-04", "held_by": "soviet",
     "contested": "true", "note": "the Ussuri front", "source": "test fixture"},
    {"where": "nikolsk..khabarovsk", "date": "1918-09-05/1919-08", "held_by": "kalmykov",
     "contested": "false", "note": "", "source": "test fixture"},
]
MOVEMENTS = [
    {"id": "mv-north", "contingent": "britain", "from": "vladivostok", "to": "khabarovsk",
     "via": "", "date": "1918-09-16/1918-10-15", "kind": "transfer", "note": "",
     "source": "test fixture"},
]
VLADIVOSTOK, KHABAROVSK = (43.1155, 131.8869), (48.4833, 135.0833)


@pytest.fixture(scope="module")
def built(build_map):
    return build_map(extra={"authorities.csv": AUTHORITIES, "control.csv": CONTROL,
                            "movements.csv": MOVEMENTS})


@pytest.fixture
def session(open_page, built):
    return open_page(built)


@pytest.fixture(scope="module")
def queried(browser, built):
    """One page of the tiny campaign for the tests that only set the month and ask the API
    (as `real` below for the shipped map)."""
    with checked(browser, built) as s:
        yield s


def control_at(s, month, latlon):
    s.api(f"setMonth('{month}')")
    return s.api(f"controlAt({latlon[0]}, {latlon[1]})")


@pytest.mark.parametrize("month,where,expected", [
    ("1918-08", VLADIVOSTOK, ("japan", False)),
    ("1918-08", KHABAROVSK, ("soviet", True)),
    ("1918-09", KHABAROVSK, ("kalmykov", True)),  # changed hands on 5 September
    ("1918-10", KHABAROVSK, ("kalmykov", False)),
    ("1919-08", VLADIVOSTOK, ("japan", False)),
])
def test_control_at_dated_checkpoints(queried, month, where, expected):
    got = control_at(queried, month, where)
    assert (got["id"], got["contested"]) == expected
    assert got["name"] == next(a["name"] for a in AUTHORITIES if a["id"] == expected[0])


@pytest.mark.parametrize("latlon", [(10, 10), (54.99, 73.37)])  # nowhere; Omsk, not held
def test_control_at_is_null_outside_the_held_areas(queried, latlon):
    assert control_at(queried, "1918-10", latlon) is None


def movement_ids(s):
    return [r["id"] for r in s.api("visible()") if r["type"] == "movement"]


def test_a_movement_is_drawn_in_its_months_only(session):
    seen = {}
    for month in ("1918-08", "1918-09", "1918-10", "1918-11"):
        session.api(f"setMonth('{month}')")
        seen[month] = movement_ids(session)
    assert seen == {"1918-08": [], "1918-09": ["mv-north"], "1918-10": ["mv-north"],
                    "1918-11": []}
    session.api("setMonth('1918-09')")
    (mv,) = [r for r in session.api("visible()") if r["type"] == "movement"]
    assert mv["contingents"] == ["britain"]
    # Mid-way along September's part: the first half of the journey, south of Spassk.
    assert VLADIVOSTOK[0] < mv["lat"] < 44.6
    session.api("setContingentVisible('britain', false)")
    assert movement_ids(session) == []


MOVEMENT_INK = """([lat, lon]) => {
    // Pixels in the contingent's colour within 3 px of the point, on the records' canvas
    // (the movements are drawn on it, under the records).
    const cur = L.SiberiaMap.current, canvas = cur.records.getCanvas();
    const hex = cur.controller.model.contingents.find(c => c.id === 'britain').colour;
    const rgb = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
    const p = cur.map.latLngToLayerPoint([lat, lon]).subtract(canvas._bounds.min);
    const r = canvas._container.width / (canvas._bounds.max.x - canvas._bounds.min.x);
    const d = canvas._ctx.getImageData(Math.round(p.x * r) - 3, Math.round(p.y * r) - 3, 7, 7).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 200 && rgb.every((v, k) => Math.abs(d[i + k] - v) < 12)) { n++; }
    }
    return n;
}"""


def test_a_movement_is_painted_in_its_month_and_gone_after(session):
    page = session.page
    session.api("setMonth('1918-09')")
    (mv,) = [r for r in session.api("visible()") if r["type"] == "movement"]
    page.evaluate("([lat, lon]) => L.SiberiaMap.current.map.setView([lat, lon], 7, {animate: false})",
                  [mv["lat"], mv["lon"]])
    frame = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"
    page.evaluate(frame)
    assert page.evaluate(MOVEMENT_INK, [mv["lat"], mv["lon"]]) > 5
    session.api("setMonth('1918-11')")
    page.evaluate(frame)
    assert page.evaluate(MOVEMENT_INK, [mv["lat"], mv["lon"]]) == 0


def test_the_legend_switch_hides_and_shows_the_layer(session):
    page = session.page
    session.api("setMonth('1918-10')")
    pane = ".leaflet-smControl-pane canvas"
    assert page.locator(pane).count() == 1
    # The key is the Legend tab's (folded, it catches up when shown).
    page.get_by_role("tab", name="Legend").click()
    legend = page.locator(".sm-authority")
    assert sorted(legend.evaluate_all("els => els.map(e => e.dataset.authority)")) == \
        ["japan", "kalmykov"]
    box = page.get_by_role("checkbox", name="Show control (approximate)")
    box.click()
    assert not box.is_checked()
    assert page.locator(pane).count() == 0
    box.click()
    assert page.locator(pane).count() == 1


def test_a_click_on_held_ground_tells_who_held_it(session):
    page = session.page
    session.api("setMonth('1918-10')")
    # Close in, so the spot is well clear of Khabarovsk's own marker and label.
    point = page.evaluate("""() => {
        const map = L.SiberiaMap.current.map;
        map.setView([48.6, 135.2], 7, {animate: false});
        const p = map.latLngToContainerPoint([48.95, 135.6]);
        const r = map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""")
    page.mouse.click(*point)
    popup = page.locator(".sm-control-popup")
    popup.wait_for(timeout=3000)
    text = popup.inner_text()
    assert "Kalmykov" in text and "Khabarovsk" in text and "September 1918" in text


def test_playing_animates_the_movement(session):
    page = session.page
    session.api("setMonth('1918-08')")
    page.get_by_role("button", name="Play through the months").click()
    page.wait_for_function("() => window.siberiaMap.month() === '1918-09'", timeout=5000)
    page.wait_for_function("() => L.SiberiaMap.current.movements._progress < 1", timeout=2000)
    page.wait_for_function("() => L.SiberiaMap.current.movements._progress === 1", timeout=3000)
    page.get_by_role("button", name="Pause").click()


# ------------------------------------------------- the real chronology, dated checkpoints
TOWNS = {"omsk": (54.99, 73.37), "yekaterinburg": (56.84, 60.60), "irkutsk": (52.30, 104.30),
         "chita": (52.03, 113.50), "khabarovsk": (48.48, 135.08),
         "vladivostok": (43.12, 131.89), "aleksandrovsk": (50.90, 142.16)}


@pytest.fixture(scope="module")
def real(browser, build_map):
    with checked(browser, build_map(data=GEODATA)) as s:
        yield s


@pytest.mark.parametrize("town,month,expected", [
    ("omsk", "1918-06", "siberian-government"),  # the Soviet left Omsk on 7 June 1918
    ("omsk", "1919-10", "kolchak"),
    ("omsk", "1919-12", "soviet"),  # Red from 14 November 1919
    ("yekaterinburg", "1919-06", "kolchak"),
    ("yekaterinburg", "1919-08", "soviet"),  # Red from 14 July 1919
    ("irkutsk", "1918-06", "soviet"),
    ("irkutsk", "1918-08", "siberian-government"),  # the Soviet left on 11 July 1918
    ("chita", "1918-10", "semyonov"),
    ("chita", "1920-12", "fer"),  # the People's Revolutionary Army from 22 October 1920
    ("khabarovsk", "1918-10", "kalmykov"),  # taken with the Japanese on 5 September 1918
    ("khabarovsk", "1922-03", "fer"),  # retaken after Volochayevka, 14 February 1922
    ("vladivostok", "1921-08", "priamur"),  # the Merkulov coup of 26 May 1921
    ("vladivostok", "1923-01", "soviet"),
    ("aleksandrovsk", "1924-06", "japan"),  # northern Sakhalin, held until 15 May 1925
])
def test_control_at_checkpoints_of_the_real_chronology(real, town, month, expected):
    got = control_at(real, month, TOWNS[town])
    assert got is not None and got["id"] == expected, (town, month, got)


def legend_authorities(s, month):
    s.api(f"setMonth('{month}')")
    return s.page.eval_on_selector_all("[data-authority]", "els => els.map(e => e.dataset.authority)")


def test_control_legend_lists_the_months_holders_and_follows_steps_back(session):
    # The legend is rebuilt only when its list changes: stepping away and back must still
    # show each month's own holders, in the authorities table's order (the key is in the
    # Legend tab, open here: a folded legend catches up when its tab opens).
    session.page.get_by_role("tab", name="Legend").click()
    seq = ["1918-08", "1918-09", "1918-10", "1918-11", "1918-08", "1918-10"]
    got = [legend_authorities(session, m) for m in seq]
    assert got == [["soviet", "japan"], ["japan", "kalmykov"], ["japan", "kalmykov"],
                   ["japan", "kalmykov"], ["soviet", "japan"], ["japan", "kalmykov"]]


COVERS_MAP = """(sel) => {
    const canvas = document.querySelector(sel).getBoundingClientRect();
    const map = L.SiberiaMap.current.map.getContainer().getBoundingClientRect();
    return [canvas.left - map.left, canvas.top - map.top, canvas.right - map.right,
            canvas.bottom - map.bottom].map(Math.round);
}"""


@pytest.mark.parametrize("pane", ["smControl", "smRecords"])
def test_the_month_canvases_follow_a_drag_before_it_ends(session, pane):
    # They have no padding: they must cover the map during a drag, not only once the drag
    # is over (where Leaflet's renderers catch up).
    page = session.page
    sel = f".leaflet-{pane}-pane canvas"
    assert page.evaluate(COVERS_MAP, sel) == [0, 0, 0, 0]
    box = page.locator(".leaflet-container").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 9):
        page.mouse.move(x - 30 * k, y - 15 * k)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    during = page.evaluate(COVERS_MAP, sel)
    page.mouse.up()
    assert during == [0, 0, 0, 0]




@pytest.mark.parametrize("months", [
    ["1918-06", "1918-07", "1918-08", "1918-09", "1918-10", "1918-11"],
    ["1919-12", "1919-08", "1919-11", "1920-02", "1920-10"],
])
def test_records_canvas_after_steps_matches_a_page_opened_at_the_month(open_page, build_map, months):
    # The records and the movements under them, after a sequence of steps, are the very pixels
    # of the page opened at the last month and moved to the same view. (The control canvas is
    # left out: Leaflet's dirty rectangles leave up to ~200 pixels a few levels off a full
    # repaint there, on main as well; see benchmarks/README.md.) The scene and visible() too.
    built = build_map(data=GEODATA)
    stepped = open_page(built, f"#{months[0]}")
    for month in months[1:]:
        stepped.api(f"setMonth('{month}')")
        stepped.page.evaluate(FRAME)
    _as_if_opened_there(open_page, built, stepped, months[-1])


# Leaves the page idle until StepAhead has made the months next to the one shown ready.
IDLE_AHEAD = """() => new Promise(resolve => {
    const ahead = L.SiberiaMap.current.records._stepAhead;
    const wait = () => ahead.pending().length ? requestIdleCallback(wait) : resolve();
    wait();
})"""
# Whether the frame just painted copied the drawing made ahead for the scene shown.
COPIED = "() => { const r = L.SiberiaMap.current.records; return r.getCanvas().isPrepared(r._scenes.scene, null); }"
# The scene shown, whole: who is drawn where.
SCENE = """() => { const s = L.SiberiaMap.current.records._scenes.scene;
    return {n: s.n, split: s.split, ids: s.rec.slice(0, s.n).map(r => r.type + ':' + r.id),
            anchor: Array.from(s.anchor.slice(0, s.n)), dx: Array.from(s.dx.slice(0, s.n)),
            dy: Array.from(s.dy.slice(0, s.n)), clearance: s.clearance,
            tracks: s.tracks.map(t => [t.colourValue, t.offset, t.chains.length])}; }"""


def _as_if_opened_there(open_page, built, stepped, month, hidden=()):
    """Asserts that `stepped` shows what a page opened at `month` (with `hidden` contingents
    hidden) shows in the same view: the records' canvas to the pixel, the scene and visible()."""
    view = stepped.page.evaluate("() => { const m = L.SiberiaMap.current.map; "
                                 "return [m.getCenter().lat, m.getCenter().lng, m.getZoom()]; }")
    direct = open_page(built, f"#{month}")
    for c in hidden:
        direct.api(f"setContingentVisible('{c}', false)")
    direct.page.evaluate("v => { L.SiberiaMap.current.map.setView([v[0], v[1]], v[2], "
                         "{animate: false}); }", view)
    direct.page.evaluate(FRAME)
    direct.page.evaluate(FRAME)
    sel = ".leaflet-smRecords-pane canvas"
    got, expected = stepped.page.evaluate(PIXELS, sel), direct.page.evaluate(PIXELS, sel)
    assert expected["inked"] > 1000, expected
    assert got == expected
    assert stepped.page.evaluate(SCENE) == direct.page.evaluate(SCENE)
    assert stepped.api("visible()") == direct.api("visible()")


def test_steps_to_months_made_ready_while_idle_copy_what_a_direct_drawing_gives(open_page, build_map):
    # With the page idle between steps, each step (on, then back) finds its month made ready
    # (StepAhead): it takes that scene and copies that drawing, movements included. A jump
    # draws, and the step after it copies again.
    built = build_map(data=GEODATA)
    months = ["1918-08", "1918-09", "1918-10", "1918-11", "1918-10", "1918-09"]
    stepped = open_page(built, f"#{months[0]}")
    for month in months[1:]:
        stepped.page.evaluate(IDLE_AHEAD)
        stepped.api(f"setMonth('{month}')")
        stepped.page.evaluate(FRAME)
        assert stepped.page.evaluate(COPIED), month
    stepped.page.evaluate(IDLE_AHEAD)
    # (Checked as the jump is made: the idle time before its frame may make it ready, as it
    # does for any month stepped to, now that the events list waits for idle time too.)
    assert not stepped.page.evaluate("() => { window.siberiaMap.setMonth('1920-02'); return (" + COPIED + ")(); }")
    stepped.page.evaluate(FRAME)
    stepped.page.evaluate(IDLE_AHEAD)
    stepped.api("setMonth('1920-03')")
    stepped.page.evaluate(FRAME)
    assert stepped.page.evaluate(COPIED)
    _as_if_opened_there(open_page, built, stepped, "1920-03")


# Left to draw: all but the movements; the symbols' order and the symbols; the symbols (which
# the order added to the drawing's slices ahead of the step).
@pytest.mark.parametrize("kind", ["areas", "order", "symbols"])
def test_a_step_to_a_month_drawn_ahead_in_part_copies_the_part_and_draws_the_rest(open_page, build_map, kind):
    built = build_map(data=GEODATA)
    stepped = open_page(built, "#1918-09")
    stepped.page.evaluate(IDLE_AHEAD)
    sel = ".leaflet-smRecords-pane canvas"
    # (Up to the first slice of that kind, of the next month.)
    got = stepped.page.evaluate(STEP_INTO_DRAWING_AHEAD, [stepped.api("months()").index("1918-10"), kind, 1, sel])
    assert got["taken"] and got["taken"][0] > 0 and not got["prepared"]
    direct = open_page(built, "#1918-10")
    view = stepped.page.evaluate("() => { const m = L.SiberiaMap.current.map; "
                                 "return [m.getCenter().lat, m.getCenter().lng, m.getZoom()]; }")
    direct.page.evaluate("v => { L.SiberiaMap.current.map.setView([v[0], v[1]], v[2], {animate: false}); }", view)
    direct.page.evaluate(FRAME)
    direct.page.evaluate(FRAME)
    expected = direct.page.evaluate(PIXELS, sel)
    assert expected["inked"] > 1000
    assert got["pixels"] == expected


@pytest.mark.parametrize("change,hidden", [
    ("() => { L.SiberiaMap.current.map.panBy([120, 40], {animate: false}); }", ()),
    ("() => { L.SiberiaMap.current.map.zoomIn(1, {animate: false}); }", ()),
    ("() => { window.siberiaMap.setContingentVisible('japan', false); }", ("japan",)),
])
def test_a_drawing_made_ahead_is_not_copied_once_the_view_or_the_contingents_change(
        open_page, build_map, change, hidden):
    # (The change, the step and the check in one task: no idle time between them to make the
    # month ready again for the new state, as the idle time before a step's frame may.) Drawn
    # as if opened there; made ready again for the new view, the next step copies.
    built = build_map(data=GEODATA)
    stepped = open_page(built, "#1918-09")
    stepped.page.evaluate(IDLE_AHEAD)
    assert not stepped.page.evaluate(
        f"() => {{ ({change})(); window.siberiaMap.setMonth('1918-10'); return ({COPIED})(); }}")
    stepped.page.evaluate(FRAME)
    _as_if_opened_there(open_page, built, stepped, "1918-10", hidden)
    stepped.page.evaluate(IDLE_AHEAD)
    stepped.api("setMonth('1918-11')")
    stepped.page.evaluate(FRAME)
    assert stepped.page.evaluate(COPIED)
    _as_if_opened_there(open_page, built, stepped, "1918-11", hidden)

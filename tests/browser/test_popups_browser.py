"""Popups opened one after another, faster than the map pans (the shipped map).

An entry of the events list whose record lies outside the view pans the map first and opens
the popup when the pan ends. A popup opened meanwhile (a click on a symbol, another entry)
stops that pan to lay itself out, and the pan's early end must not then open the first
popup over it: the reader's later click wins, and nothing is closed while Leaflet lays it
out. The page's clock is held still while the map pans, so the second click always falls
inside the pan, on a loaded machine as on an idle one.
"""

import datetime
import re

import pytest

from conftest import GEODATA

pytestmark = pytest.mark.browser

MONTH = "1919-06"
PHONE = dict(is_mobile=True, has_touch=True)
SIZES = {"1280x720": ((1280, 720), {}), "1024x768": ((1024, 768), {}),
         "phone": ((390, 844), PHONE), "phone-sideways": ((844, 390), PHONE)}

# Where the month's records are on screen, whether the map is what a pointer would hit there
# (not a control or the sheet), and whether the list would pan to them (outside the inner
# 90 % of the view).
ON_SCREEN = """() => { const {map, records} = L.SiberiaMap.current, size = map.getSize(), c = map.getContainer();
  const inner = map.getBounds().pad(-0.05);
  return window.siberiaMap.visible().filter(r => r.lat !== null).map(r => {
    const q = map.latLngToContainerPoint([r.lat, r.lon]), el = document.elementFromPoint(q.x, q.y);
    const under = q.x >= 0 && q.y >= 0 && q.x < size.x && q.y < size.y
      ? records.chooserAt(map.containerPointToLayerPoint(q)) : [];
    return {id: r.id, type: r.type, x: q.x, y: q.y, under: under.map(h => h.id), pans: !inner.contains([r.lat, r.lon]),
            free: !!el && (el === c || !!el.closest('.leaflet-map-pane'))}; }); }"""
OPEN = """() => { const {map, records} = L.SiberiaMap.current, r = records.popupRecord();
  const open = !!map._popup && map.hasLayer(map._popup);
  return {record: r && r.id, open: open, chooser: open && map._popup === records._chooser,
          panning: !!(map._panAnim && map._panAnim._inProgress)}; }"""


@pytest.fixture(scope="module")
def shipped(build_map):
    return build_map(data=GEODATA)


@pytest.fixture(scope="module")
def held_clock_pages(browser, shipped):
    """`get(size)`: the map with the page's clock installed (from the load on), so a test can
    hold it; one page per window size for the module, given back with no popup, no pan
    under way and the clock running again."""
    from browser import close_checked, open_map

    opened = {}

    def get(size):
        if size not in opened:
            viewport, options = SIZES[size]
            opened[size] = open_map(browser, shipped, f"#{MONTH}", viewport=viewport,
                                    before_load=lambda page: page.clock.install(), **options)
        s = opened[size]
        s.page.clock.resume()
        s.page.evaluate("() => { const m = L.SiberiaMap.current.map; m.stop(); m.closePopup(); }")
        # (A closed popup fades out for 200 ms before it leaves the page.)
        s.page.wait_for_selector(".leaflet-popup", state="detached")
        return s

    yield get
    close_checked(opened.values())


def show_events(page):
    tab = page.get_by_role("tab", name=re.compile("^Events"))
    if tab.get_attribute("aria-selected") != "true":
        tab.click()


def just_outside(page, record):
    """Moves the view so that `record` lies just beyond the right edge of the inner 90 % the
    list asks for: an entry's click then pans (animated, a short way) before its popup."""
    page.evaluate("""([lat, lon]) => { const m = L.SiberiaMap.current.map;
      m.setView([lat, lon], 4, {animate: false}); m.panBy([-m.getSize().x * 0.47, 0], {animate: false}); }""",
                  [record["lat"], record["lon"]])


def click_entry(page, rid):
    entry = page.locator(f".sm-event[data-record='{rid}']")
    entry.scroll_into_view_if_needed()
    box = entry.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("then", ["symbol", "entry in view", "entry out of view"])
def test_a_popup_opened_while_the_list_pans_stays_open(held_clock_pages, size, then):
    s = held_clock_pages(size)
    page = s.page
    show_events(page)
    events = [r for r in s.api("visible()") if r["type"] == "event" and r["lat"] is not None]
    # The first entry's record: one at Vladivostok, with symbols of the month around it.
    first = next(r for r in events if abs(r["lon"] - 131.9) < 1 and abs(r["lat"] - 43.1) < 1)
    just_outside(page, first)
    shown = page.evaluate(ON_SCREEN)
    inside = {r["id"] for r in shown if not r["pans"]}
    assert first["id"] not in inside

    # (Held a day ahead of the page's time: the page is shared, its clock already moved on.)
    page.clock.pause_at(datetime.datetime.fromtimestamp(page.evaluate("() => Date.now()") / 1000 + 86_400,
                                                        tz=datetime.timezone.utc))
    click_entry(page, first["id"])
    assert page.evaluate(OPEN) == {"record": None, "open": False, "chooser": False, "panning": True}

    if then == "symbol":
        # A symbol in view, clear of the controls: its popup, or the chooser where several
        # records lie under the pointer.
        target = next(r for r in shown if r["free"] and r["under"] and not r["pans"])
        page.mouse.click(target["x"], target["y"])
        expected = target["id"] if len(target["under"]) == 1 else None
    else:
        # Another entry: one whose record is in view, or one that pans too.
        want_inside = then == "entry in view"
        expected = next(r["id"] for r in events if r["id"] != first["id"]
                        and (r["id"] in inside) == want_inside
                        and page.locator(f".sm-event[data-record='{r['id']}']").count())
        click_entry(page, expected)
    page.clock.run_for(2000)
    page.wait_for_function("() => !(L.SiberiaMap.current.map._panAnim || {})._inProgress")
    state = page.evaluate(OPEN)
    assert state["open"] and state["record"] == expected and state["chooser"] == (expected is None), state
    assert s.errors == []


@pytest.mark.parametrize("size", ["phone", "phone-sideways"])
def test_a_popup_near_the_basemaps_edge_keeps_clear_of_the_windows_sides(open_page, shipped, size):
    # At a phone's least zoom the view cannot pan past the basemap's west edge, and Perm's
    # and Ufa's popups, centred over their towns, met the window's left side: a popup is
    # made narrower there instead, and keeps the margin every other popup keeps.
    from test_reader import SETTLED

    viewport, options = SIZES[size]
    # (Reduced motion: each popup's pan into view jumps to where it would end, so the loop
    # waits for no animation; the pans themselves are the test above.)
    s = open_page(shipped, f"#{MONTH}", viewport=viewport, reduced_motion="reduce", **options)
    page = s.page
    events = [r["id"] for r in s.api("visible()") if r["type"] == "event" and r["lat"] is not None]
    assert events
    for rid in events:
        page.evaluate("() => { const m = L.SiberiaMap.current.map; m.setZoom(m.getMinZoom(), {animate: false}); }")
        show_events(page)
        click_entry(page, rid)
        page.wait_for_selector(".leaflet-popup")
        box = page.evaluate(SETTLED)
        pad = page.evaluate("() => L.SiberiaMap.current.layout.padding()")
        assert pad["l"] - 0.5 <= box["x0"] and box["x1"] <= viewport[0] - pad["r"] + 0.5, (rid, box, pad)
        page.keyboard.press("Escape")
        page.wait_for_selector(".leaflet-popup", state="detached")

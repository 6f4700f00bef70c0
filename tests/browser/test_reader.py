"""The reader's map on every screen (issue 12): the default data set in headless Chromium at
1400x900, 1280x720 and a 390x844 touch phone, clicked and typed at as a person would,
with the geometry asserted: nothing covers a popup, an event entry, a label or another
control. Expectations come from the data (the browser API), not from counts written here."""

import re
import unicodedata

import pytest

from browser import open_map
from conftest import GEODATA

pytestmark = pytest.mark.browser

PHONE = dict(is_mobile=True, has_touch=True, device_scale_factor=3)
SIZES = {"1400x900": ((1400, 900), {}), "1280x720": ((1280, 720), {}), "phone": ((390, 844), PHONE)}
DESKTOP = ["1400x900", "1280x720"]
KEY_LABELS = ["Irkutsk", "Chita", "Harbin", "Khabarovsk", "Omsk", "Vladivostok", "Lake Baikal"]

# The boxes of everything that stands over the map: controls, and an open sheet (which a
# phone places outside its control's box).
BOXES = """() => Array.from(document.querySelectorAll(
    '.leaflet-control, .sm-panel:not(.sm-collapsed) > .sm-panel-body')).filter(el =>
  !el.classList.contains('sm-panel-body') || getComputedStyle(el).position === 'fixed').map(el => {
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return {name: el.className, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
          shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'};
}).filter(b => b.shown)"""

# Resolves once the popup (if any) has stayed put for a few frames: autopan has finished.
SETTLED = """() => new Promise(resolve => {
  let last = '', same = 0, frames = 0;
  const tick = () => {
    const p = document.querySelector('.leaflet-popup');
    const r = p ? p.getBoundingClientRect() : null;
    const key = r ? [r.left, r.top, r.width, r.height].map(Math.round).join() : '';
    same = key === last ? same + 1 : 0;
    last = key;
    if (same >= 4 || ++frames > 120) { resolve(r && {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}); }
    else { requestAnimationFrame(tick); }
  };
  requestAnimationFrame(tick);
})"""


def overlap(a, b, tol=0.5):
    return (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > tol and
            min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > tol)


def inside_window(box, size):
    return box["x0"] >= -0.5 and box["y0"] >= -0.5 and box["x1"] <= size[0] + 0.5 and \
        box["y1"] <= size[1] + 0.5


@pytest.fixture(scope="module")
def built(build_map):
    return build_map(data=GEODATA)


def opened(browser, built, size, hash_=""):
    viewport, options = SIZES[size]
    s = open_map(browser, built, hash_, viewport=viewport, **options)
    s.page.evaluate(SETTLED)
    return s


@pytest.fixture
def closing():
    sessions = []
    yield sessions.append
    for s in sessions:
        s.page.context.close()
        assert s.errors == [], s.errors
        assert s.blocked == [], s.blocked


def month_events(s):
    return [r["id"] for r in s.api("visible()") if r["type"] == "event"]


def busiest_event_month(s):
    """The month with the most events (derived from the data through the API)."""
    return s.page.evaluate("""() => {
      const m = L.SiberiaMap.current.controller.model;
      let best = 0;
      for (let i = 0; i < m.months.length; i++) { if (m.bucketEvents(i) > m.bucketEvents(best)) best = i; }
      return m.months[best];
    }""")


def open_events(s):
    """On a phone the events are a sheet: open it by its toggle, as a person would."""
    page = s.page
    if page.evaluate("() => !!document.querySelector('.sm-events.sm-collapsed')"):
        box = page.locator(".sm-events .sm-panel-toggle").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function("() => !document.querySelector('.sm-events.sm-collapsed')")


def click_centre(page, locator):
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize("size", SIZES)
def test_controls_never_cover_each_other(browser, built, closing, size):
    s = opened(browser, built, size, "#1918-08")
    closing(s)
    states = [None, ".sm-events .sm-panel-toggle", ".sm-legend .sm-panel-toggle"]
    for toggle in states:
        if toggle:
            click_centre(s.page, s.page.locator(toggle))
            s.page.evaluate(SETTLED)
        boxes = s.page.evaluate(BOXES)
        assert len(boxes) >= 5
        for i, a in enumerate(boxes):
            assert inside_window(a, SIZES[size][0]), a
            for b in boxes[i + 1:]:
                assert not overlap(a, b), (toggle, a, b)


@pytest.mark.parametrize("size", SIZES)
def test_each_event_in_the_panel_can_be_clicked(browser, built, closing, size):
    s = opened(browser, built, size)
    closing(s)
    s.api(f"setMonth('{busiest_event_month(s)}')")
    open_events(s)
    page = s.page
    ids = month_events(s)[:60]  # the first page of the list
    assert len(ids) > 5
    page.wait_for_function("(n) => document.querySelectorAll('.sm-event-list li:not([inert]) .sm-event').length >= n",
                           arg=len(ids))
    for rid in ids:
        button = page.locator(f".sm-event[data-record='{rid}']")
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        hit = page.evaluate("""([x, y, id]) => {
          const el = document.elementFromPoint(x, y);
          const b = el && el.closest('.sm-event');
          return b ? b.getAttribute('data-record') : (el ? el.className : null);
        }""", [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, rid])
        assert hit == rid
        assert inside_window({"x0": box["x"], "y0": box["y"], "x1": box["x"] + box["width"],
                              "y1": box["y"] + box["height"]}, SIZES[size][0])


@pytest.mark.parametrize("size", SIZES)
def test_popups_open_inside_the_window_clear_of_every_control(browser, built, closing, size):
    s = opened(browser, built, size, "#1918-08")
    closing(s)
    page = s.page
    ids = month_events(s)
    assert ids
    for rid in ids:
        open_events(s)
        click_centre(page, page.locator(f".sm-event[data-record='{rid}']"))
        page.wait_for_selector(".leaflet-popup")
        popup = page.evaluate(SETTLED)
        assert popup and inside_window(popup, SIZES[size][0]), (rid, popup)
        for box in page.evaluate(BOXES):
            assert not overlap(popup, box), (rid, popup, box)
        page.keyboard.press("Escape")
        page.wait_for_selector(".leaflet-popup", state="detached")


@pytest.mark.parametrize("size", SIZES)
def test_first_view_fits_every_record_clear_of_the_panels(browser, built, closing, size):
    s = opened(browser, built, size)
    closing(s)
    fit = s.page.evaluate("""() => {
      const {map, controller} = L.SiberiaMap.current, m = controller.model;
      const pts = [];
      const walk = c => { if (typeof c[0] === 'number') pts.push(map.latLngToContainerPoint([c[0], c[1]]));
                          else c.forEach(walk); };
      m.records.filter(r => r.geom).forEach(r => walk(r.geom.c));
      const xs = pts.map(p => p.x), ys = pts.map(p => p.y);
      return {x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys),
              pts: pts.map(p => [p.x, p.y])};
    }""")
    boxes = s.page.evaluate(BOXES)
    for x, y in fit["pts"]:
        assert 0 <= x <= SIZES[size][0][0] and 0 <= y <= SIZES[size][0][1], (x, y)
        assert not any(b["x0"] < x < b["x1"] and b["y0"] < y < b["y1"] for b in boxes), (x, y)
    # Fitted, not merely inside: the theatre spans most of the free width or height.
    pad = s.page.evaluate("() => L.SiberiaMap.current.layout.padding()")
    free_w = SIZES[size][0][0] - pad["l"] - pad["r"]
    free_h = SIZES[size][0][1] - pad["t"] - pad["b"]
    assert (fit["x1"] - fit["x0"]) > 0.75 * free_w or (fit["y1"] - fit["y0"]) > 0.75 * free_h


@pytest.mark.parametrize("size", DESKTOP)
def test_key_places_are_labelled_and_uncovered_at_the_first_view(browser, built, closing, size):
    s = opened(browser, built, size)
    closing(s)
    labels = s.page.evaluate("""(names) => names.map(n => {
      const el = Array.from(document.querySelectorAll('.sm-label-text')).find(t => t.textContent === n);
      if (!el) return {name: n, found: false};
      const r = el.getBoundingClientRect(), hidden = !!el.closest('.sm-label-hidden');
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return {name: n, found: true, hidden, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
              underControl: !!(top && top.closest('.leaflet-control, .leaflet-popup'))};
    })""", KEY_LABELS)
    boxes = s.page.evaluate(BOXES)
    for label in labels:
        assert label["found"] and not label["hidden"], label
        assert inside_window(label, SIZES[size][0]), label
        assert not label["underControl"], label
        assert not any(overlap(label, b) for b in boxes), label
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not overlap(a, b), (a, b)


@pytest.mark.parametrize("size", DESKTOP)
def test_labels_never_sit_on_a_symbol_in_the_busiest_month(browser, built, closing, size):
    s = opened(browser, built, size)
    closing(s)
    s.api(f"setMonth('{busiest_event_month(s)}')")
    s.page.evaluate(SETTLED)
    covered = s.page.evaluate("""() => {
      const {map, records} = L.SiberiaMap.current, out = [], origin = map.getContainer().getBoundingClientRect();
      document.querySelectorAll('.sm-label:not(.sm-label-hidden) .sm-label-text').forEach(t => {
        const r = t.getBoundingClientRect();
        for (let x = r.left; x <= r.right; x += 3) for (let y = r.top; y <= r.bottom; y += 3) {
          const lp = map.containerPointToLayerPoint([x - origin.left, y - origin.top]);
          if (records.chooserAt(lp).some(h => h.symbol)) { out.push(t.textContent); return; }
        }
      });
      return out;
    }""")
    assert covered == []
    assert s.page.locator(".sm-label:not(.sm-label-hidden)").count() >= 8


@pytest.mark.parametrize("size", SIZES)
def test_a_click_on_vladivostok_lists_every_record_there(browser, built, closing, size):
    s = opened(browser, built, size)
    closing(s)
    page = s.page
    # The month with the most records at Vladivostok, and those records, from the data.
    month, expected = page.evaluate("""() => {
      const m = L.SiberiaMap.current.controller.model;
      const v = m.places.find(p => p.id === 'vladivostok'), at = m.geoms[v.g].c, key = at[0] + ',' + at[1];
      let best = 0, recs = [];
      for (let i = 0; i < m.months.length; i++) {
        const here = m.bucket(i).filter(r => m.anchorKeys[r.a] === key);
        if (here.length > recs.length) { best = i; recs = here; }
      }
      return [m.months[best], recs.map(r => r.id + '/' + r.type)];
    }""")
    assert len(expected) > 3
    s.api(f"setMonth('{month}')")
    page.evaluate("""() => { const {map, controller} = L.SiberiaMap.current, m = controller.model;
      const v = m.places.find(p => p.id === 'vladivostok'); map.setView(m.geoms[v.g].c, map.getZoom(), {animate: false}); }""")
    x, y = page.evaluate("""() => { const {map, controller} = L.SiberiaMap.current, m = controller.model;
      const v = m.places.find(p => p.id === 'vladivostok'), p = map.latLngToContainerPoint(m.geoms[v.g].c);
      const r = map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }""")
    page.mouse.click(x, y)
    page.wait_for_selector(".sm-chooser")
    listed = page.evaluate("""() => Array.from(document.querySelectorAll('.sm-chooser-item'))
      .map(b => b.getAttribute('data-record') + '/' + b.getAttribute('data-type'))""")
    assert set(expected) <= set(listed)
    popup = page.evaluate(SETTLED)
    for box in page.evaluate(BOXES):
        assert not overlap(popup, box), (popup, box)
    # Each entry opens its record: the last one listed, chosen by a click.
    last = page.locator(".sm-chooser-item").last
    rid = last.get_attribute("data-record")
    click_centre(page, last)
    page.wait_for_selector(".sm-popup-event, .sm-popup-presence")
    assert page.evaluate("() => L.SiberiaMap.current.records.popupRecord().id") == rid


def test_escape_closes_a_popup_and_returns_the_focus(browser, built, closing):
    s = opened(browser, built, "1280x720", "#1918-08")
    closing(s)
    page = s.page
    rid = month_events(s)[0]
    button = page.locator(f".sm-event[data-record='{rid}']")
    click_centre(page, button)
    page.wait_for_selector(".leaflet-popup")
    assert page.evaluate("() => !!document.activeElement.closest('.leaflet-popup')")
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate("() => document.activeElement.getAttribute('data-record')") == rid
    # Opened by keyboard from the list, closed by its close button: the same.
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup")
    click_centre(page, page.locator(".leaflet-popup-close-button"))
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate("() => document.activeElement.getAttribute('data-record')") == rid


def contrast(rgb_a, rgb_b):
    def lum(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    a, b = sorted((lum(rgb_a), lum(rgb_b)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("size", ["1280x720", "phone"])
def test_keyboard_skip_link_slider_and_focus_rings(browser, built, closing, size):
    s = opened(browser, built, size)
    closing(s)
    page = s.page
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "sm-skip"
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().width") > 20
    for _ in range(2):
        if page.evaluate("() => document.activeElement.type") == "range":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Month"
    # Every control the Tab key reaches shows a ring of at least 3:1 against the paper.
    seen = 0
    for _ in range(40):
        ring = page.evaluate("""() => { const el = document.activeElement, s = getComputedStyle(el);
          return {tag: el.tagName, cls: el.className, style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                  colour: s.outlineColor}; }""")
        if ring["tag"] != "BODY":
            assert ring["style"] != "none" and ring["width"] >= 2, ring
            rgb = [int(v) for v in re.findall(r"\d+", ring["colour"])[:3]]
            assert contrast(rgb, (251, 248, 240)) >= 3, ring
            seen += 1
        page.keyboard.press("Tab")
    assert seen >= 20


def test_arrow_keys_step_or_pan_and_the_slider_reads_the_month(browser, built, closing):
    s = opened(browser, built, "1400x900", "#1919-06")
    closing(s)
    page = s.page
    slider = page.get_by_role("slider", name="Month")
    assert slider.get_attribute("aria-valuetext") == "June 1919"
    months = s.api("months()")
    i = months.index("1919-06")
    slider.focus()
    page.keyboard.press("PageUp")
    assert s.api("month()") == months[min(len(months) - 1, i + 12)]
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    assert s.api("month()") == months[max(0, i - 12)]
    page.keyboard.press("End")
    assert s.api("month()") == months[-1]
    page.keyboard.press("Home")
    assert s.api("month()") == months[0]
    page.keyboard.press("ArrowRight")
    assert s.api("month()") == months[1]
    assert slider.get_attribute("aria-valuetext") == re.sub(r"^", "", page.locator(".sm-month-label").inner_text())
    # Focus on the map: the arrows pan it and leave the month alone.
    page.locator("#map_siberia").focus()
    before = page.evaluate("() => L.SiberiaMap.current.map.getCenter().lng")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(c) => L.SiberiaMap.current.map.getCenter().lng > c + 0.01", arg=before)
    assert s.api("month()") == months[1]


def test_histogram_counts_each_months_records_under_the_slider(browser, built, closing):
    s = opened(browser, built, "1280x720")
    closing(s)
    page = s.page
    counts = page.evaluate("() => L.SiberiaMap.current.histogram.counts()")
    for k, month in enumerate(s.api("months()")):
        s.api(f"setMonth('{month}')")
        shown = s.api("visible()")
        assert counts["events"][k] == sum(r["type"] == "event" for r in shown), month
        assert counts["presence"][k] == sum(r["type"] == "presence" for r in shown), month
    slider = page.locator(".sm-month-slider").bounding_box()
    bars = page.locator(".sm-month-histogram").bounding_box()
    assert bars["y"] >= slider["y"] + slider["height"] - 1 and abs(bars["width"] - slider["width"]) < 2


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c)).casefold()


@pytest.mark.parametrize("size", ["1400x900", "phone"])
def test_search_finds_places_by_any_name_and_events_by_title(browser, built, closing, size):
    s = opened(browser, built, size)
    closing(s)
    page = s.page
    search = page.get_by_role("combobox", name="Find a place or an event")
    # The modern name, typed in capitals, finds the 1918 name; Enter goes there.
    click_centre(page, search)
    page.keyboard.type("NOVOSIBIRSK")
    option = page.get_by_role("option").first
    assert "Novonikolaevsk" in option.inner_text()
    page.keyboard.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == option.get_attribute("id")
    page.keyboard.press("Enter")
    centre = page.evaluate("() => L.SiberiaMap.current.map.getCenter()")
    assert abs(centre["lat"] - 55.0) < 3 and abs(centre["lng"] - 82.9) < 6
    # An event by a word of its title, accents and case ignored: its month, its popup.
    title, month = page.evaluate("""() => { const m = L.SiberiaMap.current.controller.model;
      const r = m.records.find(r => r.type === 'event' && m.months[r.m0] !== m.months[0]);
      return [m.field(r, 'title'), m.months[r.m0]]; }""")
    word = max(title.split(), key=len)
    accented = word[0].upper() + "".join(c + "\u0301" if c in "aeiou" else c for c in word[1:])
    assert fold(accented) == fold(word)
    search.fill("")
    click_centre(page, search)
    page.keyboard.type(accented)
    option = page.get_by_role("option", name=re.compile(re.escape(title)))
    click_centre(page, option.first)
    page.wait_for_selector(".sm-popup-event")
    assert s.api("month()") == month
    assert title in page.locator(".leaflet-popup-content").inner_text()


def test_phone_map_fills_the_screen_one_sheet_at_a_time_targets_44px(browser, built, closing):
    s = opened(browser, built, "phone", "#1918-08")
    closing(s)
    page = s.page
    box = page.locator("#map_siberia").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    click_centre(page, page.locator(".sm-events .sm-panel-toggle"))
    assert page.locator(".sm-events .sm-panel-body").is_visible()
    click_centre(page, page.locator(".sm-legend .sm-panel-toggle"))
    assert page.locator(".sm-legend .sm-panel-body").is_visible()
    assert not page.locator(".sm-events .sm-panel-body").is_visible()
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.leaflet-control button, .leaflet-control input, .leaflet-control a, .leaflet-control [role=option], .sm-contingent label'))
      .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
                      getComputedStyle(el).visibility !== 'hidden' && !el.closest('label') ; })
      .map(el => { const r = el.getBoundingClientRect(); return {el: el.outerHTML.slice(0, 80), w: r.width, h: r.height}; })
      .filter(t => t.w < 44 || t.h < 44)""")
    assert small == []
    # A popup opened from the events sheet comes above everything: the sheet folds.
    click_centre(page, page.locator(".sm-events .sm-panel-toggle"))
    click_centre(page, page.locator(".sm-event").first)
    page.wait_for_selector(".leaflet-popup")
    popup = page.evaluate(SETTLED)
    assert not page.locator(".sm-events .sm-panel-body").is_visible()
    for b in page.evaluate(BOXES):
        assert not overlap(popup, b), (popup, b)


def test_printed_month_lists_every_event_title(browser, built, closing, tmp_path):
    from pypdf import PdfReader

    s = opened(browser, built, "1400x900", "#1918-08")
    closing(s)
    page = s.page
    titles = page.evaluate("""() => { const c = L.SiberiaMap.current.controller;
      return c.visibleEvents().map(r => c.model.field(r, 'title')); }""")
    assert len(titles) > 5
    page.emulate_media(media="print")
    pdf = tmp_path / "august-1918.pdf"
    page.pdf(path=str(pdf), landscape=True, print_background=True)
    text = " ".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    missing = [t for t in titles if re.sub(r"\s+", " ", t) not in text]
    assert missing == []
    assert len(PdfReader(str(pdf)).pages) >= 2


@pytest.mark.parametrize("viewport", [(640, 400), (480, 320), (2560, 400)])
def test_small_and_odd_windows_open_with_the_theatre_in_view(browser, built, closing, viewport):
    # The controls may leave almost nothing free; the first view must still be a real one.
    s = open_map(browser, built, "", viewport=viewport)
    closing(s)
    s.page.evaluate(SETTLED)
    view = s.page.evaluate("""() => {
        const map = L.SiberiaMap.current.map, c = map.getCenter();
        return {lat: c.lat, lng: c.lng, zoom: map.getZoom(),
                vlad: map.getBounds().contains([43.12, 131.89]),
                omsk: map.getBounds().contains([54.99, 73.37])};
    }""")
    assert all(isinstance(view[k], (int, float)) and view[k] == view[k] for k in ("lat", "lng", "zoom"))
    assert view["vlad"] and view["omsk"], view
    assert len(s.api("months()")) > 0

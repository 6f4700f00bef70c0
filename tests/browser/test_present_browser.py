"""The presentation view (issue 18 item 7): `#present` in the page and `siberia-map animate`.

On the default data set (its busiest month has 21 events, its chapters the longest texts).
One browser for the module, one page per window size, reused by every test at that size.
"""

import pytest
from PIL import Image

from browser import open_map
from conftest import GEODATA

pytestmark = pytest.mark.browser

SIZES = [(1280, 720), (1920, 1080)]
CAPTION = """() => { const c = document.querySelector('.sm-present-caption');
  const r = c.getBoundingClientRect();
  return {scroll: c.scrollHeight, client: c.clientHeight, top: r.top, bottom: r.bottom,
          right: r.right, h: innerHeight, w: innerWidth}; }"""
INPUTS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(e => { const r = e.getBoundingClientRect();
                 return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; })
  .map(e => e.outerHTML.slice(0, 80))"""


@pytest.fixture(scope="module")
def built(build_map):
    return build_map(data=GEODATA)


def per_size(browser, built, address, reset=lambda s: None):
    """A fixture's body: `get(size)` opens the page at `address` for that window size the first
    time (then `reset(s)` before each use); every page is closed, free of errors, at the end."""
    opened = {}

    def get(size):
        if size not in opened:
            opened[size] = open_map(browser, built, address, viewport=size)
        reset(opened[size])
        return opened[size]

    yield get
    for s in opened.values():
        s.close()
        assert s.errors == [], s.errors


@pytest.fixture(scope="module")
def pages(browser, built):
    """`#present` pages, one per size, opened when first asked for."""
    yield from per_size(browser, built, "#present")


def busiest(s):
    return s.page.evaluate("""() => { const ms = window.siberiaMap.months(); let best = null, n = -1;
      for (const m of ms) { window.siberiaMap.setMonth(m);
        const k = L.SiberiaMap.current.controller.visibleEventCount(); if (k > n) { n = k; best = m; } }
      return best; }""")


@pytest.mark.parametrize("size", SIZES)
def test_present_view_has_no_form_controls_and_the_caption_of_every_month_fits(pages, size):
    s = pages(size)
    page = s.page
    assert page.evaluate("() => document.querySelector('.sm-map').classList.contains('sm-present')")
    assert page.evaluate(INPUTS) == []
    months = s.api("months()")
    most = busiest(s)  # (a sweep of every month: asked once)
    for month in [months[0], most, "1919-06"]:
        page.evaluate("(m) => window.siberiaMap.setMonth(m)", month)
        c = page.evaluate(CAPTION)
        assert c["scroll"] <= c["client"], (month, c)
        assert 0 < c["top"] < c["bottom"] <= c["h"] and c["right"] <= c["w"] / 2 + 1, (month, c)
        key = page.evaluate("() => { const k = document.querySelector('.sm-present-key');"
                            " return [k.scrollHeight, k.clientHeight, k.scrollWidth, k.clientWidth]; }")
        assert key[0] <= key[1] + 1 and key[2] <= key[3] + 1, (month, key)
        # The title and month say which month the frame is.
        assert page.inner_text(".sm-present-month") == page.evaluate(
            "() => L.SiberiaMap.current.controller.monthLabel()")
    # The busiest month cannot show all 21 events: whole entries go, and a line says how many.
    page.evaluate("(m) => window.siberiaMap.setMonth(m)", most)
    more = page.inner_text(".sm-present-more")
    shown = page.evaluate("() => document.querySelectorAll('.sm-present-events li:not(.sm-present-more)').length")
    n = page.evaluate("() => L.SiberiaMap.current.controller.visibleEventCount()")
    assert f"and {n - shown} more" in more and shown >= 5


@pytest.mark.parametrize("size", SIZES)
def test_every_chapter_is_shown_in_full(pages, size):
    s = pages(size)
    page = s.page
    texts = page.evaluate("() => JSON.parse(JSON.stringify(L.SiberiaMap.current.map && "
                          "window.siberiaMap.chapters()))")
    assert len(texts) > 5
    for ch in texts:
        page.evaluate("(id) => window.siberiaMap.showChapter(id)", ch["id"])
        c = page.evaluate(CAPTION)
        assert c["scroll"] <= c["client"], (ch["id"], c)
        assert page.inner_text(".sm-present-chapter-title") == ch["title"]
        full = page.evaluate("(id) => L.SiberiaMap.current.controller.model.payload.story"
                             ".find(c => c.id === id).text", ch["id"])
        assert page.inner_text(".sm-present-text") == full
    assert page.evaluate(INPUTS) == []


def test_present_steps_with_the_arrow_keys_and_keeps_the_mode_in_the_address(pages):
    s = pages((1280, 720))
    page = s.page
    # (Every contingent shown again: a chapter shown by an earlier test may have hidden some.)
    page.evaluate("() => { window.siberiaMap.setMonth('1919-06'); window.siberiaMap.contingents()"
                  ".forEach(c => window.siberiaMap.setContingentVisible(c.id, true)); }")
    page.keyboard.press("ArrowRight")
    assert s.api("month()") == "1919-07"  # one step, not two (the month bar hears the keys too)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert s.api("month()") == "1919-05"
    assert page.inner_text(".sm-present-month") == "May 1919"
    page.wait_for_function("() => location.hash === '#present&1919-05'")
    # With a chapter shown, the keys go from chapter to chapter.
    chapters = s.api("chapters()")
    page.evaluate("(id) => window.siberiaMap.showChapter(id)", chapters[1]["id"])
    page.keyboard.press("ArrowRight")
    assert s.api("chapter()") == chapters[2]["id"]
    page.keyboard.press("ArrowLeft")
    assert s.api("chapter()") == chapters[1]["id"]
    page.wait_for_function(f"() => location.hash === '#present&story={chapters[1]['id']}'")


def test_leaving_present_brings_the_reader_back(browser, built):
    s = open_map(browser, built, "#present&1919-06", viewport=(1280, 720))
    try:
        page = s.page
        assert page.evaluate(INPUTS) == []
        page.evaluate("() => { location.hash = '#1919-06'; }")
        page.wait_for_function("() => !document.querySelector('.sm-present-overlay')")
        assert page.evaluate(INPUTS) != []
        page.keyboard.press("ArrowRight")
        assert s.api("month()") == "1919-07"
        assert s.errors == []
    finally:
        s.close()


@pytest.fixture(scope="module")
def dataset(shipped):
    return shipped


# (The page tests above cover both sizes of the same view; each capture starts a Chromium.)
@pytest.mark.parametrize("story,size", [(False, (1280, 720)), (True, (1920, 1080))])
def test_animate_frames_are_the_presentation_view(built, dataset, tmp_path, story, size):
    """The frames `animate` captures: no form control, the caption whole."""
    from io import BytesIO

    from siberia_map.output import animate

    w, h = size
    p = animate.plan(dataset, str(tmp_path / "a.gif"), "1918-07", "1918-09", None, f"{w}x{h}", story)
    p = animate.Plan(p.fmt, p.size, p.fps, p.story, p.frames[-2:])
    seen = []
    shots = animate.capture(built.read_text(encoding="utf-8"), p, inspect=lambda page: seen.append(
        {"inputs": page.evaluate(INPUTS), "caption": page.evaluate(CAPTION),
         "chapter": page.evaluate("() => window.siberiaMap.chapter()"),
         "month": page.evaluate("() => window.siberiaMap.month()")}))
    assert [Image.open(BytesIO(shot)).size for shot in shots] == [(w, h)] * 2
    assert [f["chapter" if story else "month"] for f in seen] == list(p.frames)
    for f in seen:
        assert f["inputs"] == [] and f["caption"]["scroll"] <= f["caption"]["client"], f


# ------------------------------------------------------------------ links the map cannot honour
BAD_LINKS = [
    ("#1930-01", "no month 1930-01"),
    ("#story=nope", "no chapter \u201cnope\u201d"),
    ("#garbage%3Cb%3E", "\u201cgarbage<b>\u201d is not something"),
    ("#1919-06&hide=nobody", "no contingent \u201cnobody\u201d"),
]


def test_a_bad_link_is_corrected_and_explained(browser, built):
    """The first at load, the others typed into the address bar afterwards (hashchange)."""
    s = open_map(browser, built, BAD_LINKS[0][0], viewport=(1280, 720))
    try:
        page = s.page
        for i, (hash_, says) in enumerate(BAD_LINKS):
            if i:
                page.evaluate("() => window.siberiaMap.setMonth('1919-07')")
                page.evaluate("(h) => { location.hash = h; }", hash_)
            page.wait_for_function("(s) => document.querySelector('.sm-notice') &&"
                                   " document.querySelector('.sm-notice').textContent.includes(s)", arg=says)
            notice = page.locator(".sm-notice")
            # Text, never markup; on top where it is drawn, inside the window.
            assert page.evaluate("() => document.querySelector('.sm-notice b')") is None
            box = notice.bounding_box()
            assert box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= 1280
            assert page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.sm-notice')",
                                 [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
            # The address now says what the map shows.
            expected = "#1919-06" if "1919-06" in hash_ else f"#{s.api('month()')}"
            page.wait_for_function("(h) => location.hash === h", arg=expected)
            assert page.inner_text(".sm-notice-text").endswith(" instead.")
            page.locator(".sm-notice-close").click()
            assert page.evaluate("() => document.querySelector('.sm-notice')") is None
        # A good link is followed without a word; the reader's next step closes a notice.
        page.evaluate("() => { location.hash = '#1919-07'; }")
        page.wait_for_function("() => window.siberiaMap.month() === '1919-07'")
        assert page.evaluate("() => document.querySelector('.sm-notice')") is None
        page.evaluate("() => { location.hash = '#1931-01'; }")
        page.wait_for_function("() => location.hash === '#1919-07'")
        assert "no month 1931-01" in page.inner_text(".sm-notice")
        # (Focus on the map, the arrows pan it and the notice stays; it left by its 12 s
        # timeout. Without focus, the arrow steps the month, the reader's next step.)
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("ArrowRight")
        assert s.api("month()") == "1919-08"
        assert page.evaluate("() => document.querySelector('.sm-notice')") is None
        assert s.errors == []
    finally:
        s.close()


# ------------------------------------------------------------------------- search pick, Escape
@pytest.fixture(scope="module")
def readers(browser, built):
    """Reader pages (no #present), one per size, shared by the tests below."""
    def june_1919(s):
        # (Through the API, not the hash: the address is written a quarter of a second
        # after the last step, so it may still read '#1919-06' while the map is elsewhere,
        # and setting the same hash again changes nothing.)
        s.page.evaluate("() => { L.SiberiaMap.current.map.closePopup(); window.siberiaMap.setMonth('1919-06'); }")
        s.page.wait_for_function("() => window.siberiaMap.month() === '1919-06'")

    yield from per_size(browser, built, "#1919-06", june_1919)


PICK = """() => { const el = document.querySelector('.sm-pick'); if (!el) return null;
  const r = el.getBoundingClientRect(), m = L.SiberiaMap.current.map,
        mark = L.SiberiaMap.current.search.getPickMark(),
        p = m.latLngToContainerPoint(mark.getLatLng()), o = m.getContainer().getBoundingClientRect();
  return {cx: r.left + r.width / 2, cy: r.top + r.height / 2, w: r.width, px: o.left + p.x, py: o.top + p.y,
          lat: mark.getLatLng().lat, lon: mark.getLatLng().lng}; }"""


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)])
@pytest.mark.parametrize("query,option,kind", [("Omsk", "Omsk", "place"),
                                               ("Frunze", "Frunze's counter-offensive", "event")])
def test_a_search_pick_is_ringed_on_the_map_and_named_in_the_box(readers, size, query, option, kind):
    s = readers(size)
    page = s.page
    box = page.locator(".sm-search-input")
    if not box.is_visible():
        pytest.skip("the search box is folded away at this size")
    box.fill(query)
    page.locator(f".sm-search-{kind}", has_text=option).first.click()
    pick = page.evaluate(PICK)
    assert pick is not None
    # The ring is drawn where the place is, and inside the window.
    assert abs(pick["cx"] - pick["px"]) <= 2 and abs(pick["cy"] - pick["py"]) <= 2, pick
    assert 0 <= pick["cx"] <= size[0] and 0 <= pick["cy"] <= size[1] and pick["w"] >= 20
    if kind == "place":
        omsk = page.evaluate("() => L.SiberiaMap.current.controller.model.places"
                             ".find(p => p.name === 'Omsk')")
        assert omsk is not None
        assert abs(pick["lat"] - 54.99) < 0.1 and abs(pick["lon"] - 73.37) < 0.1
    else:
        assert page.evaluate("() => !!document.querySelector('.leaflet-popup')")
    # The box names the pick, and says nothing of "Nothing found".
    assert box.input_value().startswith(option)
    assert page.evaluate("() => document.querySelector('.sm-search-none')") is None
    assert page.evaluate("() => document.querySelector('.sm-search-list').hidden")
    page.locator(".sm-map").focus() if kind == "place" else None
    # The reader's next step takes the ring away.
    page.evaluate("() => window.siberiaMap.setMonth('1919-08')")
    assert page.evaluate("() => document.querySelector('.sm-pick')") is None
    box.fill("")


# (Leaflet fades a closed popup out, so its element outlives it by 200 ms.)
POPUP_OPEN = "() => { const m = L.SiberiaMap.current.map; return !!m._popup && m.hasLayer(m._popup); }"


# The focused element `a` is the sheet's Events tab.
EVENTS_TAB = ("a.classList.contains('sm-sheet-tab')"
              " && a.getAttribute('aria-controls') === document.querySelector('.sm-events').id")


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)])
def test_escape_inside_the_events_list_closes_the_popup(readers, size):
    s = readers(size)
    page = s.page
    toggle = page.locator(".sm-sheet-tab", has_text="Events")

    def unfold():  # (on a phone, opening a popup from the sheet folds it)
        if page.evaluate("() => document.querySelector('.sm-events').classList.contains('sm-collapsed')"):
            toggle.click()

    unfold()
    entry = page.locator(".sm-events .sm-event").first
    entry.click()
    page.wait_for_function(POPUP_OPEN)
    # Focus back in the list: on another entry, then on the list's own scroll box.
    unfold()
    page.locator(".sm-events .sm-event").nth(1).focus()
    assert page.evaluate(POPUP_OPEN)
    page.keyboard.press("Escape")
    assert not page.evaluate(POPUP_OPEN)
    assert page.evaluate("() => document.activeElement.closest('.sm-events') !== null")
    unfold()
    entry.click()
    page.wait_for_function(POPUP_OPEN)
    page.keyboard.press("Escape")
    assert not page.evaluate(POPUP_OPEN)
    # Focus returns to the entry the popup was opened from (or, if its sheet folded, to the
    # sheet's tab): something visible in the events panel.
    assert page.evaluate(f"() => {{ const a = document.activeElement; return a.getClientRects().length > 0"
                         f" && ((a.classList.contains('sm-event') && a.closest('.sm-events') !== null)"
                         f" || ({EVENTS_TAB})); }}")

    # With no popup open, Escape folds the sheet the focus is in and leaves it on the tab.
    unfold()
    page.locator(".sm-events .sm-event").nth(1).focus()
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.querySelector('.sm-events').classList.contains('sm-collapsed')")
    assert page.evaluate(f"() => {{ const a = document.activeElement; return {EVENTS_TAB}; }}")
    unfold()


# ------------------------------------------------------------------------------ honest placement
VLADIVOSTOK = """() => { const c = L.SiberiaMap.current, m = c.map, recs = c.controller.visibleRecords(),
    o = m.getContainer().getBoundingClientRect(), out = [];
  for (const r of recs) {
    if (r.shape !== 'pt' || Math.abs(r.lat - 43.1155) > 0.05 || Math.abs(r.lon - 131.8869) > 0.05) continue;
    const at = m.latLngToContainerPoint(c.records._latLngOf(r)), home = m.latLngToContainerPoint([r.lat, r.lon]);
    out.push(Math.hypot(at.x - home.x, at.y - home.y));
  }
  return out; }"""
LABELS = """() => { const c = L.SiberiaMap.current, m = c.map, out = [];
  for (const l of c.places._labels) {
    if (l.area || l.hidden || !l.marker._icon) continue;
    const r = l.text.getBoundingClientRect(), o = m.getContainer().getBoundingClientRect();
    if (!r.width) continue;
    const p = m.latLngToContainerPoint(l.latlng), x = o.left + p.x, y = o.top + p.y;
    const dx = Math.max(r.left - x, 0, x - r.right), dy = Math.max(r.top - y, 0, y - r.bottom);
    out.push({name: l.text.textContent, gap: Math.hypot(dx, dy), h: r.height});
  }
  return out; }"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (390, 844), (844, 390)])
def test_stacked_symbols_stay_on_their_town_and_labels_beside_theirs(readers, size):
    s = readers(size)
    page = s.page
    spread = page.evaluate("() => L.SiberiaMap.current.records.options.spreadMax")
    assert spread <= 16
    seen = 0
    for month in ["1918-08", "1918-09", "1919-06", "1920-03"]:
        page.evaluate("(m) => window.siberiaMap.setMonth(m)", month)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        d = page.evaluate(VLADIVOSTOK)
        seen = max(seen, len(d))
        assert d and max(d) <= spread + 1, (month, d)
        for lab in page.evaluate(LABELS):
            assert lab["gap"] <= 1.7 * lab["h"], (month, lab)
    assert seen >= 10  # a busy month there, not one symbol
    # On the phone, Vladivostok's own name sits by Vladivostok or is not drawn at all.
    page.evaluate("() => window.siberiaMap.setMonth('1918-08')")
    vlad = [lab for lab in page.evaluate(LABELS) if lab["name"] == "Vladivostok"]
    assert all(lab["gap"] <= 1.7 * lab["h"] for lab in vlad)


# ---------------------------------------------------------------------------------- reduced motion
PLAY_WATCH = """() => { const c = L.SiberiaMap.current, mv = c.movements, ms = window.siberiaMap.months();
  let i = 1; while (i < ms.length) { window.siberiaMap.setMonth(ms[i]); if (mv.shown().length) break; i++; }
  window.siberiaMap.setMonth(ms[i - 1]);
  window.__moving = [];
  c.controller.on('change', () => window.__moving.push({raf: !!mv._raf, progress: mv._progress}));
  return ms[i]; }"""


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_holds_the_map_still(browser, built, motion):
    s = open_map(browser, built, "#1919-06", viewport=(1280, 720), reduced_motion=motion)
    try:
        page = s.page
        reduced = motion == "reduce"
        target = page.evaluate(PLAY_WATCH)
        page.locator(".sm-month-play").click()
        page.wait_for_function("(m) => window.siberiaMap.month() === m", arg=target)
        page.locator(".sm-month-play").click()  # pause
        moving = page.evaluate("() => window.__moving")
        # The movement's part of the month is drawn whole at once, not grown frame by frame.
        assert moving and all((not m["raf"] and m["progress"] == 1) for m in moving) == reduced, moving
        # Zooms and pans jump; nothing pulses or fades (the search ring is the one CSS animation).
        zoom = page.evaluate("""() => { const m = L.SiberiaMap.current.map, z = m.getZoom(), c = m.getCenter();
            m.setZoom(z + 1); const zoomed = m.getZoom() === z + 1;
            m.panBy([120, 0]); const panned = m.getCenter().lng !== c.lng;
            return {zoomed, panned, animated: m._zoomAnimated}; }""")
        assert zoom == {"zoomed": reduced, "panned": reduced, "animated": not reduced}, zoom
        page.locator(".sm-search-input").fill("Omsk")
        page.locator(".sm-search-place", has_text="Omsk").first.click()
        pulse = page.evaluate("() => getComputedStyle(document.querySelector('.sm-pick'), '::after').animationName")
        assert (pulse == "none") == reduced, pulse
        assert s.errors == []
    finally:
        s.close()

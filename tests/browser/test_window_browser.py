"""Windows of time (issue 21, item 3): a range of months or everything up to a month, on the
shipped data set and on North Russia. What the map draws is checked against the records'
own dates read from the CSV files here; the controls are clicked and dragged as a person
would; the trail's geometry is checked against the per-month index."""

import csv
import math
import re

import pytest

from browser import LIST_FOLLOWS, click_centre
from conftest import GEODATA, NORTH_RUSSIA
from siberia_map.data import timeline

pytestmark = pytest.mark.browser

DATA = {"siberia": GEODATA, "north-russia": NORTH_RUSSIA}
SUMMER = ("1919-06", "1919-08")

# The records drawn now, by id: the canvas scene's symbols, and the records its railway
# lines are drawn for (each segment's record, once per record).
DRAWN = """() => { const s = L.SiberiaMap.current.records._scenes.scene, out = [];
  for (let k = 0; k < s.n; k++) out.push(s.rec[k].type + ':' + s.rec[k].id);
  const lines = new Set();
  s.tracks.forEach(g => g.segmentRecord.forEach(r => lines.add(r)));
  lines.forEach(r => out.push(r.type + ':' + r.id));
  return out; }"""

# Per contingent id and month index of the window, the places of its shown presence
# records, straight from the model's per-month buckets.
POSITIONS = """() => { const {controller: c} = L.SiberiaMap.current, m = c.model, w = c.window(), out = {};
  for (let i = w.from; i <= w.to; i++) for (const r of m.bucket(i)) {
    if (r.type !== 'presence' || r.a < 0 || c.isHidden(r.c[0])) continue;
    const id = m.contingents[r.c[0]].id, ll = m.anchorLatLngs[r.a];
    ((out[id] = out[id] || {})[m.months[i]] = out[id][m.months[i]] || []).push([ll.lat, ll.lng]);
  }
  return out; }"""


def window_ids(data, first, last, placed_only=False):
    """`type:id` of every event and presence record of the CSV files on the map in a month
    of first..last (with `placed_only`, those with a place to draw)."""
    lo, hi = timeline.parse_month_key(first), timeline.parse_month_key(last)
    out = set()
    for layer, kind in (("events", "event"), ("presence", "presence")):
        with open(data / f"{layer}.csv", encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f)):
                span = timeline.parse(row["date"])
                if span.first_month <= hi and span.last_month >= lo and (row["where"] or not placed_only):
                    out.add(f"{kind}:{row.get('id') or f'presence-{i + 2}'}")
    return out


def shown(s):
    return {f"{r['type']}:{r['id']}" for r in s.api("visible()") if r["type"] != "movement"}


@pytest.mark.parametrize("name", DATA)
def test_a_window_shows_each_record_of_its_months_once_and_the_url_reopens_it(build_map, open_page, name):
    data = DATA[name]
    built = build_map(data=data)
    s = open_page(built)
    s.page.evaluate("([a, b]) => window.siberiaMap.setWindow(a, b)", list(SUMMER))
    want = window_ids(data, *SUMMER)
    assert shown(s) == want
    drawn = s.page.evaluate(DRAWN)
    assert len(drawn) == len(set(drawn))  # each record once
    assert set(drawn) == window_ids(data, *SUMMER, placed_only=True)
    # More than any one month of it: the union, not the last month.
    s.api("setMonth('1919-08')")
    assert shown(s) < want
    s.page.evaluate("([a, b]) => window.siberiaMap.setWindow(a, b)", list(SUMMER))
    s.page.wait_for_function("() => location.hash === '#1919-06..1919-08'")

    again = open_page(built, "#1919-06..1919-08")
    assert again.api("window()") == {"mode": "range", "from": "1919-06", "to": "1919-08"}
    assert shown(again) == want
    assert again.page.inner_text(".sm-month-label") == "June\u2013August 1919"


@pytest.mark.parametrize("name", DATA)
def test_everything_up_to_a_month_from_the_address(build_map, open_page, name):
    data = DATA[name]
    s = open_page(build_map(data=data), "#..1919-08")
    first = s.api("months()")[0]
    assert s.api("window()") == {"mode": "upto", "from": first, "to": "1919-08"}
    assert shown(s) == window_ids(data, first, "1919-08")
    assert s.page.inner_text(".sm-month-label") == "Up to August 1919"
    assert s.page.evaluate("() => location.hash") == "#..1919-08"


@pytest.mark.parametrize("name", DATA)
def test_clicking_the_mode_buttons_switches_the_window_and_the_lists_follow(build_map, open_page, name):
    data = DATA[name]
    s = open_page(build_map(data=data), "#1919-08")
    page = s.page
    months = s.api("months()")
    upto = page.get_by_role("radio", name="Everything up to this month")
    click_centre(page, upto)
    assert upto.get_attribute("aria-checked") == "true"
    assert s.api("window()") == {"mode": "upto", "from": months[0], "to": "1919-08"}
    page.wait_for_function("() => location.hash === '#..1919-08'")

    click_centre(page, page.get_by_role("radio", name=re.compile("^A range of months")))
    # A range made from a month: the season ending there.
    assert s.api("window()") == {"mode": "range", "from": "1919-06", "to": "1919-08"}
    events = sorted(i for i in window_ids(data, *SUMMER) if i.startswith("event:"))
    # The events list: every event of the three months, once, under the window's name.
    heading = page.inner_text(".sm-events .sm-panel-toggle")
    assert "June\u2013August 1919" in heading and f"({len(events)})" in heading
    page.wait_for_function(LIST_FOLLOWS, timeout=5000)
    assert page.locator(".sm-event-list button.sm-event").count() == len(events)
    tab = page.get_by_role("tab", name=re.compile("^Events"))
    assert str(len(events)) in tab.inner_text()
    # The histogram shades the window: from half a step before June to half after August.
    hist = page.evaluate("""() => { const h = L.SiberiaMap.current.histogram, c = h._canvas.getBoundingClientRect(),
      b = document.querySelector('.sm-month-window-band').getBoundingClientRect();
      return {window: h.window(), c0: c.left, cw: c.width, b0: b.left, b1: b.right, hidden: h._band.hidden}; }""")
    i, j = months.index("1919-06"), months.index("1919-08")
    assert hist["window"] == [i, j] and not hist["hidden"]
    step = (hist["cw"] - 16) / (len(months) - 1)
    assert hist["b0"] == pytest.approx(hist["c0"] + 8 + (i - 0.5) * step, abs=1)
    assert hist["b1"] == pytest.approx(hist["c0"] + 8 + (j + 0.5) * step, abs=1)

    click_centre(page, page.get_by_role("radio", name="This month only"))
    assert s.api("window()") == {"mode": "month", "from": "1919-08", "to": "1919-08"}
    assert page.evaluate("() => L.SiberiaMap.current.histogram._band.hidden") is True


def test_next_slides_the_window_a_month_and_the_first_month_thumb_drags(build_map, open_page):
    s = open_page(build_map(data=GEODATA), "#1919-06..1919-08")
    page = s.page
    click_centre(page, page.get_by_role("button", name="Next month"))
    assert s.api("window()") == {"mode": "range", "from": "1919-07", "to": "1919-09"}
    click_centre(page, page.get_by_role("button", name="Previous month"))
    assert s.api("window()")["from"] == "1919-06"
    # The first month's thumb, dragged by the mouse twelve months back.
    months = s.api("months()")
    geo = page.evaluate("""() => { const r = document.querySelector('.sm-month-from').getBoundingClientRect();
      return {x: r.left, y: r.top + r.height / 2, w: r.width}; }""")
    x_of = lambda m: geo["x"] + 8 + months.index(m) * (geo["w"] - 16) / (len(months) - 1)  # noqa: E731
    page.mouse.move(x_of("1919-06"), geo["y"])
    page.mouse.down()
    page.mouse.move(x_of("1918-06"), geo["y"], steps=8)
    page.mouse.up()
    assert s.api("window()") == {"mode": "range", "from": "1918-06", "to": "1919-08"}
    # Its keys move it alone.
    page.locator(".sm-month-from").focus()
    page.keyboard.press("ArrowRight")
    assert s.api("window()") == {"mode": "range", "from": "1918-07", "to": "1919-08"}
    page.keyboard.press("Home")
    assert s.api("window()")["from"] == months[0]


def test_the_mode_buttons_are_a_radio_group_for_the_keyboard(build_map, open_page):
    s = open_page(build_map(data=NORTH_RUSSIA), "#1919-06")
    page = s.page
    page.get_by_role("radio", name="This month only").focus()
    page.keyboard.press("ArrowRight")
    assert s.api("window()")["mode"] == "upto"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Everything up to this month"
    page.keyboard.press("ArrowRight")
    assert s.api("window()")["mode"] == "range"
    # One tab stop: the chosen mode.
    assert page.evaluate("() => [...document.querySelectorAll('.sm-window button')].map(b => b.tabIndex)") == [-1, -1, 0]


def nearest(p, candidates):
    k = math.cos(math.radians(p[0]))
    return min(candidates, key=lambda q: (q[0] - p[0]) ** 2 + ((q[1] - p[1]) * k) ** 2)


@pytest.mark.parametrize("name,window", [("siberia", ("1918-06", "1918-12")), ("north-russia", ("1918-07", "1919-10"))])
def test_the_trail_joins_each_place_a_contingent_reaches_to_its_nearest_place_the_month_before(
        build_map, open_page, name, window):
    s = open_page(build_map(data=DATA[name]))
    assert s.page.evaluate("() => L.SiberiaMap.current.trail.segments().length") == 0  # one month: none
    s.page.evaluate("([a, b]) => window.siberiaMap.setWindow(a, b)", list(window))
    pos = s.page.evaluate(POSITIONS)
    segs = s.page.evaluate("() => L.SiberiaMap.current.trail.segments()")
    dots = s.page.evaluate("() => L.SiberiaMap.current.trail.dots()")
    months = s.api("months()")
    want = []
    for cid, by_month in pos.items():
        for m in by_month:
            before = by_month.get(months[months.index(m) - 1]) if m != window[0] else None
            for p in ({tuple(x) for x in by_month[m]} - {tuple(x) for x in before or []}) if before else ():
                want.append((cid, m, nearest(p, before), p))
    got = [(g["contingent"], g["month"], tuple(g["from"]), tuple(g["to"])) for g in segs]
    assert want and sorted(got) == sorted((c, m, tuple(a), tuple(b)) for c, m, a, b in want)
    # Older months fainter: the opacity rises with the month, first to last.
    by_month = {g["month"]: g["opacity"] for g in segs}
    order = sorted(by_month, key=months.index)
    assert [by_month[m] for m in order] == sorted(by_month[m] for m in order)
    # A dot at every place of every contingent, once, as strong as the last month it was there.
    assert sorted((d["contingent"], d["lat"], d["lon"]) for d in dots) == \
        sorted({(c, *p) for c, bm in pos.items() for ps in bm.values() for p in map(tuple, ps)})
    last = {d["month"]: d["opacity"] for d in dots}
    assert last.get(window[1], 0.8) == pytest.approx(0.8) and last.get(window[0], 0.15) == pytest.approx(0.15)
    # What is listed is what is drawn: one path per contingent and shade, for lines and dots.
    paths = s.page.evaluate("""() => L.SiberiaMap.current.trail._group.getLayers().map(l => ({
      parts: l.getLatLngs().length, opacity: l.options.opacity, colour: l.options.color}))""")
    shades = lambda items: {(i["contingent"], i["level"]) for i in items}  # noqa: E731
    assert len(paths) == len(shades(segs)) + len(shades(dots))
    assert sum(p["parts"] for p in paths) == len(segs) + len(dots)
    # A hidden contingent leaves the trail.
    cid = segs[0]["contingent"]
    s.api(f"setContingentVisible('{cid}', false)")
    assert cid not in {g["contingent"] for g in s.page.evaluate("() => L.SiberiaMap.current.trail.dots()")}


@pytest.mark.parametrize("reduce", [False, True])
def test_the_trail_fades_in_unless_the_reader_asks_for_less_motion(build_map, open_page, reduce):
    s = open_page(build_map(data=NORTH_RUSSIA), reduced_motion="reduce" if reduce else "no-preference")
    s.page.evaluate("() => window.siberiaMap.setWindow('1918-08', '1919-08')")
    anim = s.page.evaluate("() => getComputedStyle(document.querySelector('.sm-trail-pane')).animationName")
    assert anim == ("none" if reduce else "sm-trail-in")


@pytest.mark.parametrize("hash_,says", [
    ("#1919-08..1919-06", "the window 1919-08..1919-06 ends before it begins"),
    ("#1919-06..1930-01", "this map has no month 1930-01"),
    ("#..1917-01", "this map has no month 1917-01"),
])
def test_a_bad_window_in_the_address_gets_a_notice_and_is_corrected(build_map, open_page, hash_, says):
    s = open_page(build_map(data=NORTH_RUSSIA), hash_)
    s.page.wait_for_function("(s) => document.querySelector('.sm-notice') &&"
                             " document.querySelector('.sm-notice').textContent.includes(s)", arg=says)
    assert s.api("window()")["mode"] == "month"
    assert s.page.evaluate("() => location.hash") == "#" + s.api("month()")


CHAPTER = {"id": "autumn", "title": "The first autumn", "month": "1918-10", "from_month": "1918-08",
           "view": "vladivostok;nikolsk", "contingents": "", "highlight": "e-british-landing",
           "text": "From the landings to October.", "source": "test fixture"}
SINGLE = {**CHAPTER, "id": "october", "from_month": "", "highlight": ""}


def test_a_story_chapter_shows_its_range_and_the_page_follows(build_map, open_page):
    s = open_page(build_map(extra={"story.csv": [SINGLE, CHAPTER]}), "#story=autumn")
    assert s.api("window()") == {"mode": "range", "from": "1918-08", "to": "1918-10"}
    assert s.api("chapter()") == "autumn"
    assert s.page.inner_text(".sm-story-month") == "August\u2013October 1918"
    assert "event:e-british-landing" in shown(s)  # an August record, ringed in October's chapter
    assert s.page.evaluate("() => L.SiberiaMap.current.story.options.highlight.highlighted()") == \
        ["e-british-landing"]
    assert [c["from"] for c in s.api("chapters()")] == [None, "1918-08"]
    # The chapter of one month sets the window back to that month.
    s.api("showChapter('october')")
    assert s.api("window()") == {"mode": "month", "from": "1918-10", "to": "1918-10"}
    # Leaving the window leaves the chapter.
    s.api("showChapter('autumn')")
    s.page.get_by_role("radio", name="This month only").click()
    assert s.api("chapter()") is None


def test_search_and_print_keep_the_window(build_map, open_page):
    """An event found while a window shows its month opens there, the window unchanged; one
    outside slides the window to it. Printing lists the window's events under its name."""
    s = open_page(build_map(data=NORTH_RUSSIA), "#1919-06..1919-08")
    page = s.page
    inside, outside = page.evaluate("""() => { const m = L.SiberiaMap.current.controller.model;
      const aug = m.monthIndexOf('1919-08'), jan = m.monthIndexOf('1919-01');
      const one = (k) => m.records.find(r => r.type === 'event' && r.a >= 0 && r.m0 === k && r.m1 === k);
      return [m.field(one(aug), 'title'), m.field(one(jan), 'title')]; }""")
    search = page.get_by_role("combobox", name="Find a place or an event")
    for title, window in [(inside, ("1919-06", "1919-08")), (outside, ("1918-11", "1919-01"))]:
        search.fill("")
        click_centre(page, search)
        page.keyboard.type(title)
        click_centre(page, page.get_by_role("option", name=re.compile(re.escape(title))).first)
        page.wait_for_selector(".sm-popup-event")
        assert (s.api("window()")["from"], s.api("window()")["to"]) == window
        page.keyboard.press("Escape")
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    heading = page.inner_text(".sm-print-title")
    events = [i for i in window_ids(NORTH_RUSSIA, "1918-11", "1919-01") if i.startswith("event:")]
    assert heading == f"Events, November 1918 \u2013 January 1919 ({len(events)})"


def test_on_a_phone_the_mode_buttons_are_a_fingers_width_and_a_tap_switches(build_map, open_page):
    s = open_page(build_map(data=NORTH_RUSSIA), "#1919-08", viewport=(390, 844),
                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = s.page
    page.get_by_role("radio", name=re.compile("^A range of months")).tap()
    assert s.api("window()") == {"mode": "range", "from": "1919-06", "to": "1919-08"}
    boxes = page.evaluate("""() => { const r = (el) => { const b = el.getBoundingClientRect();
        return {x0: b.left, y0: b.top, x1: b.right, y1: b.bottom, w: b.width, h: b.height}; };
      return {bar: r(document.querySelector('.sm-month')), track: r(document.querySelector('.sm-month-track')),
              from: r(document.querySelector('.sm-month-from')),
              buttons: [...document.querySelectorAll('.sm-window button')].map(r)}; }""")
    bar, track = boxes["bar"], boxes["track"]
    for b in boxes["buttons"]:
        assert b["w"] >= 44 and b["h"] >= 44
        # Inside the bar, on the slider's line, beside (not over) the slider.
        assert bar["x0"] <= b["x0"] and b["x1"] <= bar["x1"] and bar["y0"] <= b["y0"] and b["y1"] <= bar["y1"]
        assert b["x1"] <= track["x0"] + 0.5 and b["y1"] > track["y0"]
    assert boxes["from"]["h"] >= 44
    assert bar["x1"] <= 390 and bar["y1"] <= 844


def test_the_strength_chart_shades_the_window(build_map, open_page):
    s = open_page(build_map(data=GEODATA), "#1919-06..1919-08")
    page = s.page
    page.get_by_role("tab", name=re.compile("^Legend")).click()
    got = page.evaluate("""() => { const c = L.SiberiaMap.current.strength, m = L.SiberiaMap.current.controller.model;
      return {band: c.windowX(), from: c.monthX(m.monthIndexOf('1919-06')), to: c.monthX(m.monthIndexOf('1919-08')),
              text: c._svg.getAttribute('aria-valuetext')}; }""")
    assert got["band"] == [pytest.approx(got["from"], abs=0.1), pytest.approx(got["to"], abs=0.1)]
    assert got["to"] > got["from"] and got["text"] == "June\u2013August 1919"
    s.api("setMonth('1919-08')")
    assert page.evaluate("() => L.SiberiaMap.current.strength.windowX()") == [pytest.approx(got["to"], abs=0.1)] * 2

"""The story panel in headless Chromium: chapters, previous/next, the deep link, the rings."""

import pytest

from browser import checked, open_map
from conftest import cli_build, write_csv, write_dataset
from test_reader import BOXES, SETTLED, SIZES, inside_window, overlap

pytestmark = pytest.mark.browser

CHAPTERS = [
    {"id": "landing", "title": "The landing", "month": "1918-08", "view": "vladivostok;nikolsk",
     "contingents": "usa;britain", "highlight": "e-us-landing;p-usa-line",
     "text": "The Americans land.", "source": "test fixture"},
    {"id": "omsk", "title": "Omsk", "month": "1918-10", "view": "omsk", "contingents": "",
     "highlight": "p-britain-omsk", "text": "The British at Omsk.", "source": "test fixture"},
    {"id": "summer", "title": "Summer 1919", "month": "1919-07", "view": "bounds:42,130,49,136",
     "contingents": "japan", "highlight": "", "text": "On the line.", "source": "test fixture"},
]
VIEWS = {"landing": [(43.1155, 131.8869), (43.8019, 131.9508)], "omsk": [(54.9924, 73.3686)],
         "summer": [(42, 130), (49, 136)]}
SHOWN = {"landing": {"usa", "britain"}, "omsk": {"usa", "japan", "britain"}, "summer": {"japan"}}


@pytest.fixture(scope="module")
def built(build_map):
    return build_map(extra={"story.csv": CHAPTERS})


@pytest.fixture
def session(open_page, built):
    return open_page(built)


def state(s):
    """Month, shown contingents, whether each view place is inside the map, rings, hash."""
    view = s.page.evaluate("() => { const b = L.SiberiaMap.current.map.getBounds();"
                           " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }")
    return {
        "month": s.api("month()"),
        "shown": {c["id"] for c in s.api("contingents()") if c["visible"]},
        "view": view,
        "rings": s.page.evaluate("() => L.SiberiaMap.current.story.options.highlight.highlighted()"),
        "chapter": s.api("chapter()"),
    }


def assert_chapter(s, cid):
    got = state(s)
    month = next(c["month"] for c in CHAPTERS if c["id"] == cid)
    assert (got["month"], got["shown"], got["chapter"]) == (month, SHOWN[cid], cid)
    south, west, north, east = got["view"]
    for lat, lon in VIEWS[cid]:
        assert south <= lat <= north and west <= lon <= east, (cid, got["view"])
    # (The hash is written at most every 250 ms while changes keep coming.)
    s.page.wait_for_function(f"() => location.hash === '#story={cid}'")
    title = s.page.locator(".sm-story-title").text_content()
    assert title == next(c["title"] for c in CHAPTERS if c["id"] == cid)
    return got


def test_chapters_are_listed_in_story_order(session):
    # (`from`: the first month of a chapter that shows a range; these show one month.)
    assert session.api("chapters()") == [{"id": c["id"], "title": c["title"], "month": c["month"], "from": None}
                                         for c in CHAPTERS]


def test_next_and_previous_set_month_view_toggles_and_rings(session):
    page = session.page
    # The story is a tab of the sheet: a reader opens it first.
    page.get_by_role("tab", name="Story").click()
    nxt, prev = page.get_by_role("button", name="Next chapter"), page.get_by_role("button", name="Previous chapter")
    assert prev.is_disabled()
    nxt.click()
    got = assert_chapter(session, "landing")
    assert sorted(got["rings"]) == ["e-us-landing", "p-usa-line"]
    nxt.click()
    assert assert_chapter(session, "omsk")["rings"] == ["p-britain-omsk"]
    nxt.click()
    assert_chapter(session, "summer")
    assert nxt.is_disabled()
    prev.click()
    assert_chapter(session, "omsk")
    assert page.locator(".sm-story-count").text_content() == "Chapter 2 of 3"


def test_leaving_a_chapter_drops_rings_and_the_story_link(session):
    session.api("showChapter('landing')")
    assert state(session)["rings"]
    session.page.get_by_role("button", name="Next month").click()
    got = state(session)
    assert (got["month"], got["chapter"], got["rings"]) == ("1918-09", None, [])
    session.page.wait_for_function("() => location.hash.startsWith('#1918-09')")
    assert session.page.evaluate("() => location.hash") == "#1918-09&hide=japan"
    # The reader may go back to the chapter; Next still goes on from it.
    session.page.get_by_role("button", name="Back to this chapter\u2019s view").click()
    assert_chapter(session, "landing")
    session.page.get_by_role("button", name="Next chapter").click()
    assert_chapter(session, "omsk")


@pytest.mark.parametrize("cid", ["omsk", "summer"])
def test_the_deep_link_opens_a_chapter(browser, built, cid):
    with checked(browser, built, f"#story={cid}") as s:
        assert_chapter(s, cid)


def test_month_links_still_work_and_unknown_chapters_are_ignored(browser, built):
    with checked(browser, built, "#1918-09&hide=japan") as s:
        assert (s.api("month()"), s.api("chapter()")) == ("1918-09", None)
        assert {c["id"] for c in s.api("contingents()") if not c["visible"]} == {"japan"}
    with checked(browser, built, "#story=atlantis") as s:
        assert (s.api("month()"), s.api("chapter()")) == ("1918-05", None) or s.api("chapter()") is None


def test_unknown_chapter_through_the_api_is_a_range_error(session):
    msg = session.page.evaluate("() => { try { siberiaMap.showChapter('atlantis'); } catch (e) {"
                                " return e.name + ': ' + e.message; } }")
    assert msg == "RangeError: siberia-map: no chapter atlantis"


def test_chapter_text_is_text_not_markup(browser, tmp_path):
    root = write_dataset(tmp_path / "data")
    write_csv(root / "story.csv", [{**CHAPTERS[0], "title": "<img src=x onerror=alert(1)>",
                                    "text": "<b>bold</b> & <script>alert(2)</script>"}])
    out = tmp_path / "map.html"
    cli_build(root, out)
    with checked(browser, out, "#story=landing") as s:
        assert s.page.locator(".sm-story img, .sm-story b, .sm-story script").count() == 0
        assert s.page.locator(".sm-story-text").text_content() == "<b>bold</b> & <script>alert(2)</script>"
        assert s.dialogs == []


def test_a_campaign_without_a_story_has_no_panel(browser, build_map):
    with checked(browser, build_map(), "#story=landing") as s:
        assert s.page.locator(".sm-story").count() == 0
        assert s.api("chapters()") == []
        assert s.api("chapter()") is None


@pytest.mark.parametrize("size", ["1400x900", "1280x720", "phone"])
@pytest.mark.parametrize("cid", ["landing", "omsk"])
def test_the_story_panel_covers_no_control_and_no_popup(browser, built, size, cid):
    viewport, options = SIZES[size]
    s = open_map(browser, built, f"#story={cid}", viewport=viewport, **options)
    try:
        page = s.page
        page.evaluate(SETTLED)
        # The chapter opens the sheet on its Story tab.
        assert page.locator(".sm-story .sm-panel-body").is_visible()
        assert page.get_by_role("tab", name="Story").get_attribute("aria-selected") == "true"
        boxes = page.evaluate(BOXES)
        story = [b for b in boxes if "sm-sheet" in b["name"]]
        assert story
        for a in story:
            assert inside_window(a, viewport), a
            for b in boxes:
                if "sm-sheet" not in b["name"]:
                    assert not overlap(a, b), (a, b)
        # A popup of a ringed record opens clear of the story (a phone folds its sheet).
        rid = next(c["highlight"].split(";")[0] for c in CHAPTERS if c["id"] == cid)
        rtype = "event" if rid.startswith("e-") else "presence"
        page.evaluate(f"() => L.SiberiaMap.current.records.openRecordPopup('{rid}', '{rtype}')")
        page.wait_for_selector(".leaflet-popup")
        popup = page.evaluate(SETTLED)
        assert inside_window(popup, viewport)
        for b in page.evaluate(BOXES):
            assert not overlap(popup, b), (popup, b)
        assert s.errors == []
    finally:
        s.close()

"""The map as a person uses it: clicked, stepped and deep-linked in headless Chromium."""

import pytest

from browser import checked, open_map
from conftest import cli_build, write_dataset

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(build_map):
    return build_map()


@pytest.fixture
def session(open_page, built):
    return open_page(built)


def hash_becomes(page, expected: str) -> str:
    """The URL hash is written once stepping settles: wait for it, then return it."""
    page.wait_for_function("(h) => location.hash === h", arg=expected, timeout=3000)
    return page.evaluate("() => location.hash")


def ids(s, type_=None):
    return sorted(r["id"] for r in s.api("visible()") if type_ in (None, r["type"]))


def test_opens_on_the_first_month_with_its_records(session):
    assert session.api("months()") == [f"1918-{m:02d}" for m in range(8, 13)] + \
        [f"1919-{m:02d}" for m in range(1, 9)]
    assert session.api("month()") == "1918-08"
    assert ids(session) == ["e-british-landing", "e-us-landing", "p-japan-line", "p-usa-line"]
    line = next(r for r in session.api("visible()") if r["id"] == "p-usa-line")
    assert 43.1 < line["lat"] < 43.9 and 131.8 < line["lon"] < 132.1  # a point on the line
    assert session.csp == []


def test_untick_hides_in_every_month_and_tick_brings_back(session):
    page = session.page
    page.get_by_role("tab", name="Legend").click()  # the contingents are the Legend tab's
    box = page.get_by_role("checkbox", name="United States")
    box.click()
    assert not box.is_checked()
    assert ids(session) == ["e-british-landing", "p-japan-line"]
    assert [c["visible"] for c in session.api("contingents()")] == [False, True, True]
    nxt = page.get_by_role("button", name="Next month")
    for _ in range(3):
        nxt.click()
        assert all("usa" not in r["contingents"] for r in session.api("visible()"))
    assert session.api("month()") == "1918-11"
    box.click()
    assert "p-usa-line" in ids(session)
    assert hash_becomes(page, "#1918-11") == "#1918-11"


def test_buttons_keys_label_and_hash(session):
    page = session.page
    page.get_by_role("button", name="Next month").click()
    assert session.api("month()") == "1918-09"
    assert page.locator(".sm-month-label").inner_text() == "September 1918"
    assert hash_becomes(page, "#1918-09") == "#1918-09"
    # The focused map pans with the arrow keys; anywhere else they step through the months.
    page.locator("#map_siberia").click(position={"x": 600, "y": 400})
    centre = page.evaluate("() => L.SiberiaMap.current.map.getCenter().lng")
    page.keyboard.press("ArrowRight")
    assert session.api("month()") == "1918-09"
    page.wait_for_function("(c) => L.SiberiaMap.current.map.getCenter().lng > c + 0.01", arg=centre)
    page.get_by_role("button", name="Next month").focus()
    page.keyboard.press("ArrowRight")
    assert session.api("month()") == "1918-10"
    page.locator(".sm-month-label").click()
    page.keyboard.press("ArrowRight")
    assert session.api("month()") == "1918-11"
    assert ids(session) == ["p-britain-omsk", "p-japan-line", "p-usa-line"]
    page.keyboard.press("ArrowLeft")
    assert session.api("month()") == "1918-10"
    assert "October 1918" in page.locator("[aria-live]").inner_text()
    page.get_by_role("button", name="Previous month").click()
    page.get_by_role("button", name="Previous month").click()
    assert session.api("month()") == "1918-08"
    assert page.get_by_role("button", name="Previous month").is_disabled()


def test_slider_moves_by_calendar_months(session):
    page = session.page
    slider = page.get_by_role("slider", name="Month")
    slider.fill("10")
    assert session.api("month()") == "1919-06"
    assert ids(session) == ["e-summer"]
    assert page.locator(".sm-month-label").inner_text() == "June 1919"


def test_deep_link_restores_month_and_hidden_contingents(browser, built):
    s = open_map(browser, built, "#1919-07&hide=japan")
    try:
        assert s.api("month()") == "1919-07"
        assert [c["visible"] for c in s.api("contingents()")] == [True, False, True]
        s.page.get_by_role("tab", name="Legend").click()
        assert not s.page.get_by_role("checkbox", name="Japan").is_checked()
        assert ids(s) == ["e-summer"]  # still shown: the United States is visible
        s.api("setContingentVisible('usa', false)")
        assert ids(s) == []
        s.page.wait_for_function("() => location.hash.includes('usa')", timeout=3000)
        assert s.page.evaluate("() => location.hash") in ("#1919-07&hide=japan,usa",
                                                          "#1919-07&hide=usa,japan")
    finally:
        s.close()
    assert s.errors == []


def test_events_panel_opens_the_popup(session):
    page = session.page
    page.locator("[data-record='e-us-landing']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Americans land" in text and "15\u201321 August 1918" in text
    assert "United States" in text and "test fixture" in text


def test_api_set_month_and_records_spanning_months(session):
    session.api("setMonth('1919-03')")
    assert "p-usa-line" in ids(session)  # 1918-08-15/1919-03 spans into March
    session.api("setMonth('1919-04')")
    assert "p-usa-line" not in ids(session)
    assert hash_becomes(session.page, "#1919-04") == "#1919-04"


def test_gzipped_payload_opens_the_same_map(browser, built, tmp_path):
    root = write_dataset(tmp_path / "data")
    packed = tmp_path / "packed.html"
    assert "(gzipped)" in cli_build(root, packed, "--compress", "always").output
    with checked(browser, packed, "#1918-11") as s:
        gz = (s.api("months()"), s.api("month()"), ids(s), s.page.evaluate(TEXTS_JS))
    with checked(browser, built, "#1918-11") as s:
        plain = (s.api("months()"), s.api("month()"), ids(s), s.page.evaluate(TEXTS_JS))
    assert gz == plain and gz[2]
    # The gzipped payload escapes every character beyond U+00FF and writes the string
    # table's wide texts as bytes: the texts read back the same, dashes and all.
    assert any("\u2013" in t for rec in gz[3]["records"] for t in rec)


# Every record's texts (a popup's) and the language names, as the page reads them.
TEXTS_JS = """() => {
    const m = L.SiberiaMap.current.controller.model, i18n = L.SiberiaMap.i18n;
    return {records: m.records.map((r) => [r.id, ...['title', 'text', 'when', 'where', 'src', 'note']
                .map((n) => m.field(r, n)), JSON.stringify(m.field(r, 'cite'))]),
            langs: i18n.langs().map((l) => i18n.nameOf(l))};
}"""


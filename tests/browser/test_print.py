"""Printing the map: the print stylesheet keeps the whole legend on the map, prints the
month's events after it and hides every form control; the basemap fills the printed map
(no band: test_reader, on the default data set and its basemap); each label is in the PDF's
text once; Chromium can make a PDF of it."""

import pytest

from browser import open_map

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def session(browser, build_map):
    s = open_map(browser, build_map(), "#1918-08")
    s.page.emulate_media(media="print")
    yield s
    s.close()
    assert s.errors == [], s.errors
    assert s.blocked == [], s.blocked


def test_legend_lists_the_contingents_without_checkboxes(session):
    page = session.page
    legend = page.locator(".sm-legend")
    # (Printed whichever tab was open on screen: the events were.)
    assert page.locator(".sm-events.sm-collapsed").count() == 0
    assert legend.is_visible()
    # The whole legend, inside the printed map.
    box, map_box = legend.bounding_box(), page.locator("#map_siberia").bounding_box()
    assert map_box["height"] > 300
    assert box["y"] >= map_box["y"] and box["y"] + box["height"] <= map_box["y"] + map_box["height"]
    assert box["x"] >= map_box["x"] and box["x"] + box["width"] <= map_box["x"] + map_box["width"]
    for name in ("United States", "Japan", "Britain"):
        assert page.locator(".sm-contingent", has_text=name).is_visible(), name
    assert not page.locator(".sm-contingent input").first.is_visible()


def test_events_of_the_month_are_listed_after_the_map(session):
    page = session.page
    assert not page.locator(".sm-events").is_visible()  # the on-screen list stays off paper
    printed = page.locator(".sm-print-events")
    assert printed.is_visible()
    assert printed.locator("h2").inner_text() == "Events, August 1918 (2)"
    events = printed.locator(".sm-print-what")
    assert [events.nth(i).inner_text() for i in range(events.count())] == ["British land",
                                                                           "Americans land"]
    map_box = page.locator("#map_siberia").bounding_box()
    assert printed.bounding_box()["y"] >= map_box["y"] + map_box["height"]


def test_month_label_stays_and_controls_are_hidden(session):
    page = session.page
    assert page.locator(".sm-month-label").is_visible()
    assert page.locator(".sm-month-label").inner_text() == "August 1918"
    for sel in (".sm-month-slider", ".sm-month-play", ".sm-month-prev", ".sm-month-next",
                ".leaflet-control-zoom"):
        assert page.locator(sel).count() >= 1, sel
        assert not page.locator(sel).first.is_visible(), sel
    # No form control of any kind on paper (the "Show control" box, the tabs, the search).
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('input, button, select, textarea'))
      .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .map(el => el.outerHTML.slice(0, 60))""")
    assert shown == []


def test_page_pdf_is_produced(session, tmp_path):
    pdf = tmp_path / "map.pdf"
    data = session.page.pdf(path=str(pdf), landscape=True, print_background=True)
    assert data.startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 1
    # Each map label once in the text layer (a halo drawn as text shadows printed it five
    # times over: "VladivostokVladivostokVladivostok...").
    from pypdf import PdfReader
    text = PdfReader(str(pdf)).pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert "Vladivostok" in text and "VladivostokVladivostok" not in text

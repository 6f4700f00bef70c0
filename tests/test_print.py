"""Printing the map: the print stylesheet keeps the legend and the month's events and
hides the controls that mean nothing on paper; Chromium can make a PDF of it."""

import pytest

from browser import launch, open_map
from conftest import cli_build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    from conftest import write_dataset
    root = write_dataset(tmp_path_factory.mktemp("data"))
    out = tmp_path_factory.mktemp("out") / "map.html"
    cli_build(root, out)
    with launch() as browser:
        s = open_map(browser, out, "#1918-08")
        s.page.emulate_media(media="print")
        yield s
        s.page.context.close()
    assert s.errors == [], s.errors
    assert s.blocked == [], s.blocked


def test_legend_lists_the_contingents_without_checkboxes(session):
    page = session.page
    legend = page.locator(".sm-legend")
    assert legend.is_visible()
    for name in ("United States", "Japan", "Britain"):
        assert page.locator(".sm-contingent", has_text=name).is_visible(), name
    assert not page.locator(".sm-contingent input").first.is_visible()


def test_events_of_the_month_are_listed(session):
    page = session.page
    assert page.locator(".sm-events").is_visible()
    events = page.locator(".sm-event-title")
    assert events.count() == 2
    assert all(events.nth(i).is_visible() for i in range(2))
    assert "Americans land" in page.locator(".sm-events").inner_text()


def test_month_label_stays_and_controls_are_hidden(session):
    page = session.page
    assert page.locator(".sm-month-label").is_visible()
    assert page.locator(".sm-month-label").inner_text() == "August 1918"
    for sel in (".sm-month-slider", ".sm-month-play", ".sm-month-prev", ".sm-month-next",
                ".leaflet-control-zoom"):
        assert page.locator(sel).count() >= 1, sel
        assert not page.locator(sel).first.is_visible(), sel


def test_page_pdf_is_produced(session, tmp_path):
    pdf = tmp_path / "map.pdf"
    data = session.page.pdf(path=str(pdf), landscape=True, print_background=True)
    assert data.startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 1

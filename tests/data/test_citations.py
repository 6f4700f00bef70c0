"""Full citations in the payload and in record popups (data sets with a sources.csv)."""

import pytest

from browser import checked
from conftest import CONTINGENTS, EVENTS, PRESENCE, cli_build, write_csv, write_dataset
from siberia_map.output import columns, payload
from siberia_map.model.join import prepare

HOSTILE = '<img src=x onerror="window.__xss=1">'
SOURCES = [
    {"key": "ward1920", "type": "primary", "author": "John Ward",
     "title": "With the Die-Hards in Siberia", "year": "1920", "publisher": "Cassell, London",
     "url": "https://www.gutenberg.org/ebooks/16184", "note": "not shipped"},
    {"key": "odd", "type": "web copy", "author": "", "title": "A copy " + HOSTILE, "year": "",
     "publisher": "", "url": "javascript:window.__xss=2", "note": ""},
    {"key": "article", "type": "reference", "author": "", "title": "Siberian intervention",
     "year": "2026", "publisher": "", "url": "", "note": ""},
]

# In the bibliography but cited by no record: the payload leaves it out.
UNCITED = {"key": "graves1931", "type": "primary", "author": "William S. Graves",
           "title": "America's Siberian Adventure", "year": "1931", "publisher": "", "url": "",
           "note": ""}


def cited_dataset(root):
    events = [dict(EVENTS[0], source="article: § Background"),
              dict(EVENTS[1], source="ward1920: ch. III; odd: page " + HOSTILE),
              dict(EVENTS[2], source="article: § Japan")]
    root = write_dataset(root, events=events,
                         presence=[dict(r, source="article: § X") for r in PRESENCE],
                         contingents=[dict(r, source="article: infobox") for r in CONTINGENTS])
    write_csv(root / "sources.csv", SOURCES + [UNCITED])
    return root


def test_payload_has_the_bibliography_once_and_indices_per_record(tmp_path):
    p = payload.build(prepare(cited_dataset(tmp_path / "d")))
    assert [s["key"] for s in p["sources"]] == ["ward1920", "odd", "article"]
    assert p["sources"][0] == {"key": "ward1920", "type": "primary", "author": "John Ward",
                               "title": "With the Die-Hards in Siberia", "year": "1920",
                               "publisher": "Cassell, London",
                               "url": "https://www.gutenberg.org/ebooks/16184"}
    events, presence = columns.plain(p, "events"), columns.plain(p, "presence")
    assert events["cite"][1] == [[0, "ch. III"], [1, "page " + HOSTILE]]
    assert presence["cite"][0] == [[2, "§ X"]]
    assert events["src"] == ["", "", ""]  # the citations replace the text


def test_free_text_data_sets_keep_their_sources(dataset):
    p = payload.build(prepare(dataset))
    assert p["sources"] == [] and "cite" not in p["events"] and "cite" not in p["presence"]
    assert columns.plain(p, "events")["src"][0] == "test fixture"


@pytest.mark.browser
def test_popup_shows_full_citations_as_text_with_safe_links(browser, tmp_path):
    out = tmp_path / "map.html"
    cli_build(cited_dataset(tmp_path / "d"), out)
    with checked(browser, out) as s:
        page = s.page
        page.locator("[data-record='e-us-landing']").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        items = popup.locator(".sm-popup-cites li")
        assert items.count() == 2
        assert items.nth(0).inner_text() == ("John Ward, With the Die-Hards in Siberia "
                                             "(Cassell, London, 1920), ch. III "
                                             "www.gutenberg.org [primary]")
        assert items.nth(0).locator("cite").inner_text() == "With the Die-Hards in Siberia"
        links = popup.locator("a").evaluate_all("(as) => as.map((a) => a.href)")
        assert links == ["https://www.gutenberg.org/ebooks/16184"]
        assert HOSTILE in items.nth(1).inner_text()  # shown literally, twice
        assert page.evaluate("() => window.__xss") is None
        assert "Sources" in popup.inner_text()


def chronology_dataset(root):
    root = cited_dataset(root)
    write_csv(root / "authorities.csv", [
        {"id": "japan", "name": "Japanese-held zone", "side": "allied", "colour": "#d55e00",
         "note": "", "source": "article: § Japan"},
        {"id": "kalmykov", "name": "Kalmykov", "side": "white", "colour": "#4d4d4d",
         "note": "", "source": "article: § Kalmykov"}])
    write_csv(root / "control.csv", [
        {"where": "vladivostok..nikolsk", "date": "1918-08/1919-08", "held_by": "japan",
         "contested": "false", "note": "", "source": "ward1920: ch. II"},
        {"where": "nikolsk..khabarovsk", "date": "1918-08/1919-08", "held_by": "kalmykov",
         "contested": "false", "note": "", "source": "ward1920: ch. V; article: § Kalmykov"}])
    return root


def test_control_rows_carry_their_citations(tmp_path):
    p = payload.build(prepare(chronology_dataset(tmp_path / "d")))
    rows = p["control"]["rows"]
    assert sorted(map(str, rows["cite"])) == ["[[0, 'ch. II']]",
                                              "[[0, 'ch. V'], [2, '§ Kalmykov']]"]
    assert rows["src"] == ["", ""]


@pytest.mark.browser
def test_control_popup_shows_full_citations(browser, tmp_path):
    out = tmp_path / "map.html"
    cli_build(chronology_dataset(tmp_path / "d"), out)
    with checked(browser, out) as s:
        page = s.page
        s.api("setMonth('1918-10')")
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
        items = popup.locator(".sm-popup-cites li")
        assert items.count() == 2
        assert items.nth(0).inner_text().startswith(
            "John Ward, With the Die-Hards in Siberia (Cassell, London, 1920), ch. V")
        assert items.nth(1).inner_text() == "Siberian intervention (2026), § Kalmykov [reference]"

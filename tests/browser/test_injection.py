"""Hostile text in every field shows as text: no script runs, in a real browser."""

import copy

import pytest

from browser import open_map
from conftest import cli_build, CONTINGENTS, EVENTS, PLACES, PRESENCE, RAILWAYS, write_dataset

pytestmark = pytest.mark.browser

PAYLOADS = [
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "</script><script>window.__xss=2;alert(2)</script>",
    '"><svg onload="window.__xss=3;alert(3)">',
    "javascript:window.__xss=4;alert(4)",
    "' onmouseover='window.__xss=5' x='",
    "<b>bold?</b> & &amp; {{ 7*7 }} ${7*7}",
]


def hostile_dataset(root):
    p = iter(PAYLOADS * 20)
    places = copy.deepcopy(PLACES)
    for f in places:
        f["properties"].update(name=f["properties"]["name"] + " " + next(p), names=[next(p)],
                               note=next(p), source=next(p), label=True, modern_name=next(p))
    railways = copy.deepcopy(RAILWAYS)
    for f in railways:
        f["properties"].update(line=next(p), source=next(p))
    contingents = [dict(c, name=c["name"] + " " + next(p), source=next(p), strength=next(p),
                        commanders=next(p)) for c in CONTINGENTS]
    events = [dict(e, title=next(p), description=next(p), source=next(p), kind=next(p))
              for e in EVENTS]
    events.append(dict(EVENTS[0], id="e-link", source="see https://example.org/ok and "
                       "javascript:alert(9)", title="Link test"))
    presence = [dict(r, note=next(p), strength=next(p), source=next(p)) for r in PRESENCE]
    meta = {"title": "Title " + PAYLOADS[1], "subtitle": PAYLOADS[0], "citation": PAYLOADS[2]}
    return write_dataset(root, places, railways, contingents, events, presence, meta)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = hostile_dataset(tmp_path_factory.mktemp("hostile"))
    out = tmp_path_factory.mktemp("out") / "map.html"
    cli_build(root, out)
    return out


OPEN_ALL_POPUPS = """() => {
  const texts = [], hrefs = [];
  // Read the popup just opened: a closing one lingers in the DOM while it fades out.
  const read = (popup) => {
    const el = popup && popup.getElement() && popup.getElement().querySelector('.leaflet-popup-content');
    if (el) {
      texts.push(el.textContent);
      el.querySelectorAll('a[href]').forEach((a) => hrefs.push(a.href));
    }
  };
  // Records are drawn on one canvas: open each through the record layer's own method.
  const records = L.SiberiaMap.current.records;
  for (const r of window.siberiaMap.visible()) {
    read(records.openRecordPopup(r.id, r.type));
    records.openRecordTooltip(r.id, r.type);
    document.querySelectorAll('.leaflet-tooltip').forEach((t) => texts.push(t.textContent));
  }
  // Places and railways are Leaflet layers with popups and tooltips of their own.
  const visit = (layer) => {
    if (layer.getPopup && layer.getPopup() && !layer.eachLayer) {
      layer.openPopup();
      read(layer.getPopup());
    }
    if (layer.getTooltip && layer.getTooltip() && !layer.eachLayer) {
      layer.openTooltip();
      document.querySelectorAll('.leaflet-tooltip').forEach((t) => texts.push(t.textContent));
    }
    if (layer.eachLayer) { layer.eachLayer(visit); }
  };
  map_siberia.eachLayer(visit);
  return {texts, hrefs, records: window.siberiaMap.visible().length};
}"""


def test_no_payload_runs_and_text_shows_literally(browser, hostile):
    s = open_map(browser, hostile)
    page = s.page
    popups, links, opened_records = [], [], 0
    for month in s.api("months()"):
        s.api(f"setMonth({month!r})")
        for button in page.locator("[data-record]").all():
            button.click()
        opened = page.evaluate(OPEN_ALL_POPUPS)
        opened_records += opened["records"]
        popups += opened["texts"]
        links += opened["hrefs"]
        page.mouse.move(300, 300)
        page.mouse.move(640, 430)
    body = page.locator("body").inner_text()
    flag = page.evaluate("() => window.__xss")
    title = page.title()
    links += page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    s.close()
    assert flag is None and s.dialogs == [] and s.errors == []
    assert opened_records >= 10  # every record of every month had its popup opened
    assert title.startswith("Title </script><script>")
    for payload in PAYLOADS:
        assert payload in body or any(payload in t for t in popups), payload
    assert any(PAYLOADS[0] in t for t in popups)
    assert not any(h.lower().startswith("javascript:") for h in links)
    assert "https://example.org/ok" in links

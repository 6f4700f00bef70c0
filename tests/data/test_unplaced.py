"""Events with no place on the map (a decision taken in Washington or Tokyo): an empty
`where` is accepted for events only; such an event is listed for its month, never drawn."""

import json
import re

import pyogrio
import pytest

from browser import checked
from conftest import EVENTS, GEODATA, PRESENCE, cli_build
from siberia_map.output.export import export
from siberia_map.model.join import prepare
from siberia_map.data.load import load
from siberia_map.output import columns
from siberia_map.output.payload import build
from siberia_map.data.validate import validate

DECISION = {"id": "e-decision", "date": "1918-07-06", "where": "", "contingents": "usa",
            "kind": "political", "title": "Wilson decides to send troops",
            "description": "Decided in Washington.", "source": "test fixture"}


@pytest.fixture
def root(make_dataset):
    return make_dataset(events=[DECISION] + EVENTS)


def test_empty_where_is_accepted_for_an_event_only(make_dataset):
    assert validate(load(make_dataset(events=[DECISION] + EVENTS))) == []
    bad = dict(PRESENCE[0], where="")
    found = [(p.file, p.field, p.value) for p in validate(load(make_dataset(presence=[bad])))]
    assert found == [("presence.csv", "where", "")]


def test_unplaced_event_has_no_geometry_in_the_payload(root):
    ds = prepare(root)
    row = ds.events.set_index("id").loc["e-decision"]
    assert row.geometry is None and row["where_label"] == ""
    events = build(ds)["events"]
    g, m0 = columns.untyped(events["g"]), columns.untyped(events["m0"])
    i = events["id"].index("e-decision")
    assert g[i] == -1 and m0[i] == 0  # July 1918 is the first month
    assert g[events["id"].index("e-british-landing")] >= 0


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv", "lpf"])
def test_exports_keep_the_event_without_geometry(root, tmp_path, fmt):
    out = tmp_path / ("out" if fmt == "csv" else f"out.{fmt}")
    export(prepare(root), fmt, out)
    if fmt == "geojson":
        feats = {f["id"]: f for f in json.loads(out.read_text())["features"]}
        assert feats["events/e-decision"]["geometry"] is None
    elif fmt == "gpkg":
        ev = pyogrio.read_dataframe(out, layer="events").set_index("id")
        assert ev.geometry.loc["e-decision"] is None
        assert ev.geometry.loc["e-british-landing"].geom_type == "Point"
    elif fmt == "csv":
        text = (out / "events.csv").read_text()
        assert "e-decision" in text
    else:
        assert "e-decision" not in out.read_text()  # LPF lists places, not events


@pytest.mark.browser
def test_unplaced_event_is_listed_and_opens_but_is_not_drawn(browser, root, tmp_path):
    out = tmp_path / "map.html"
    cli_build(root, out)
    # (Linked to its month: without a link the map opens on the first month with events
    # of several contingents.)
    with checked(browser, out, "#1918-07") as s:
        assert s.api("month()") == "1918-07"
        [rec] = s.api("visible()")
        assert rec["id"] == "e-decision" and rec["lat"] is None
        scene = "() => L.SiberiaMap.current.records._scenes.scene.n"
        assert s.page.evaluate(scene) == 0  # nothing drawn this month
        button = s.page.locator("[data-record='e-decision']")
        assert "Wilson decides" in button.inner_text()
        button.click()
        popup = s.page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "Decided in Washington." in popup.inner_text()
        s.api("setMonth('1918-08')")
        assert s.page.evaluate(scene) > 0


@pytest.mark.browser
@pytest.mark.parametrize("word, title", [
    ("Wilson", "Wilson agrees to send troops"),     # no place on the map
    ("Middlesex", "Middlesex battalion lands"),     # at Vladivostok
])
def test_an_event_chosen_in_the_search_keeps_its_popup(browser, build_map, word, title):
    # Choosing empties the result list; the click must not then reach the map and close
    # the popup the choice opened. (On the default data set, where the list overlaps the map.)
    with checked(browser, build_map(data=GEODATA)) as s:
        page = s.page
        search = page.get_by_role("combobox", name="Find a place or an event")
        box = search.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.keyboard.type(word)
        box = page.get_by_role("option", name=re.compile(title)).first.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert title in page.locator(".leaflet-popup-content").inner_text()

"""A second, real campaign in the same format: the North Russia intervention, 1918-1919.

Built with the CLI from tests/data/north_russia and opened in headless Chromium: the map
takes its title, months and contingents from that data set, not from the Siberian one.
"""

import csv
import json

import pytest
from click.testing import CliRunner

from browser import checked
from conftest import NORTH_RUSSIA, cli_build
from siberia_map.cli import main

pytestmark = pytest.mark.browser

DATA = NORTH_RUSSIA


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("nr") / "north_russia.html"
    result = cli_build(DATA, out)
    assert "events 16, presence records 24" in result.output
    return out


@pytest.fixture(scope="module")
def session(browser, built):
    with checked(browser, built) as s:
        yield s


def ids(s, type_=None):
    return sorted(r["id"] for r in s.api("visible()") if type_ in (None, r["type"]))


def test_validates_cleanly():
    result = CliRunner().invoke(main, ["validate", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 26 places, 14 railway segments, 10 contingents")


def test_title_months_and_contingents_come_from_the_data_set(session):
    meta = json.loads((DATA / "dataset.json").read_text(encoding="utf-8"))
    assert "North Russia" in session.page.locator(".sm-title-main").inner_text()
    assert "Siberian" not in session.page.locator(".sm-title").inner_text()
    months = session.api("months()")
    assert months[0] == meta["first_month"] == "1918-03"
    assert months[-1] == meta["last_month"] == "1920-02"
    assert len(months) == 24
    with open(DATA / "contingents.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [c["id"] for c in session.api("contingents()")] == [r["id"] for r in rows]
    assert [c["name"] for c in session.api("contingents()")] == [r["name"] for r in rows]
    legend = session.page.locator(".sm-legend").inner_text()
    assert "United States (339th Infantry, 'Polar Bears')" in legend


def test_stepping_to_a_month_shows_its_records(session):
    session.api("setMonth('1918-08')")
    assert "arkhangelsk-landing" in ids(session, "event")
    assert {"br-archangel", "br-murmansk", "wh-archangel"} <= set(ids(session, "presence"))
    assert "us-archangel" not in ids(session)
    session.api("setMonth('1918-11')")
    assert "battle-of-tulgas" in ids(session, "event")
    tulgas = [r for r in session.api("visible()") if r["id"] == "us-tulgas"][0]
    assert 62.5 < tulgas["lat"] < 62.7 and 43.4 < tulgas["lon"] < 43.6
    assert tulgas["contingents"] == ["usa"]
    session.page.get_by_role("button", name="Next month").click()
    session.page.get_by_role("button", name="Next month").click()
    assert session.api("month()") == "1919-01"
    assert {"battle-of-shenkursk", "ust-padenga", "miller-governor"} <= set(ids(session, "event"))
    session.api("setMonth('1920-02')")
    assert ids(session, "event") == ["archangel-falls"]
    assert "usa" not in {c for r in session.api("visible()") for c in r["contingents"]}
    # the URL hash follows the month (it may be written a moment later)
    session.page.wait_for_function("() => location.hash === '#1920-02'", timeout=5000)


def test_railway_stretch_and_hidden_contingent(session):
    session.api("setMonth('1919-05')")
    onega = [r for r in session.api("visible()") if r["id"] == "br-onega-offensive"][0]
    assert 62.9 <= onega["lat"] <= 64.6 and 34.2 <= onega["lon"] <= 34.9  # on the line
    session.api("setContingentVisible('britain', false)")
    assert all("britain" not in r["contingents"] for r in session.api("visible()"))
    session.api("setContingentVisible('britain', true)")
    assert "br-onega-offensive" in ids(session)

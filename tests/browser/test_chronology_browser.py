"""The shipped map in headless Chromium: in the months the audit named, a town shows only the
camp that held it (issue 19). The browser says who held the town (`controlAt`) and which
records it draws that month (`visible()`); the data says where each of those records is
drawn that month (a stretch at every station on it, a journey at the stations it passes)."""


import pytest

from browser import checked
from conftest import GEODATA
from siberia_map.data import timeline
from siberia_map.data.control.chronology import CAMP, PASS_TOLERANCE
from siberia_map.data.control.conflicts import record_tables
from siberia_map.data.load import load
from siberia_map.data.movements import MOVEMENTS, month_fractions, route, split_via
from siberia_map.data.validate import check

pytestmark = pytest.mark.browser

TOWNS = {"omsk": (54.99, 73.37), "irkutsk": (52.30, 104.30)}


@pytest.fixture(scope="module")
def data():
    raw = load(GEODATA)
    checked_ = check(raw)
    sides = {r["id"]: r["side"] for r in raw.contingents.rows}
    rows = {}
    for table in record_tables(raw):
        for i, row in enumerate(table.rows):
            rid = row.get("id") or f"presence-{table.lines[i]}"
            rows[rid] = (table.name, row)
    return checked_.chronology, rows, sides


@pytest.fixture(scope="module")
def real(browser, build_map):
    with checked(browser, build_map(data=GEODATA)) as s:
        yield s


def drawn_at(chron, file, row, month: int) -> set[str]:
    """The place ids a record is drawn at in `month`."""
    if file == MOVEMENTS:
        span = timeline.parse(row["date"])
        steps = route(chron.gaz, row["from"], row["to"], split_via(row.get("via", ""))).steps
        f0, f1 = month_fractions(span)[month - span.first_month]
        return {pid for pid, share in chron.route_stations(steps)
                if f0 - PASS_TOLERANCE <= share <= f1 + PASS_TOLERANCE}
    where = (row.get("where") or "").strip()
    return set(chron.stations(where)) if where else set()


@pytest.mark.parametrize("town, month, camp", [
    ("omsk", "1919-12", "red"),  # the Reds took Omsk on 14 November 1919
    ("irkutsk", "1918-08", "allied/white"),  # the Soviet left Irkutsk on 11 July 1918
])
def test_a_town_shows_only_the_camp_that_held_it(real, data, town, month, camp):
    chron, rows, sides = data
    real.api(f"setMonth('{month}')")
    holder = real.api(f"controlAt({TOWNS[town][0]}, {TOWNS[town][1]})")
    assert holder is not None and not holder["contested"], holder
    assert {"red": "red"}.get(holder["side"], "allied/white") == camp, holder
    m = timeline.parse_month_key(month)
    shown = real.api("visible()")
    assert shown, month
    here, wrong = [], []
    for r in shown:
        file, row = rows[r["id"]]
        if town not in drawn_at(chron, file, row, m):
            continue
        here.append(r["id"])
        for cid in r["contingents"]:
            if CAMP.get(sides[cid]) is not None and CAMP[sides[cid]] != CAMP[holder["side"]]:
                wrong.append((r["id"], cid))
    assert here, f"nothing drawn at {town} in {month}"
    assert wrong == [], f"at {town} in {month}, held by {holder['id']}: {wrong}"

"""The strength chart under the month slider, in headless Chromium, on a tiny campaign."""

import pytest

from browser import checked
from conftest import PRESENCE

pytestmark = pytest.mark.browser

STRENGTH = {"p-usa-line": "3000", "p-japan-line": "", "p-britain-omsk": "800"}
ROWS = [{**r, "strength_n": STRENGTH[r["id"]]} for r in PRESENCE] + [
    {"id": "p-usa-khabarovsk", "contingent": "usa", "where": "khabarovsk",
     "date": "1918-09/1918-10", "strength": "about 500", "note": "", "source": "test fixture",
     "strength_n": "500"}]


@pytest.fixture(scope="module")
def built(build_map):
    return build_map(presence=ROWS)


@pytest.fixture
def session(open_page, built):
    s = open_page(built)
    # The chart is in the Legend tab, under the contingents.
    s.page.get_by_role("tab", name="Legend").click()
    return s


def expected(months):
    """Per contingent and month the sum of strength_n of the records on the map then."""
    from siberia_map.data.timeline import month_key, parse

    out = {}
    for r in ROWS:
        if not r["strength_n"]:
            continue
        span = parse(r["date"])
        series = out.setdefault(r["contingent"], [None] * len(months))
        for m in range(span.first_month, span.last_month + 1):
            i = months.index(month_key(m))
            series[i] = (series[i] or 0) + int(r["strength_n"])
    return out


def chart(s, expr):
    return s.page.evaluate(f"() => {{ const c = L.SiberiaMap.current.strength; return {expr}; }}")


def cursor_x(s):
    return s.page.evaluate("() => +document.querySelector('.sm-strength-cursor').getAttribute('x1')")


def month_x(s, i):
    """Where month i sits on the chart: the slider's inset at each end, months evenly between."""
    box = s.page.locator(".sm-strength-chart").bounding_box()
    n = len(s.api("months()"))
    return 8 + i * (box["width"] - 16) / (n - 1)


def test_its_numbers_are_the_datas(session):
    months = session.api("months()")
    want = expected(months)
    assert chart(session, "c.series()") == want
    assert "japan" not in want  # no number in any Japanese record: no line at all
    # The text alternative: a row per month with a number, a column per contingent.
    rows = session.page.evaluate("""() => Array.from(document.querySelectorAll(
        '.sm-strength-table tbody tr')).map(tr => [tr.dataset.month,
        ...Array.from(tr.querySelectorAll('td')).map(td => td.textContent)])""")
    heads = session.page.evaluate("""() => Array.from(document.querySelectorAll(
        '.sm-strength-table thead th')).map(th => th.textContent)""")
    assert heads == ["Month", "United States", "Britain"]
    table = {m: cells for m, *cells in rows}
    for i, m in enumerate(months):
        cells = [want[c][i] for c in ("usa", "britain")]
        if all(v is None for v in cells):
            assert m not in table
        else:
            assert table[m] == ["\u2013" if v is None else f"{v:,}" for v in cells]


def test_the_cursor_follows_set_month(session):
    for month in ("1918-08", "1918-10", "1919-04"):
        session.api(f"setMonth('{month}')")
        i = session.api("months()").index(month)
        assert cursor_x(session) == pytest.approx(month_x(session, i), abs=0.2)


def test_a_folded_legend_catches_up_when_its_tab_opens(open_page, built):
    # Steps taken while another tab is open leave the chart alone; opening the Legend tab
    # shows the month the map is at, and the toggles made meanwhile.
    s = open_page(built)
    s.api("setMonth('1918-08')")
    s.api("setContingentVisible('usa', false)")
    s.api("setMonth('1919-04')")
    s.page.get_by_role("tab", name="Legend").click()
    # The chart learns its width from a ResizeObserver, whose callback runs in the frame
    # that first lays the unfolded pane out: read it as the reader sees it, after that frame.
    s.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert cursor_x(s) == pytest.approx(month_x(s, s.api("months()").index("1919-04")), abs=0.2)
    lines = "() => Array.from(document.querySelectorAll('.sm-strength-chart path')).map(p => p.dataset.contingent)"
    assert s.page.evaluate(lines) == ["britain"]
    assert not s.page.get_by_role("checkbox", name="United States").is_checked()


def test_a_click_on_the_chart_moves_the_month(session):
    page, months = session.page, session.api("months()")
    box = page.locator(".sm-strength-chart").bounding_box()
    for target in (3, 0, len(months) - 1):
        page.mouse.click(box["x"] + month_x(session, target), box["y"] + box["height"] / 2)
        assert session.api("month()") == months[target]


def test_arrow_keys_on_the_focused_chart_step_one_month(session):
    page = session.page
    session.api("setMonth('1918-10')")
    page.locator(".sm-strength-chart").focus()
    page.keyboard.press("ArrowRight")
    assert session.api("month()") == "1918-11"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert session.api("month()") == "1918-09"
    assert page.locator(".sm-strength-chart").get_attribute("aria-valuetext") == "September 1918"


def test_it_follows_the_contingent_toggles(session):
    lines = "() => Array.from(document.querySelectorAll('.sm-strength-chart path')).map(p => p.dataset.contingent)"
    assert session.page.evaluate(lines) == ["usa", "britain"]
    session.page.get_by_role("checkbox", name="United States").uncheck()
    assert session.page.evaluate(lines) == ["britain"]
    assert session.page.locator(".sm-strength-max").text_content() == "max 800"
    session.api("setContingentVisible('usa', true)")
    assert session.page.evaluate(lines) == ["usa", "britain"]
    assert session.page.locator(".sm-strength-max").text_content() == "max 3,500"


def test_no_numbers_no_chart(browser, build_map):
    with checked(browser, build_map()) as s:
        assert s.page.locator(".sm-strength").count() == 0

"""The map in each of its five languages, in Chromium: the page's language, the slider's
month, no English interface string left, search by every name of a place, the switcher,
a data set's own translated columns, and room for the longer strings.

Built with the CLI (`--lang`), on the shipped data set and on tests/data/north_russia.
"""

import json
import re

import pytest

from conftest import (CONTINGENTS, EVENTS, GEODATA, NORTH_RUSSIA, PLACES, cli_build, point,
                      write_csv, write_dataset)

pytestmark = pytest.mark.browser

CATALOGUES = GEODATA.parent / "src" / "siberia_map" / "static" / "i18n"
LANGS = ("en", "ru", "fr", "cs", "ja")
JUNE_1919 = {"en": "June 1919", "ru": "июнь 1919", "fr": "juin 1919", "cs": "červen 1919",
             "ja": "1919年6月"}
# Every interface text on the page: leaf texts and the attributes read aloud or shown.
TEXTS = """() => { const out = [];
  document.querySelectorAll('.sm-map *, .sm-skip').forEach(el => {
    if (el.closest('.sm-label, .leaflet-popup, .sm-event, .sm-title-more, .sm-contingent-list, '
                   + '.sm-strength svg title, .leaflet-control-attribution')) return;
    if (!el.children.length && el.textContent.trim()) out.push(el.textContent.trim());
    for (const a of ['aria-label', 'title', 'placeholder', 'aria-valuetext'])
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
  });
  return out; }"""
SLIDER = "document.querySelector('.sm-month-slider, input[type=range]').getAttribute('aria-valuetext')"


def catalogue(lang):
    return json.loads((CATALOGUES / f"{lang}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(build_map):
    """The shipped data set with all five languages (the default), with Russian alone, and
    North Russia with all five (the first and the last are the maps other modules open too:
    build_map builds each once per run)."""
    return {"all": build_map(data=GEODATA), "ru": build_map(data=GEODATA, options=("--lang", "ru")),
            "north": build_map(data=NORTH_RUSSIA)}


def _english_left(texts, lang):
    """English catalogue strings (those the language words differently) found in `texts`."""
    own = catalogue(lang)
    found = []
    for key, english in catalogue("en").items():
        # (The switcher names each language in that language, English too.)
        if own.get(key) == english or key == "lang.name" or key.startswith(("date.", "season.", "base.")):
            continue
        # The fixed parts of a string with places, as whole words ("Legend" is not in
        # the Czech "Legenda").
        fixed = [re.compile(r"(?<!\w)" + re.escape(p.strip()) + r"(?!\w)")
                 for p in re.split(r"\{\{\w+\}\}", english) if len(p.strip()) >= 6]
        for t in texts:
            if t == english or any(p.search(t) for p in fixed):
                found.append((key, t))
    return found


@pytest.fixture(scope="module")
def lang_pages(browser, built):
    """`lang_pages(data, lang)`: the page of `built[data]` in `lang` (English as a page opens
    without a link), opened once for the module and shared by the tests that set the month,
    open tabs and search; its search box is emptied (and its options gone) each time."""
    from browser import close_checked, open_map

    opened = {}

    def get(data, lang):
        if (data, lang) not in opened:
            opened[data, lang] = open_map(browser, built[data], "" if lang == "en" else f"#lang={lang}")
        s = opened[data, lang]
        s.page.fill(".sm-search input", "")
        s.page.wait_for_selector(".sm-search-option", state="detached")
        return s

    yield get
    close_checked(opened.values())


@pytest.mark.parametrize("data", ["all", "north"])
@pytest.mark.parametrize("lang", LANGS)
def test_each_language(lang_pages, lang, data):
    s = lang_pages(data, lang)
    page = s.page
    assert page.evaluate("document.documentElement.lang") == lang
    months = s.api("months()")
    month = "1919-06" if "1919-06" in months else months[len(months) // 2]
    s.api(f"setMonth('{month}')")
    expected = page.evaluate("([l, m]) => new Intl.DateTimeFormat(l, {year: 'numeric', month: 'long', "
                             "timeZone: 'UTC'}).format(new Date(m + '-01T00:00:00Z'))", [lang, month])
    assert page.evaluate(SLIDER) == expected
    if month == "1919-06":
        assert page.evaluate(SLIDER).startswith(JUNE_1919[lang])
    if lang != "en":
        # Every panel open once, so its strings are on the page.
        for tab in page.query_selector_all("[role=tab]"):
            tab.click()
        left = _english_left(page.evaluate(TEXTS), lang)
        assert left == [], left


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("query", ["Новосибирск", "Novonikolaevsk", "Novosibirsk"])
def test_search_finds_a_place_by_any_of_its_names(lang_pages, lang, query):
    page = lang_pages("all", lang).page
    page.fill(".sm-search input", query)
    first = page.wait_for_selector(".sm-search-option")
    shown = {"ru": "Новониколаевск", "ja": "ノヴォシビルスク"}.get(lang, "Novonikolaevsk")
    assert shown in first.text_content()


def test_one_language_file_has_no_switcher(built, open_page):
    s = open_page(built["ru"])
    page = s.page
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert page.query_selector(".sm-lang") is None
    s.api("setMonth('1919-06')")
    assert page.evaluate(SLIDER).startswith(JUNE_1919["ru"])


def test_the_switcher_lists_the_languages_held_and_switches_by_keyboard(built, open_page):
    s = open_page(built["all"], "#1919-06")
    page = s.page
    options = page.eval_on_selector_all(".sm-lang option", "os => os.map(o => [o.value, o.textContent])")
    assert options == [["en", "English"], ["ru", "Русский"], ["fr", "Français"],
                       ["cs", "Čeština"], ["ja", "日本語"]]
    page.focus(".sm-lang")
    with page.expect_navigation():
        page.select_option(".sm-lang", "cs")
    page.wait_for_function("() => window.siberiaMap && window.siberiaMap.months().length > 0")
    assert page.evaluate("document.documentElement.lang") == "cs"
    assert page.evaluate("location.hash") == "#lang=cs&1919-06"
    assert page.evaluate(SLIDER) == "červen 1919"


def test_translated_columns_are_shown_in_their_language(tmp_path, open_page):
    # One event, one contingent, one chapter and the title have a Russian version; the
    # rest stays as the data set has it, in every language.
    events = [dict(e, title_ru=f"RU {e['title']}" if i == 0 else "") for i, e in enumerate(EVENTS)]
    contingents = [dict(c, name_ru="Британия" if c["id"] == "britain" else "") for c in CONTINGENTS]
    places = PLACES + [point("harbin", "Harbin", 126.65, 45.75, "city", name_ru="Харбин")]
    data = write_dataset(tmp_path / "data", events=events, places=places, contingents=contingents,
                         meta={"title": "The test war", "title_ru": "Тестовая война"})
    write_csv(data / "story.csv", [{"id": "landing", "title": "The landing", "title_ru": "Высадка",
                                    "month": "1918-08", "view": "vladivostok", "contingents": "",
                                    "highlight": "", "text": "They land.", "source": "test"}])
    out = tmp_path / "map.html"
    cli_build(data, out, "--lang", "en,ru")
    for lang, title, britain, heading, chapter in (
            ("en", "British land", "Britain", "The test war", "The landing"),
            ("ru", "RU British land", "Британия", "Тестовая война", "Высадка")):
        page = open_page(out, f"#lang={lang}&1918-08").page
        # Entries out of view are filled when the browser is idle (EventsPanel._fill).
        page.wait_for_function("() => !document.querySelector('.sm-event-list li[inert]')")
        titles = page.eval_on_selector_all(".sm-event-title", "es => es.map(e => e.textContent)")
        assert title in titles and "Americans land" in titles
        names = page.evaluate("() => window.siberiaMap.contingents().map(c => c.name)")
        assert britain in names and "Japan" in names
        assert page.text_content(".sm-title-main") == heading
        assert page.evaluate("() => window.siberiaMap.chapters()[0].title") == chapter


# A window's label: a range within a year, one across years, everything up to a month.
WINDOW_LABELS = {
    "ru": ("июнь – август 1919 г.", "ноябрь 1918 г. – январь 1919 г.", "по август 1919 г."),
    "fr": ("juin – août 1919", "novembre 1918 – janvier 1919", "jusqu’à août 1919"),
    "cs": ("červen–srpen 1919", "listopad 1918 – leden 1919", "srpen 1919 a dříve"),
    "ja": ("1919年6月～8月", "1918年11月～1919年1月", "1919年8月まで"),
}
WINDOW_BAR = """() => { const q = s => document.querySelector(s);
  return {label: q('.sm-month-label').textContent,
          buttons: [...document.querySelectorAll('.sm-window button')].map(b =>
            [b.textContent, b.title, b.getAttribute('aria-label'), b.getAttribute('aria-checked')]),
          group: q('.sm-window').getAttribute('aria-label'),
          from: q('.sm-month-from').getAttribute('aria-label'),
          slider: q('.sm-month-slider').getAttribute('aria-label'),
          heading: q('.sm-events .sm-panel-toggle').textContent,
          region: q('.sm-events').getAttribute('aria-label'),
          events: window.siberiaMap.visible().filter(r => r.type === 'event').length}; }"""


@pytest.mark.parametrize("lang", sorted(WINDOW_LABELS))
def test_a_window_in_each_language(built, open_page, lang):
    own = catalogue(lang)
    same_year, across, up_to = WINDOW_LABELS[lang]
    s = open_page(built["all"], f"#lang={lang}&1919-06..1919-08")
    page = s.page
    bar = page.evaluate(WINDOW_BAR)
    assert bar["label"] == same_year
    assert bar["buttons"] == [[own[f"window.{m}"], own[f"window.{m}Title"], own[f"window.{m}Title"],
                               "true" if m == "range" else "false"] for m in ("month", "upto", "range")]
    assert (bar["group"], bar["from"], bar["slider"]) == (own["window.group"], own["window.from"], own["month.last"])
    # The events list's heading: the tab's word, the window and the count in the language.
    count = page.evaluate("([l, n]) => new Intl.NumberFormat(l).format(n)", [lang, bar["events"]])
    assert bar["heading"] == f"{own['events.tab']}, {same_year} ({count})"
    assert bar["region"] == own["events.ariaWindow"]
    # Nothing of the window's controls (or anything else) left in English, with every
    # panel open.
    for tab in page.query_selector_all("[role=tab]"):
        tab.click()
    left = _english_left(page.evaluate(TEXTS), lang)
    assert left == [], left

    page.evaluate("window.siberiaMap.setWindow('1918-11', '1919-01')")
    assert page.text_content(".sm-month-label") == across
    # "Up to" is clicked as a reader would: the window runs from the first month to the
    # last one shown.
    page.click(".sm-window-upto")
    assert s.api("window()") == {"mode": "upto", "from": s.api("months()")[0], "to": "1919-01"}
    page.evaluate("window.siberiaMap.setMonth('1919-08')")
    page.click(".sm-window-upto")
    bar = page.evaluate(WINDOW_BAR)
    assert bar["label"] == up_to
    assert [b[3] for b in bar["buttons"]] == ["false", "true", "false"]
    assert bar["heading"].startswith(f"{own['events.tab']}, {up_to} (")
    assert bar["slider"] == own["month.last"]
    # Back to one month: the slider is the month again, the list this month's.
    page.click(".sm-window-month")
    bar = page.evaluate(WINDOW_BAR)
    assert bar["label"] == page.evaluate(SLIDER)
    assert (bar["slider"], bar["region"]) == (own["month.aria"], own["events.aria"])


@pytest.mark.parametrize("lang", ["ru", "ja"])
def test_a_bad_window_is_told_in_the_language(built, open_page, lang):
    own = catalogue(lang)
    s = open_page(built["all"], f"#lang={lang}&1919-08..1919-06")
    says = own["hash.backwards"].replace("{{window}}", "1919-08..1919-06")
    s.page.wait_for_function("(s) => document.querySelector('.sm-notice') &&"
                             " document.querySelector('.sm-notice').textContent.includes(s)", arg=says)
    text = s.page.text_content(".sm-notice-text")
    assert text.startswith(own["hash.notFollowed"].split("{{")[0])
    assert _english_left([text], lang) == []


@pytest.mark.parametrize("lang", ["ru", "ja"])
@pytest.mark.parametrize("size,limit", [((1280, 720), 0.20), ((390, 844), 0.25)])
def test_longer_strings_keep_the_controls_small(built, open_page, lang, size, limit):
    from test_reader import BOXES, COVER, SETTLED, click_centre, inside_window, overlap

    s = open_page(built["all"], f"#lang={lang}", viewport=size)
    page = s.page
    assert page.evaluate(COVER) <= limit
    # With each tab of the sheet open in turn: every control inside the window, none on
    # another (as test_reader checks in English).
    tabs = page.get_by_role("tab")
    for k in [None, *range(tabs.count())]:
        if k is not None:
            click_centre(page, tabs.nth(k))
        page.evaluate(SETTLED)
        boxes = [b for b in page.evaluate(BOXES) if b["shown"]]
        assert len(boxes) >= 5
        for i, a in enumerate(boxes):
            assert inside_window(a, size), a
            for b in boxes[i + 1:]:
                assert not overlap(a, b), (a, b)
    # Nothing of the title line or the time bar runs out of the window.
    for sel in (".sm-title-line", ".sm-search", ".sm-month"):
        box = page.eval_on_selector(sel, "e => { const r = e.getBoundingClientRect(); "
                                         "return [r.left, r.right]; }")
        assert box[0] >= 0 and box[1] <= size[0], (sel, box)


DATES = [
    ("1918-08-15/1918-08-21", "", {"ru": "15–21 августа 1918 г.", "fr": "15–21 août 1918",
                                   "cs": "15. srpna 1918 – 21. srpna 1918",
                                   "ja": "1918年8月15日 – 1918年8月21日"}),
    ("1919-22", "", {"ru": "лето 1919 г.", "fr": "été 1919", "cs": "léto 1919", "ja": "1919年夏"}),
    ("1919-24", "", {"ru": "зима 1919/20 гг.", "fr": "hiver 1919-20", "cs": "zima 1919/20",
                     "ja": "1919–20年冬"}),
    ("1918-08~", "", {"ru": "август 1918 г. (приблизительно)", "fr": "vers août 1918",
                      "cs": "srpen 1918 (přibližně)", "ja": "1918年8月頃"}),
    ("1919-06-14", "1919-06-01", {"ru": "14 июня 1919 г. (1 июня ст. ст.)",
                                  "fr": "14 juin 1919 (1 juin ancien style)",
                                  "cs": "14. června 1919 (1. června st. st.)",
                                  "ja": "1919年6月14日（ユリウス暦6月1日）"}),
    ("1919-01-07", "1918-12-25", {"ru": "7 января 1919 г. (25 декабря 1918 г. ст. ст.)",
                                  "fr": "7 janvier 1919 (25 décembre 1918 ancien style)",
                                  "cs": "7. ledna 1919 (25. prosince 1918 st. st.)",
                                  "ja": "1919年1月7日（ユリウス暦1918年12月25日）"}),
    ("19XX", "", {"ru": "", "fr": "", "cs": "", "ja": ""}),
]


@pytest.fixture(scope="module")
def date_page(lang_pages):
    """The English page of `lang_pages`: the words are asked of the page's own classes
    (DateWords, I18n) for every language at once, whatever month or tab it shows."""
    return lang_pages("all", "en").page


@pytest.mark.parametrize("date,os_date,expected", DATES)
def test_dates_in_words(date_page, date, os_date, expected):
    got = date_page.evaluate(
        """([date, os, langs]) => { const SM = L.SiberiaMap, block = SM.current.controller.model.payload.i18n;
           return langs.map(l => new SM.DateWords(new SM.I18n(block, l)).when(date, os)); }""",
        [date, os_date, list(expected)])
    assert dict(zip(expected, got)) == expected


@pytest.mark.parametrize("first,last,expected", [
    ("1919-06", "1919-08", {"en": "June\u2013August 1919", "ru": "июнь – август 1919 г.",
                            "fr": "juin – août 1919", "cs": "červen–srpen 1919", "ja": "1919年6月～8月"}),
    ("1918-11", "1919-01", {"en": "November 1918 – January 1919", "ru": "ноябрь 1918 г. – январь 1919 г.",
                            "fr": "novembre 1918 – janvier 1919", "cs": "listopad 1918 – leden 1919",
                            "ja": "1918年11月～1919年1月"}),
    # Not a month: shown as given, the other end still in words.
    ("1919-13", "1919-08", {"en": "1919-13 – August 1919", "ru": "1919-13 – август 1919 г.",
                            "fr": "1919-13 – août 1919", "cs": "1919-13 – srpen 1919", "ja": "1919-13～1919年8月"}),
])
def test_ranges_of_months(date_page, first, last, expected):
    got = date_page.evaluate(
        """([a, b, langs]) => { const SM = L.SiberiaMap, block = SM.current.controller.model.payload.i18n;
           return langs.map(l => new SM.I18n(block, l).monthRange(a, b)); }""",
        [first, last, list(expected)])
    assert dict(zip(expected, got)) == expected


@pytest.mark.parametrize("query", ["Архангельск", "Arkhangelsk", "Archangel"])
def test_search_by_any_name_in_north_russia(lang_pages, query):
    # North Russia has no name_ru: the Russian page keeps its names as written and still
    # finds a place by its Cyrillic spelling.
    page = lang_pages("north", "ru").page
    page.fill(".sm-search input", query)
    first = page.wait_for_selector(".sm-search-option")
    assert "Archangel" in first.text_content()
    assert "город" in first.text_content()  # its kind in Russian

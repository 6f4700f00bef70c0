"""The error catalogue: each broken input gives a problem naming file, row, field and value."""

import copy

import pytest

from conftest import CONTINGENTS, EVENTS, PLACES, PRESENCE, RAILWAYS, point
from siberia_map.data.load import load
from siberia_map.data.validate import validate


def problems(root):
    return [str(p) for p in validate(load(root))]


def test_fixture_is_clean(dataset):
    assert problems(dataset) == []


def _with(rows, i, **change):
    rows = copy.deepcopy(rows)
    rows[i].update(change)
    return rows


def _place(i, geometry=None, **props):
    places = copy.deepcopy(PLACES)
    places[i]["properties"].update(props)
    if geometry is not None:
        places[i]["geometry"] = geometry
    return places


CASES = {
    "bad EDTF": (dict(events=_with(EVENTS, 0, date="3 Aug 1918")),
                 "events.csv, row 2: date='3 Aug 1918': a valid EDTF date"),
    "end before start": (dict(presence=_with(PRESENCE, 1, date="1919-05/1918-01")),
                         "presence.csv, row 3: date='1919-05/1918-01': an interval whose end"),
    "unknown place": (dict(events=_with(EVENTS, 1, where="Vladivostock")),
                      "events.csv, row 3: where='Vladivostock': a known place id or name; "
                      "closest known: 'Vladivostok' (vladivostok)"),
    "stretch without path": (dict(presence=_with(PRESENCE, 0, where="vladivostok..omsk")),
                             "presence.csv, row 2: where='vladivostok..omsk': stations on the "
                             "railway network; 'omsk' is on no railway segment"),
    "disconnected stretch": (dict(railways=RAILWAYS[:1] + RAILWAYS[2:],
                                  presence=_with(PRESENCE, 0, where="vladivostok..khabarovsk")),
                             "no path from 'vladivostok' to 'khabarovsk'"),
    "unknown contingent": (dict(presence=_with(PRESENCE, 2, contingent="germany")),
                           "presence.csv, row 4: contingent='germany': a contingent id"),
    "unknown contingent in event": (dict(events=_with(EVENTS, 2, contingents="japan;czechs")),
                                    "events.csv, row 4: contingents='czechs'"),
    "duplicate event id": (dict(events=_with(EVENTS, 1, id="e-british-landing")),
                           "events.csv, row 3: id='e-british-landing': a unique id"),
    "duplicate place id": (dict(places=PLACES + [point("omsk", "Omsk again", 73.3, 55.0)]),
                           "places.geojson, feature 6 (id=omsk): id='omsk': a unique id"),
    "missing source": (dict(events=_with(EVENTS, 0, source="")),
                       "events.csv, row 2: source='': a source"),
    "missing place source": (dict(places=_place(2, source="")),
                             "places.geojson, feature 2 (id=spassk): source=''"),
    "latitude out of range": (dict(places=_place(1, {"type": "Point", "coordinates": [43.8, 131.95]})),
                              "longitude and latitude look swapped"),
    "wrong hemisphere": (dict(places=_place(2, {"type": "Point", "coordinates": [132.8, -44.6]})),
                         "feature 2 (id=spassk): geometry.coordinates=[132.8, -44.6]: a position "
                         "in the northern hemisphere"),
    "outside bounds": (dict(places=_place(4, {"type": "Point", "coordinates": [54.99, 73.37]}),
                            meta={"bounds": [[35, 45], [70, 150]]}),
                       "feature 4 (id=omsk): geometry.coordinates=[54.99, 73.37]: a position inside "
                       "the data set's bounds [[35, 45], [70, 150]]; longitude and latitude look swapped"),
    "invalid geometry": (dict(places=_place(5, {"type": "Polygon", "coordinates": [[[132, 44], [133, 45], [133, 44], [132, 45], [132, 44]]]})),
                         "feature 5 (id=lake-khanka): geometry="),
    "empty geometry": (dict(places=_place(3, {"type": "Point", "coordinates": []})),
                       "feature 3 (id=khabarovsk): geometry"),
    "railway geometry type": (dict(railways=[{**RAILWAYS[0], "geometry": {"type": "Point", "coordinates": [131.9, 43.1]}}] + RAILWAYS[1:]),
                              "railways.geojson, feature 0 (id=vladivostok--nikolsk): geometry='Point': a geometry of type LineString"),
    "railway to unknown station": (dict(railways=_with(RAILWAYS, 1, properties={**RAILWAYS[1]["properties"], "to": "spasskk"})),
                                   "feature 1 (id=nikolsk--spassk): to='spasskk': a place id"),
    "railway far from its station": (dict(railways=_with(RAILWAYS, 1, geometry={"type": "LineString", "coordinates": [[131.95, 43.8], [134.0, 45.0]]})),
                                     "to='spassk': the line to end at this station"),
    "bad colour": (dict(contingents=_with(CONTINGENTS, 0, colour="blue")),
                   "contingents.csv, row 2: colour='blue': a colour #rrggbb"),
    "bad side": (dict(contingents=_with(CONTINGENTS, 1, side="axis")),
                 "contingents.csv, row 3: side='axis'"),
    "date outside slider": (dict(meta={"first_month": "1918-09", "last_month": "1922-10"}),
                            "events.csv, row 2: date='1918-08-03': a date inside the data set's months"),
    "bounds not numbers": (dict(meta={"bounds": [["35", 45], [70, 150]]}),
                           "dataset.json: bounds=[['35', 45], [70, 150]]: [[south, west], [north, east]]"),
    "bounds flat": (dict(meta={"bounds": [35, 45, 70, 150]}), "dataset.json: bounds="),
    "title not text": (dict(meta={"title": ["x"]}), "dataset.json: title=['x']: text"),
    "month not text": (dict(meta={"first_month": 191808}),
                       "dataset.json: first_month=191808: a month written YYYY-MM"),
    "ambiguous name": (dict(places=PLACES + [point("nikolsk-2", "Nikolsk", 60.0, 55.0)],
                            events=_with(EVENTS, 0, where="Nikolsk")),
                       "matches several ids: nikolsk, nikolsk-2"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_error_catalogue(make_dataset, case):
    kwargs, expected = CASES[case]
    found = problems(make_dataset(**kwargs))
    assert any(expected in p for p in found), "\n".join(found)


def test_non_wgs84_crs_is_refused(dataset):
    import json
    path = dataset / "places.geojson"
    obj = json.loads(path.read_text())
    obj["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    path.write_text(json.dumps(obj))
    assert any("places.geojson: crs='urn:ogc:def:crs:EPSG::3857': WGS84" in p
               for p in problems(dataset))


def test_all_problems_in_one_run(make_dataset):
    root = make_dataset(events=_with(_with(EVENTS, 0, date="x"), 1, where="nowhere"),
                        presence=_with(PRESENCE, 2, contingent="nobody", source=""))
    found = problems(root)
    assert len(found) == 4, found


SOURCES = [
    {"key": "ward1920", "type": "primary", "author": "John Ward",
     "title": "With the Die-Hards in Siberia", "year": "1920", "publisher": "Cassell",
     "url": "https://www.gutenberg.org/ebooks/16184", "note": ""},
    {"key": "article", "type": "reference", "author": "", "title": "Siberian intervention",
     "year": "2026", "publisher": "Wikipedia", "url": "", "note": ""},
    {"key": "forum", "type": "popular", "author": "", "title": "A forum thread", "year": "",
     "publisher": "", "url": "", "note": ""},
    {"key": "mirror", "type": "web copy", "author": "", "title": "A mirror", "year": "",
     "publisher": "", "url": "", "note": ""},
    {"key": "wp", "type": "wiki", "author": "Wikipedia contributors", "title": "An article",
     "year": "", "publisher": "Wikipedia", "url": "", "note": ""},
]


def _cited(rows, source):
    return [dict(r, source=source) for r in rows]


def _with_sources(make_dataset, sources=SOURCES, **tables):
    from conftest import write_csv
    kwargs = {"events": _cited(EVENTS, "ward1920: ch. III"),
              "presence": _cited(PRESENCE, "article: § Participants › Japan; forum: thread 3"),
              "contingents": _cited(CONTINGENTS, "article: infobox")}
    kwargs.update(tables)
    root = make_dataset(**kwargs)
    write_csv(root / "sources.csv", sources)
    return problems(root)


def test_cited_data_set_is_clean(make_dataset):
    assert _with_sources(make_dataset) == []


def test_free_text_sources_pass_without_sources_csv(dataset):
    assert problems(dataset) == []


CITATION_CASES = {
    "unknown key": ("ward1920: ch. III; graves1931: ch. 2",
                    "source='graves1931': a key from sources.csv"),
    "empty locator": ("ward1920:", "citation 1 (ward1920) has an empty locator"),
    "empty locator after others": ("ward1920: ch. I; article: ",
                                   "citation 2 (article) has an empty locator"),
    "no key": ("Ward, With the Die-Hards, ch. III", "does not start with a sources.csv key"),
    "stray separator": ("ward1920: ch. I;;", "citation 2 is empty"),
    "weak only": ("forum: thread 3; mirror: p. 2",
                  "at least one primary, scholarly or reference work (a wiki, popular source or "
                  "web copy never stands alone): forum is only popular; mirror is only web copy"),
    "one weak source": ("mirror: ch. 2", "mirror is only web copy"),
    "a wiki alone": ("wp: § History", "stands alone): wp is a wiki; cite the work behind"),
    "a wiki never backs a weak source": ("wp: § History; forum: thread 3",
                                         "wp is a wiki; forum is only popular"),
}


@pytest.mark.parametrize("case", CITATION_CASES, ids=list(CITATION_CASES))
def test_citation_rules(make_dataset, case):
    source, expected = CITATION_CASES[case]
    found = _with_sources(make_dataset, events=_cited(EVENTS[:1], source) +
                          _cited(EVENTS[1:], "ward1920: ch. III"))
    assert any(p.startswith("events.csv, row 2: source=") and expected in p for p in found), found


def test_a_record_on_weak_sources_alone_is_an_error(make_dataset):
    from click.testing import CliRunner

    from conftest import write_csv
    from siberia_map.cli import main

    root = make_dataset(events=_cited(EVENTS[:1], "forum: thread 3") +
                        _cited(EVENTS[1:], "ward1920: ch. III"),
                        presence=_cited(PRESENCE, "article: § Participants › Japan"),
                        contingents=_cited(CONTINGENTS, "article: infobox"))
    write_csv(root / "sources.csv", SOURCES)
    (weak,) = validate(load(root))
    assert weak.severity == "error" and "forum is only popular" in str(weak)
    result = CliRunner().invoke(main, ["validate", "--data", str(root)])
    assert result.exit_code == 2 and "events.csv, row 2: source='forum: thread 3'" in result.output


@pytest.mark.parametrize("source", ["wp: § History; ward1920: ch. I; forum: x",
                                    "article: § Background; forum: thread 3",
                                    "mirror: p. 2; ward1920: ch. I"])
def test_a_weak_source_beside_a_real_work_is_enough(make_dataset, source):
    assert _with_sources(make_dataset, events=_cited(EVENTS, source)) == []


# One row of each table that cites sources.csv; the rest of the row is beside the point.
CITING_ROWS = {
    "events.csv": dict(EVENTS[0]),
    "presence.csv": dict(PRESENCE[0]),
    "contingents.csv": dict(CONTINGENTS[0]),
    "movements.csv": {"id": "m-usa", "contingent": "usa", "from": "vladivostok",
                      "to": "nikolsk", "date": "1918-08/1918-09", "kind": "transfer"},
    "gaps.csv": {"contingent": "usa", "date": "1919-04/1919-08", "note": "Not yet there."},
    "authorities.csv": {"id": "zone", "name": "Allied zone", "side": "allied",
                        "colour": "#0000aa"},
    "control.csv": {"where": "vladivostok", "date": "1918-08/1918-09", "held_by": "zone",
                    "contested": "false"},
    "story.csv": {"id": "landing", "title": "The landing", "month": "1918-08",
                  "view": "vladivostok;nikolsk", "text": "The Americans land."},
}


def _citing(make_dataset, table, source):
    """A data set whose `table` has one row citing `source`; every other record is sound."""
    from conftest import write_csv
    good = "ward1920: ch. III"
    root = make_dataset(events=_cited(EVENTS, good), presence=_cited(PRESENCE, good),
                        contingents=_cited(CONTINGENTS, good))
    write_csv(root / "sources.csv", SOURCES)
    if table == "control.csv":
        write_csv(root / "authorities.csv", [dict(CITING_ROWS["authorities.csv"], source=good)])
    rows = {"events.csv": EVENTS, "presence.csv": PRESENCE, "contingents.csv": CONTINGENTS}
    rest = _cited(rows.get(table, [])[1:], good)
    write_csv(root / table, [dict(CITING_ROWS[table], source=source)] + rest)
    return [p for p in problems(root) if p.startswith(f"{table}, row 2: source=")]


@pytest.mark.parametrize("table", CITING_ROWS)
def test_every_record_rests_on_a_primary_scholarly_or_reference_work(make_dataset, table):
    assert _citing(make_dataset, table, "wp: § History; forum: thread 3") == [
        f"{table}, row 2: source='wp: § History; forum: thread 3': at least one primary, "
        "scholarly or reference work (a wiki, popular source or web copy never stands alone): "
        "wp is a wiki; forum is only popular; cite the work behind what they say"]
    assert _citing(make_dataset, table, "wp: § History; forum: thread 3; ward1920: ch. I") == []


def test_every_cited_table_is_checked(make_dataset):
    found = _with_sources(make_dataset, contingents=_cited(CONTINGENTS, "nobody: p. 1"))
    assert sum(p.startswith("contingents.csv") and "'nobody'" in p for p in found) == 3, found


@pytest.mark.parametrize("change, expected", [
    ({"key": "Ward 1920"}, "key='Ward 1920': a slug"),
    ({"key": "article"}, "key='article': a unique key"),
    ({"type": "book"},
     "type='book': one of primary, scholarly, reference, wiki, popular, web copy"),
    ({"title": ""}, "title='': non-empty text"),
])
def test_sources_csv_is_checked(make_dataset, change, expected):
    found = _with_sources(make_dataset, sources=SOURCES[:2] + [dict(SOURCES[2], **change)])
    assert any(p.startswith("sources.csv, row 4:") and expected in p for p in found), found


def test_note_calling_an_unmarked_date_approximate_is_a_warning(make_dataset):
    root = make_dataset(events=[dict(EVENTS[0], note="Day approximate.")] + EVENTS[1:])
    found = validate(load(root))
    assert [(str(p), p.severity) for p in found] == [
        ("events.csv, row 2: date='1918-08-03': a '~' (or '%') on the date: the note says it "
         "is approximate", "warning")]



@pytest.mark.parametrize("events, presence, expected", [
    # A repeated id names where it was first used, in either table.
    ([EVENTS[0], dict(EVENTS[1], id=EVENTS[0]["id"])], PRESENCE,
     ["events.csv, row 3: id='e-british-landing': a unique id (also events.csv row 2)"]),
    (EVENTS, [dict(PRESENCE[0], id=EVENTS[2]["id"])] + PRESENCE[1:],
     ["presence.csv, row 2: id='e-summer': a unique id (also events.csv row 4)"]),
    # An event needs an id; a presence record may go without, but not with a blank one.
    ([dict(EVENTS[0], id="")] + EVENTS[1:], PRESENCE, ["events.csv, row 2: id='': a non-empty id"]),
    (EVENTS, [dict(PRESENCE[0], id="")] + PRESENCE[1:], []),
    # A bad date is worked out once, and named in every row that has it.
    ([dict(e, date="1919-02-30") for e in EVENTS[:2]] + EVENTS[2:], PRESENCE,
     [f"events.csv, row {r}: date='1919-02-30': a day that exists: February 1919 has days 1 "
      "to 28, not 30" for r in (2, 3)]),
])
def test_record_ids_and_dates_are_named_row_by_row(make_dataset, events, presence, expected):
    found = validate(load(make_dataset(events=events, presence=presence)))
    assert [str(p) for p in found if p.field in ("id", "date")] == expected


# ------------------------------------------------------------ links to unauthorised copies

@pytest.mark.parametrize("text, hosts", [
    ("https://www.rulit.me/books/x-read-497005-56.html", ["www.rulit.me"]),
    ("read at http://loveread.me./read_book.php?id=1&p=63", ["loveread.me"]),
    ("online pages of user.bibliboba.online, p. 83", ["user.bibliboba.online"]),
    ("BOOKREADFREE.COM/128061/3169025", ["bookreadfree.com"]),
    ("https://www.gutenberg.org/ebooks/10972 and https://history.state.gov/x", []),
    ("notrulit.me and rulit.media and mail@rulit.me", []),
    # Trailing dots and hyphens are not part of the host; a label running on is another host.
    ("omsk..taiga, rulit.me-x, x_rulit.me, see libgen.is.-. and Sci-Hub.SE", ["libgen.is", "sci-hub.se"]),
])
def test_unauthorised_sites_are_found_in_any_text(text, hosts):
    from siberia_map.data import sites
    assert [h for h, _ in sites.find(text)] == hosts


@pytest.mark.parametrize("texts, found", [
    (["plain text"] * 5 + ["see rulit.me/x"], True),  # in the last chunk, not the first
    (["plain text"] * 5 + ["Ward, ch. 3", "omsk..taiga"], False),
    (["x" * 7, "@rulit.me", "RULIT.ME/x"], True),  # upper case, alone in a chunk of its own
    (["caf\u00e9. N\u00e9e", "ends with rulit", ".me"], False),  # the texts are not run together
])
def test_unauthorised_sites_are_found_chunk_by_chunk(monkeypatch, texts, found):
    from siberia_map.data import sites
    monkeypatch.setattr(sites, "CHUNK", 8)  # a chunk or two of these texts at a time
    assert sites.any_in(iter(texts)) is found


def test_a_link_to_an_unauthorised_copy_is_refused_wherever_it_is(make_dataset):
    from siberia_map.data import sites
    sources = SOURCES + [{"key": "copy", "type": "scholarly", "author": "A. Historian",
                          "title": "A book", "year": "2017", "publisher": "OUP",
                          "url": "https://www.rulit.me/books/a-book-read-1-56.html",
                          "note": "Also at https://bookreadfree.com/128061/3169025"}]
    found = _with_sources(make_dataset, sources=sources,
                          events=_cited(EVENTS[:1], "ward1920: ch. III (read at libcat.ru/x)")
                          + _cited(EVENTS[1:], "ward1920: ch. III"))
    assert len(found) == 3, found
    assert any(p.startswith("events.csv, row 2: source='libcat.ru': no link to an "
                            "unauthorised copy (libcat.ru is on the list in "
                            "siberia_map/data/sites.py): cite the printed work") for p in found)
    assert any(p.startswith("sources.csv, row 7: url='www.rulit.me': no link") for p in found)
    assert any(p.startswith("sources.csv, row 7: note='bookreadfree.com': no link")
               for p in found)
    assert "rulit.me" in sites.UNAUTHORISED_SITES  # the one list, in one place


def test_unauthorised_links_are_refused_without_sources_csv_too(make_dataset):
    from conftest import PLACES
    places = [dict(PLACES[0], properties=dict(PLACES[0]["properties"],
                                              source="https://libcat.ru/knigi/1.html"))]
    root = make_dataset(places=places + PLACES[1:],
                        presence=[dict(PRESENCE[0], note="See https://readania.com/x/read/51")]
                        + PRESENCE[1:])
    found = problems(root)
    assert [p.split(": no link to an unauthorised copy")[0] for p in found] == [
        "presence.csv, row 2: note='readania.com'",
        "places.geojson, feature 0 (id=vladivostok): source='libcat.ru'"], found


@pytest.mark.parametrize("key,value", [("name_ru", ""), ("name_ja", 5), ("name_cs", ["Omsk"]),
                                       ("name_zh", "   ")])
def test_a_name_in_another_language_is_text(make_dataset, key, value):
    found = problems(make_dataset(places=_place(0, **{key: value})))
    assert any(p.startswith(f"places.geojson, feature 0 (id=vladivostok): {key}=") and
               "non-empty text" in p for p in found), found


def test_names_in_other_languages_are_accepted(make_dataset):
    assert problems(make_dataset(places=_place(0, name_ru="Владивосток", name_ja="ウラジオストク",
                                               name_zh="海参崴", name_cs="Vladivostok"))) == []


def test_dataset_texts_in_another_language_are_text(make_dataset):
    found = problems(make_dataset(meta={"title": "A war", "title_ru": 5, "citation_fr": ["x"]}))
    assert [p for p in found if p.startswith("dataset.json")] == [
        "dataset.json: title_ru=5: text", "dataset.json: citation_fr=['x']: text"]

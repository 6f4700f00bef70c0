"""Regression catalogue of issue 24: each hostile case that got through, grouped by what it
attacks. Every case asserts the whole contract: exit status 2 (never 1), the problem names
file, row, field and value, the one cause comes first, and nothing is half-written.
"""

from __future__ import annotations

import io
import json
import math
import os
import time
from contextlib import redirect_stdout

import pytest
from click.testing import CliRunner

from conftest import CONTINGENTS, EVENTS, PLACES, PRESENCE, SRC, point, write_csv
from siberia_map.cli import main
from siberia_map.data import timeline
from siberia_map.errors import MAX_LISTED, DataError, Problem, capped

AUTHORITIES = [{"id": "japan-zone", "name": "Japanese-held zone", "side": "allied",
                "colour": "#d55e00", "note": "", "source": SRC}]
CONTROL = [{"where": "vladivostok..khabarovsk", "date": "1918-08/1919-08",
            "held_by": "japan-zone", "contested": "false", "note": "", "source": SRC}]
MOVEMENTS = [{"id": "m-1", "contingent": "usa", "from": "vladivostok", "to": "spassk",
              "via": "", "date": "1918-09/1918-10", "kind": "advance", "note": "",
              "source": SRC}]
GAPS = [{"contingent": "usa", "date": "1919-04/1919-05", "note": "on leave", "source": SRC}]


def problems(root) -> list[str]:
    """The problems in the order the CLI prints them (the cause first)."""
    from siberia_map.model.join import read_and_check

    return [str(p) for p in DataError(read_and_check(root)[2]).problems]


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def validate_cli(root):
    result = cli("validate", "--data", root)
    assert result.exit_code == 2, result.output  # never 1 ("unexpected error")
    assert "unexpected error" not in result.output and "Traceback" not in result.output
    return result.output


# ================================================================== days that never existed
NO_SUCH_DAY = [
    "1919-02-29", "1919-02-30", "1919-02-31", "1919-04-31", "1919-06-31", "1919-09-31",
    "1919-11-31", "1900-02-29", "1919-02-00", "1919-01-32", "1919-02-29~", "1919-02-29?",
    "1919-02-29%", "?1919-02-29", "1919-?02-29", "1919-02-~29", "1919-02-29T10:00:00",
    "1918-03-01/1919-02-29", "1919-02-29/1919-03-05", "1918-06/1919-02-29",
    "1919-02-29~/1919-03", "1918-02-29?/1919", "[1919-02-29,1919-03-01]", "{1919-02-29}",
    "1919-02-3X", "19X9-02-29", "1919-XX-32", "1919-1X-32",
]


@pytest.mark.parametrize("text", NO_SUCH_DAY)
def test_a_day_its_month_lacks_is_refused_in_every_form(text):
    with pytest.raises(timeline.DateProblem) as info:
        timeline.parse(text)
    assert "a day that exists" in str(info.value) or "valid EDTF" in str(info.value)


@pytest.mark.parametrize("text, first, last", [
    ("1920-02-29", (1920, 2, 29), (1920, 2, 29)),
    ("2000-02-29", (2000, 2, 29), (2000, 2, 29)),
    ("1919-02-28/1919-03-01", (1919, 2, 28), (1919, 3, 1)),
    ("1919-02-XX", (1919, 2, 1), (1919, 2, 28)),
    ("1919-XX-31", (1919, 1, 31), (1919, 12, 31)),  # some months have a 31st
    ("19X6-02-29", (1906, 2, 28), (1996, 2, 29)),   # some of those years are leap years
    ("1919-24", (1919, 12, 1), (1920, 2, 29)),      # winter into a leap February
    ("1919-04-30", (1919, 4, 30), (1919, 4, 30)),
])
def test_days_that_exist_are_kept_and_bounds_are_real_days(text, first, last):
    span = timeline.parse(text)
    assert (span.first, span.last) == (first, last)
    for y, m, d in (span.first, span.last):
        import calendar
        assert 1 <= d <= calendar.monthrange(y, m)[1]


@pytest.mark.parametrize("text", ["-1918", "Y10000", "0000-01", "XXXX-02-29", "Y-20000"])
def test_years_the_slider_cannot_count_are_refused(text):
    with pytest.raises(timeline.DateProblem):
        timeline.parse(text)


@pytest.mark.parametrize("text", ["\uff11\uff19\uff11\uff18-\uff10\uff18",
                                  "\u0661\u0669\u0661\u0668-08", "1918-08-0\uff13",
                                  "1918-08-03\u200b", "Aug 1918", "about 1918-08",
                                  "1918\u201308"])
def test_dates_in_other_characters_are_refused(text):
    with pytest.raises(timeline.DateProblem):
        timeline.parse(text)


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_the_first_and_last_years_build_and_export(make_dataset, tmp_path, year):
    events = [dict(e, date=d) for e, d in zip(EVENTS, [f"{year}-08-03", f"{year}-12-31",
                                                          f"{year}-22"])]
    root = make_dataset(events=events, presence=[dict(p, date=f"{year}-08/{year}-12")
                                                 for p in PRESENCE],
                        meta={"first_month": f"{year}-01", "last_month": f"{year}-12"})
    write_csv(root / "movements.csv", [dict(MOVEMENTS[0], date=f"{year}-11-15/{year}-12-31")])
    for args in (["build", "--out", tmp_path / "m.html"],
                 ["export", "--format", "gpkg", "--out", tmp_path / "a.gpkg"]):
        result = cli(*args, "--data", root)
        assert result.exit_code == 0, result.output


def _with_tables(make_dataset, **rows):
    """A data set with control (and authorities), gaps and movements tables."""
    root = make_dataset(events=rows.pop("events", EVENTS), presence=rows.pop("presence", PRESENCE))
    write_csv(root / "authorities.csv", AUTHORITIES)
    write_csv(root / "control.csv", rows.pop("control", CONTROL))
    write_csv(root / "gaps.csv", rows.pop("gaps", GAPS))
    write_csv(root / "movements.csv", rows.pop("movements", MOVEMENTS))
    return root


@pytest.mark.parametrize("table, date", [
    ("events", "1919-02-29"), ("events", "1918-08-31/1919-02-29"), ("events", "1919-04-31~"),
    ("presence", "1918-10/1919-02-29"), ("presence", "1919-02-29?"),
    ("control", "1918-08-01/1919-02-29"), ("control", "1918-08/1918-09-31"),
    ("gaps", "1919-02-29/1919-03"), ("movements", "1918-06/1919-02-29"),
    ("movements", "1918-09-31/1918-10"),
])
def test_every_table_names_file_row_field_and_value_of_a_bad_day(make_dataset, table, date):
    rows = {"events": [dict(EVENTS[0], date=date), *EVENTS[1:]],
            "presence": [dict(PRESENCE[0], date=date), *PRESENCE[1:]],
            "control": [dict(CONTROL[0]), dict(CONTROL[0], where="omsk", date=date)],
            "gaps": [dict(GAPS[0], date=date)],
            "movements": [dict(MOVEMENTS[0], date=date)]}[table]
    root = _with_tables(make_dataset, **{table: rows})
    out = validate_cli(root)
    row = 3 if table == "control" else 2
    assert f"{table}.csv, row {row}: date={date!r}: a day that exists" in out, out


def test_one_bad_day_does_not_hide_the_other_problems(make_dataset):
    root = _with_tables(make_dataset, movements=[dict(MOVEMENTS[0], date="1918-06/1919-02-29")],
                        events=[dict(EVENTS[0], where="atlantis"), *EVENTS[1:]])
    out = validate_cli(root)
    assert "movements.csv, row 2: date='1918-06/1919-02-29'" in out
    assert "events.csv, row 2: where='atlantis'" in out


def test_build_and_exports_never_show_a_day_that_never_existed(make_dataset, tmp_path):
    root = make_dataset(events=[dict(EVENTS[0], date="1919-02-29"), *EVENTS[1:]])
    for args in (["build", "--out", tmp_path / "m.html"],
                 ["export", "--format", "geojson", "--out", tmp_path / "a.geojson"]):
        result = cli(*args, "--data", root)
        assert result.exit_code == 2 and "29 February 1919" not in result.output
        assert not os.path.exists(args[-1])


# ================================================================== the library keeps quiet
@pytest.mark.parametrize("text", ["1919-X3", "1919-1X-32", "1919-1X", "19XX-13", "1919-0X-3X"])
def test_the_edtf_package_prints_nothing(text, capfd):
    timeline._parse.cache_clear()
    buf = io.StringIO()
    with redirect_stdout(buf):
        with pytest.raises(timeline.DateProblem):
            timeline.parse(text)
    out, err = capfd.readouterr()
    assert buf.getvalue() == "" and "trying to" not in out + err


def test_validate_prints_only_its_problems(make_dataset):
    timeline._parse.cache_clear()
    root = make_dataset(events=[dict(EVENTS[0], date="1919-X3"), *EVENTS[1:]])
    out = validate_cli(root)
    assert "trying to" not in out and "PartialUnspecified" not in out
    assert "events.csv, row 2: date='1919-X3'" in out


# ================================================================== one cause, first
def _meta(first, last):
    return {"first_month": first, "last_month": last}


def test_first_month_after_last_month_is_the_one_cause(make_dataset):
    found = problems(make_dataset(meta=_meta("1919-08", "1918-08")))
    assert found == ["dataset.json: first_month..last_month='1919-08 to 1918-08': a "
                     "first_month no later than last_month"]


def test_a_range_missing_most_records_is_named_first(make_dataset):
    found = problems(make_dataset(meta=_meta("1925-01", "1925-06")))
    assert found[0].startswith("dataset.json: first_month='1925-01': a month that holds "
                               "the records: 6 of 6"), found


@pytest.mark.parametrize("table, date", [
    ("events", "9999-12"), ("events", "1198-08-03"), ("events", "2019-08"),
    ("presence", "1818-08/1818-09"), ("events", "1918-08/2018-08"),
])
def test_a_wild_date_is_named_as_the_cause_and_its_consequences_left_out(make_dataset, table,
                                                                         date):
    rows = {"events": [*EVENTS[:2], dict(EVENTS[2], date=date)],
            "presence": [*PRESENCE[:2], dict(PRESENCE[2], date=date)]}[table]
    root = _with_tables(make_dataset, **{table: rows})
    (root / "gaps.csv").unlink()
    out = validate_cli(root).splitlines()
    assert f"{table}.csv, row 4: date={date!r}: a date within 50 years" in out[1], out
    assert "stretches the slider" in out[1]
    # No control.csv coverage of hundreds of months, no story or gap consequences.
    assert len(out) == 2, out


def test_a_range_set_in_dataset_json_may_be_long(make_dataset):
    root = make_dataset(meta=_meta("1850-01", "1925-12"))
    assert not any("50 years" in p for p in problems(root))


def test_a_gaps_row_off_the_slider_is_named(make_dataset):
    root = _with_tables(make_dataset, gaps=[dict(GAPS[0], date="1930-01/1930-03")])
    out = validate_cli(root)
    assert "gaps.csv, row 2: date='1930-01/1930-03': an interval on the slider" in out


@pytest.mark.parametrize("key, value", [("first_month", "1918-13"), ("last_month", "0000-01"),
                                        ("first_month", "1918-8")])
def test_a_bad_month_in_dataset_json_comes_first(make_dataset, key, value):
    root = make_dataset(meta={"first_month": "1918-08", "last_month": "1919-08", key: value})
    found = problems(root)
    assert found[0].startswith(f"dataset.json: {key}={value!r}"), found


# ================================================================== problem lists capped
def test_problem_lists_are_capped_and_counted_by_kind():
    many = [Problem("events.csv", f"row {i}", "id", "x", f"a unique id (also row {i - 1})")
            for i in range(2, 3002)]
    lines = capped(DataError(many).problems)
    assert len(lines) == MAX_LISTED + 2
    assert lines[MAX_LISTED] == "... and 2,000 more problem(s), not listed one by one:"
    assert lines[-1] == "  2,000 x events.csv: id: a unique id"


def test_thousands_of_duplicate_ids_print_a_bounded_list(make_dataset):
    events = [dict(EVENTS[0], id="same") for _ in range(3000)]
    out = validate_cli(make_dataset(events=events))
    assert out.startswith("2999 problem(s) in the data set:")
    assert len(out.splitlines()) < MAX_LISTED + 20
    assert "more problem(s), not listed one by one" in out


# ================================================================== text is text
@pytest.mark.parametrize("value", ["\u200b", "\u200b\u200d", "\ufeff", "\u2060\u200c",
                                   "\u00ad", "\u200e", "\u3164", "\u2800", "\u0301"])
@pytest.mark.parametrize("table, field", [("events", "title"), ("events", "description"),
                                          ("contingents", "name"), ("story", "text")])
def test_text_of_only_invisible_characters_is_refused(make_dataset, table, field, value):
    root = make_dataset(**{"events": {"events": [dict(EVENTS[0], **{field: value}), *EVENTS[1:]]},
                           "contingents": {"contingents": [dict(CONTINGENTS[0], name=value),
                                                           *CONTINGENTS[1:]]},
                           "story": {}}[table])
    if table == "story":
        write_csv(root / "story.csv", [{"id": "s", "title": "One", "month": "1918-08",
                                        "view": "vladivostok", "text": value, "source": SRC}])
    found = problems(root)
    assert any(p.startswith(f"{table}.csv, row 2: {field}=") and "visible text" in p
               for p in found), found


@pytest.mark.parametrize("value", ["Once\x00upon", "\x00", "a\x1bb", "a\x7fb", "a\x85b",
                                   "a\x0cb"])
def test_control_characters_in_a_cell_are_refused(make_dataset, value):
    root = make_dataset(events=[dict(EVENTS[0], description=value), *EVENTS[1:]])
    found = problems(root)
    assert any(p.startswith("events.csv, row 2: description=") and "control characters" in p
               for p in found), found


def test_control_and_invisible_text_in_geojson_and_dataset_json(make_dataset):
    places = [point("vladivostok", "\u200b", 131.8869, 43.1155), *PLACES[1:]]
    places[1] = {**places[1], "properties": {**places[1]["properties"], "note": "a\x00b"}}
    root = make_dataset(places=places, meta={"title": "\u2060", "subtitle": "x\x00"})
    found = problems(root)
    assert any(p.startswith("places.geojson, feature 0 (id=vladivostok): name=")
               for p in found), found
    assert any(p.startswith("places.geojson, feature 1 (id=nikolsk): note=") for p in found)
    assert any(p.startswith("dataset.json: title=") for p in found)
    assert any(p.startswith("dataset.json: subtitle=") for p in found)


@pytest.mark.parametrize("value", ["Владивосток", "\u05e9\u05dc\u05d5\u05dd\u200f", "a\u200bb",
                                   "e\u0301", "\u6d77\u53c2\u5d34", "line one\nline two\ttab"])
def test_real_text_in_any_script_is_kept(make_dataset, value):
    root = make_dataset(events=[dict(EVENTS[0], description=value), *EVENTS[1:]])
    assert problems(root) == []


# ================================================================== numbers a page cannot hold
@pytest.mark.parametrize("value", ["1" + "0" * 30, "9" * 400, "1000000000"])
def test_a_strength_beyond_exact_sums_is_refused(make_dataset, value):
    presence = [dict(PRESENCE[0], strength_n=value), *PRESENCE[1:]]
    found = problems(make_dataset(presence=presence))
    assert any(p.startswith(f"presence.csv, row 2: strength_n={value[:40]}") or
               p.startswith("presence.csv, row 2: strength_n=") for p in found), found


@pytest.mark.parametrize("value", [1e308, 40000, -1])
def test_a_precision_off_the_globe_is_refused(make_dataset, value):
    places = [point("vladivostok", "Vladivostok", 131.8869, 43.1155, "city",
                    precision_km=value), *PLACES[1:]]
    found = problems(make_dataset(places=places))
    assert any(p.startswith("places.geojson, feature 0 (id=vladivostok): precision_km=")
               for p in found), found


# ================================================================== CSV limits
def test_a_header_of_too_many_columns_is_refused(make_dataset):
    root = make_dataset()
    (root / "events.csv").write_text(",".join(f"c{i}" for i in range(5000)) + "\n",
                                     encoding="utf-8")
    out = validate_cli(root)
    assert "events.csv, row 1: header='5,000 columns': at most 1,000 columns" in out



def test_a_huge_line_is_refused_at_the_line_limit_naming_row_and_column(make_dataset, monkeypatch):
    from siberia_map.data import strict

    monkeypatch.setattr(strict, "MAX_FIELD", 1000)
    monkeypatch.setattr(strict, "MAX_LINE", 8000)
    root = make_dataset()
    with open(root / "events.csv", "a", encoding="utf-8") as fh:
        fh.write('e-big,1918-09,vladivostok,usa,other,Big,"' + "x" * 50_000 + '",src\n')
        fh.write("e-after,1918-09,vladivostok,usa,other,After,d,src\n")
    out = validate_cli(root)
    assert "events.csv, row 5: description='8,000+ characters'" in out or \
        "events.csv, row 5: description=" in out, out
    assert "the rest of the file was not read" in out


def test_the_reader_never_holds_more_than_a_line_limit(make_dataset, monkeypatch):
    from siberia_map.data import strict

    monkeypatch.setattr(strict, "MAX_LINE", 4096)
    asked = []
    from siberia_map.data import cells

    real = cells.Lines._lines

    def spy(self):
        for line in real(self):
            asked.append(len(line))
            yield line

    monkeypatch.setattr(cells.Lines, "_lines", spy)
    root = make_dataset()
    with open(root / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("e-big,1918-09,vladivostok,usa,other,Big," + "y" * 10 ** 6 + ",src\n")
    found = problems(root)
    assert any("the rest of the file was not read" in p for p in found), found
    assert max(asked) <= 4096


# ================================================================== leftovers
def test_a_run_removes_leftovers_of_a_killed_run_but_not_live_ones(dataset, tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    old = time.time() - 3600
    stale = [out / ".map.html.ab12cd34.tmp", out / ".all.gpkg.zz99yy88.tmp"]
    for path in stale:
        path.write_bytes(b"half")
        os.utime(path, (old, old))
    stale_dir = out / ".tables.qq11ww22.tmp"
    stale_dir.mkdir()
    (stale_dir / "part").write_bytes(b"x")
    os.utime(stale_dir, (old, old))
    live = out / ".map.html.live0000.tmp"
    live.write_bytes(b"writing")
    os.utime(live, (old, old))
    keep = out / ".notes.tmp"  # not our naming
    keep.write_bytes(b"mine")
    os.utime(keep, (old, old))
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        result = cli("build", "--data", dataset, "--out", out / "map.html")
    finally:
        os.close(fd)
    assert result.exit_code == 0, result.output
    assert not any(p.exists() for p in stale) and not stale_dir.exists()
    assert live.exists() and keep.exists()


def test_a_fresh_temporary_file_of_a_concurrent_run_is_kept(dataset, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    young = out / ".map.html.new00000.tmp"
    young.write_bytes(b"another run, started after this one")
    os.utime(young, (time.time() + 60, time.time() + 60))
    assert cli("build", "--data", dataset, "--out", out / "map.html").exit_code == 0
    assert young.exists()


# ================================================================== synth --out
def test_synth_refuses_a_directory_holding_a_data_set(dataset, tmp_path):
    out = tmp_path / "set"
    out.mkdir()
    (out / "story.csv").write_text("id,title\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = cli("synth", "5", "--data", dataset, "--out", out)
    assert result.exit_code == 2
    assert result.output.startswith(f"siberia-map: cannot write {str(out)!r}: it already holds "
                                    "a data set (story.csv)"), result.output
    assert "--force" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("name", ["events.csv", "places.geojson", "dataset.json", "gaps.csv",
                                  "sources.csv", "movements.csv", "authorities.csv"])
def test_synth_refuses_any_table_name(dataset, tmp_path, name):
    out = tmp_path / "set"
    out.mkdir()
    (out / name).write_text("x", encoding="utf-8")
    result = cli("synth", "5", "--data", dataset, "--out", out)
    assert result.exit_code == 2 and name in result.output
    assert (out / name).read_text() == "x"


def test_synth_force_replaces_the_whole_set(dataset, tmp_path):
    out = tmp_path / "set"
    assert cli("synth", "5", "--data", dataset, "--out", out).exit_code == 0
    for name in ("sources.csv", "gaps.csv", "story.csv"):
        (out / name).write_text("from another data set\n", encoding="utf-8")
    result = cli("synth", "7", "--data", dataset, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert not any((out / n).exists() for n in ("sources.csv", "gaps.csv", "story.csv"))
    assert "7 events" in json.loads((out / "dataset.json").read_text())["title"]
    assert not [n for n in os.listdir(out) if n.endswith(".tmp")]
    assert cli("validate", "--data", out).exit_code == 0


def test_synth_into_an_empty_directory_needs_no_force(dataset, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    (out / "README.txt").write_text("not a data set", encoding="utf-8")
    assert cli("synth", "5", "--data", dataset, "--out", out).exit_code == 0


# ================================================================== matplotlib text
MATH = ["$\\sqrt[$", "$x^2$ a_b^c", "\\ $ ^ _", "$$", "$\\frac{a}{$ {}_^",
        "costs $5 and $6", "$\\undefinedcommand$"]


@pytest.mark.parametrize("text", MATH)
@pytest.mark.parametrize("field", ["title", "subtitle", "citation", "contingent", "place",
                                   "authority"])
def test_figure_draws_every_text_field_as_plain_text(make_dataset, tmp_path, field, text):
    kwargs = {"meta": {"title": "T", "subtitle": "S", "citation": "C"}}
    if field in ("title", "subtitle", "citation"):
        kwargs["meta"][field] = text
    elif field == "contingent":
        kwargs["contingents"] = [dict(CONTINGENTS[0], name=text), *CONTINGENTS[1:]]
    elif field == "place":
        kwargs["places"] = [point("vladivostok", text, 131.8869, 43.1155, "city", label=True),
                            *PLACES[1:]]
    root = make_dataset(**kwargs)
    if field == "authority":
        write_csv(root / "authorities.csv", [dict(AUTHORITIES[0], name=text)])
        write_csv(root / "control.csv", CONTROL)
    out = tmp_path / "fig.svg"
    result = cli("figure", "--data", root, "--months", "1918-08", "--out", out)
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    from xml.sax.saxutils import escape
    if field == "place" and len(text) > 10:
        return  # a long label may not fit beside its town and is left out: drawn, or not
    assert escape(text) in svg, text


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_figure_with_mathtext_citation_in_every_format(make_dataset, tmp_path, suffix):
    root = make_dataset(meta={"citation": "$\\sqrt[$ " * 200, "subtitle": "$\\sqrt[$"})
    out = tmp_path / f"fig{suffix}"
    result = cli("figure", "--data", root, "--months", "1918-08", "--out", out)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


# ================================================================== geometry in the API
def _frame(geoms, crs="EPSG:4326", index=None):
    import geopandas as gpd

    return gpd.GeoDataFrame({"date": ["1918-08"] * len(geoms),
                             "title": [f"r{i}" for i in range(len(geoms))]},
                            geometry=geoms, crs=crs, index=index)


def _refused(gdf, entry="explore") -> list[str]:
    from siberia_map import DataError as PublicDataError
    from siberia_map import TimeSlicedLayer, explore

    with pytest.raises(PublicDataError) as info:
        if entry == "explore":
            explore(gdf, date="date")
        else:
            TimeSlicedLayer(gdf, date="date")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("entry", ["explore", "layer"])
@pytest.mark.parametrize("x, y", [(math.nan, 50.0), (100.0, math.inf), (math.nan, math.inf),
                                  (-math.inf, 40.0), (100.0, -math.nan)])
def test_coordinates_that_are_not_finite_are_named(entry, x, y):
    from shapely.geometry import Point

    found = _refused(_frame([Point(131.9, 43.1), Point(x, y)], index=["ok", "bad"]), entry)
    assert len(found) == 1 and found[0].startswith("GeoDataFrame, index 'bad': geometry=")
    assert "finite" in found[0]


def test_a_line_with_one_infinite_vertex_is_named():
    from shapely.geometry import LineString

    found = _refused(_frame([LineString([(130, 43), (math.inf, 44)])]))
    assert found[0].startswith("GeoDataFrame, index 0: geometry=[inf, 44.0]")


@pytest.mark.parametrize("x, y, expected", [
    (37.6, 95.0, "latitude within +-90"),
    (37.6, -90.5, "latitude within +-90"),
    (400.0, 50.0, "longitude within +-360"),
    (4_187_000.0, 7_508_000.0, "look like projected metres"),
])
def test_degrees_beyond_the_globe_are_named(x, y, expected):
    from shapely.geometry import Point

    found = _refused(_frame([Point(131.9, 43.1), Point(x, y)], index=["vlad", "far"]))
    assert len(found) == 1 and found[0].startswith("GeoDataFrame, index 'far': geometry=")
    assert expected in found[0]


def test_frames_of_two_crss_concatenated_are_refused_row_by_row():
    import pandas as pd
    from shapely.geometry import Point

    a = _frame([Point(37.6, 55.75)], index=["moscow"])
    b = _frame([Point(37.6, 55.75)], index=["moscow-3857"]).to_crs("EPSG:3857")
    both = pd.concat([a, b.set_crs("EPSG:4326", allow_override=True)])
    found = _refused(both)
    assert len(found) == 1 and "index 'moscow-3857'" in found[0]
    assert "projected" in found[0] and "to_crs" in found[0]


def test_a_frame_without_crs_whose_values_are_projected_gets_the_hint():
    from shapely.geometry import Point

    found = _refused(_frame([Point(4_187_000, 7_508_000)], crs=None))
    assert found == ["GeoDataFrame: crs=None: a CRS: these coordinates are not degrees "
                     "(e.g. x=4,187,000, y=7,508,000), so they are projected; give the frame the "
                     "CRS they were made in, e.g. gdf.set_crs('EPSG:3857'), and it is reprojected "
                     "(or gdf.to_crs('EPSG:4326') a frame that has one)"]


@pytest.mark.parametrize("crs, x, y", [("EPSG:3857", 4e8, 0.0), ("EPSG:3857", 0.0, 1e9),
                                      ("EPSG:32647", 3e7, 6e6)])
def test_projected_values_far_outside_their_crs_are_named_not_wrapped(crs, x, y):
    from shapely.geometry import Point

    found = _refused(_frame([Point(x, y)], crs=crs, index=["far"]))
    assert len(found) == 1 and found[0].startswith("GeoDataFrame, index 'far': geometry=")
    assert f"the area {crs} is made for" in found[0]


def test_a_projected_frame_with_its_crs_is_reprojected_and_drawn():
    from shapely.geometry import Point

    from siberia_map import explore

    m = explore(_frame([Point(4_187_000, 7_508_000)], crs="EPSG:3857"), date="date")
    assert m is not None


def test_a_hand_edited_dataset_is_checked_before_render(dataset):
    from shapely.geometry import Point

    import siberia_map

    ds = siberia_map.load(dataset)
    ds.events.loc[ds.events.index[0], "geometry"] = Point(math.nan, 43.0)
    ds.presence.loc[ds.presence.index[0], "geometry"] = Point(37.0, 95.0)
    for call in (lambda: siberia_map.render(ds), lambda: siberia_map.TimeSlicedLayer(ds)):
        with pytest.raises(siberia_map.DataError) as info:
            call()
        found = [str(p) for p in info.value.problems]
        assert any(p.startswith("events, index 0: geometry=[nan, 43.0]") for p in found), found
        assert any(p.startswith("presence, index 0: geometry=[37.0, 95.0]") for p in found)


def test_a_good_frame_still_saves(tmp_path):
    from shapely.geometry import Point

    from siberia_map import explore

    m = explore(_frame([Point(131.9, 43.1), Point(-170.0, 65.0)]), date="date")
    m.save(tmp_path / "m.html")
    assert (tmp_path / "m.html").stat().st_size > 0


# ================================================================== ids named like JS built-ins
PROTO_IDS = ["__proto__", "constructor", "toString", "hasOwnProperty", "__defineGetter__",
             "valueOf", "isPrototypeOf", "__lookupSetter__"]


def _proto_dataset(make_dataset):
    events = [dict(EVENTS[0], id=i, title=f"Event {i}", description=f"About {i}.")
              for i in PROTO_IDS]
    contingents = CONTINGENTS + [{"id": "constructor", "name": "Constructor corps",
                                  "side": "allied", "colour": "#123456", "source": SRC}]
    events[1]["contingents"] = "constructor"
    return make_dataset(events=events + EVENTS, contingents=contingents)


def test_validate_accepts_ids_named_like_javascript_properties(make_dataset):
    assert problems(_proto_dataset(make_dataset)) == []


@pytest.mark.browser
def test_an_event_with_such_an_id_opens_its_popup_when_clicked(browser, make_dataset, tmp_path):
    from browser import checked
    from conftest import cli_build

    out = tmp_path / "map.html"
    root = _proto_dataset(make_dataset)
    # A chapter named like a property, ringing events named so.
    write_csv(root / "story.csv", [{"id": "constructor", "title": "Constructor chapter",
                                    "month": "1918-08", "view": "vladivostok",
                                    "contingents": "", "highlight": "constructor;__proto__",
                                    "text": "Rings.", "source": SRC}])
    cli_build(root, out)
    with checked(browser, out, "#story=constructor") as s:
        assert s.api("chapter()") == "constructor"
        rings = s.page.evaluate(
            "() => L.SiberiaMap.current.story.options.highlight.highlighted()")
        assert {"__proto__", "constructor"} <= set(rings)  # (with those at the same spot)
    with checked(browser, out, "#1918-08") as s:
        for rid in PROTO_IDS:
            s.page.locator(f"[data-record='{rid}']").first.click()
            # (The popup before it may still be fading out: the one with this title.)
            s.page.locator(".leaflet-popup-content", has_text=f"About {rid}.").last.wait_for()
            # The month changes with the popup open: the panel looks its button up again.
            s.api("setMonth('1918-09')")
            s.api("setMonth('1918-08')")
        s.api("setContingentVisible('constructor', false)")
        assert "constructor" not in [r["id"] for r in s.api("visible()")]
    with checked(browser, out, "#1918-08&hide=constructor,__proto__,toString") as s:
        shown = {c["id"]: c["visible"] for c in s.api("contingents()")}
        assert shown["constructor"] is False and all(v for k, v in shown.items()
                                                     if k != "constructor")

"""`siberia-map report`: coverage, gaps, source types and control conflicts, through the CLI."""

from click.testing import CliRunner

from conftest import CONTINGENTS, EVENTS, PRESENCE, write_csv
from siberia_map.cli import main
from test_chronology import AUTHORITIES, BASE, REDS, control, presence


def report(root):
    result = CliRunner().invoke(main, ["report", "--data", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


def test_coverage_by_contingent_and_year(dataset):
    out = report(dataset)
    assert "places: 6 (city 3, lake 1, town 2)" in out
    # usa: the 1918 landing and the summer 1919 event; presence 1918-08 to 1919-03.
    assert "  United States                      1/1       1/1" in out
    assert "months with no record: 1919-05\n" in out
    assert "months with no event: 1918-09 to 1919-05" in out


def test_gaps_without_gaps_csv_are_all_unexplained(dataset):
    out = report(dataset)
    assert "  United States (usa): unexplained 1919-04 to 1919-08" in out
    assert "  Britain (britain): unexplained 1918-08 to 1918-09" in out
    assert "gap months: 15, unexplained: 15" in out


def test_gaps_explained_by_gaps_csv(dataset):
    write_csv(dataset / "gaps.csv", [
        {"contingent": c, "date": d, "note": "Between postings.", "source": "test"}
        for c, d in (("usa", "1919-04/1919-08"), ("japan", "1919-01/1919-08"),
                     ("britain", "1918-08/1918-09"))])
    out = report(dataset)
    assert "  United States (usa): explained 1919-04 to 1919-08" in out
    assert "gap months: 15, unexplained: 0" in out


def test_unexplained_gap_stops_the_report_when_gaps_csv_exists(dataset):
    write_csv(dataset / "gaps.csv", [{"contingent": "usa", "date": "1919-04/1919-08",
                                      "note": "x", "source": "test"}])
    result = CliRunner().invoke(main, ["report", "--data", str(dataset)])
    assert result.exit_code == 2
    assert "gaps.csv: contingent='japan': presence of Japan somewhere in 1919-01 to 1919-08" \
        in result.output


def test_records_by_source_type(make_dataset):
    root = make_dataset(
        events=[dict(EVENTS[0], source="ward: ch. 1"), dict(EVENTS[1], source="ward: ch. 2; "
                "blog: post"), dict(EVENTS[2], source="article: § X")],
        presence=[dict(r, source="article: § Y") for r in PRESENCE],
        contingents=[dict(r, source="article: infobox") for r in CONTINGENTS])
    write_csv(root / "sources.csv", [
        {"key": "ward", "type": "primary", "title": "Ward"},
        {"key": "article", "type": "reference", "title": "The article"},
        {"key": "blog", "type": "popular", "title": "A blog"}])
    out = report(root)
    head = "file               records    primary  scholarly  reference       wiki    popular" \
           "   web copy  weak only"
    assert head in out
    assert "  events.csv               3          2          0          1          0          " \
           "1          0          0" in out
    assert "  all                      9          2          0          7          0          " \
           "1          0          0" in out


def test_free_text_sources(dataset):
    assert "records by source type: no sources.csv (sources are free text)" in report(dataset)


def test_control_conflicts_counted(make_dataset):
    records = PRESENCE + [presence("britain", "khabarovsk", "1918-09", control="raid@1918-09",
                                   note="A raid."),
                          presence("red-guards", "nikolsk", "1919-01",
                                   control="partisans@1919-01", note="Partisans in the hills.")]
    root = make_dataset(presence=records, contingents=CONTINGENTS + [REDS])
    write_csv(root / "authorities.csv", AUTHORITIES)
    write_csv(root / "control.csv", BASE + [control("khabarovsk", "1918-08/1918-09")])
    out = report(root)
    assert "control conflicts (records placed where the opposite camp held the place): " \
           "2 explained (partisans 1, raid 1), 0 unexplained" in out


def test_no_control_csv(dataset):
    assert "control conflicts: no control.csv" in report(dataset)


def _audit(out):
    return out.split("where the map draws each contingent, month by month")[1]


def test_audit_lists_each_contingent_by_runs_of_months(make_dataset):
    from test_chronology import movement
    root = make_dataset(presence=PRESENCE + [presence(
        "britain", "khabarovsk", "1918-09/1918-10", control="raid@1918-09",
        note="A raid behind the Red lines.")], contingents=CONTINGENTS + [REDS])
    write_csv(root / "authorities.csv", AUTHORITIES)
    write_csv(root / "control.csv", BASE + [control("khabarovsk", "1918-08/1918-09")])
    write_csv(root / "movements.csv", [movement("japan", "vladivostok", "khabarovsk",
                                                "1919-01/1919-03")])
    audit = _audit(report(root))
    assert """
  Britain (britain): flagged in 1918-09
    1918-08: no presence on the map
      events: Vladivostok
    1918-09: Khabarovsk
      ! p-britain-khabarovsk (presence.csv, row 5) at Khabarovsk (held by soviet): explained by raid@1918-09
    1918-10: Khabarovsk; Omsk
    1918-11 to 1919-04: Omsk
""" in audit, audit
    # A journey: each month the stations it passes (Spassk lies in its first third).
    assert "    1919-01: moving Vladivostok\u2192Khabarovsk (Vladivostok\u2013Spassk)\n" \
        "    1919-02: moving Vladivostok\u2192Khabarovsk (between stations)\n" \
        "    1919-03: moving Vladivostok\u2192Khabarovsk (Khabarovsk)\n" in audit, audit


def test_audit_flags_unexplained_months_once_per_record(make_dataset):
    from siberia_map.data.load import load
    from siberia_map.data.validate import check
    from siberia_map.output import audit
    root = make_dataset(presence=PRESENCE + [presence(
        "britain", "vladivostok..khabarovsk", "1918-09/1918-11", control="truce@1918-10",
        note="Passed under truce in October.")], contingents=CONTINGENTS + [REDS])
    write_csv(root / "authorities.csv", AUTHORITIES)
    write_csv(root / "control.csv", BASE + [control("spassk", "1918-08/1918-12"),
                                            control("khabarovsk", "1918-08/1918-12")])
    details = {}
    raw = load(root)
    checked = check(raw, details)
    text = "\n".join(audit.lines(raw, checked, details["conflicts"]))
    for month, why in (("1918-09", "UNEXPLAINED"), ("1918-10", "explained by truce@1918-10"),
                       ("1918-11", "UNEXPLAINED")):
        where = "Vladivostok\u2013Khabarovsk" if month == "1918-09" else \
            "Omsk; Vladivostok\u2013Khabarovsk"
        assert f"    {month}: {where}\n      ! p-britain-vladivostok..khabarovsk " \
               f"(presence.csv, row 5) at Khabarovsk, Spassk (held by soviet): {why}\n" \
               in text, text
    assert "  Britain (britain): flagged in 1918-09 to 1918-11\n" in text

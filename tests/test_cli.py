from click.testing import CliRunner

from conftest import EVENTS
from siberia_map.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_validate_ok(dataset):
    result = run("validate", "--data", str(dataset))
    assert result.exit_code == 0, result.output
    assert "6 places, 3 railway segments, 3 contingents, 3 events, 3 presence records" in result.output


def test_validate_lists_every_problem_and_exits_2(make_dataset):
    bad = [dict(EVENTS[0], date="1918-13"), dict(EVENTS[1], where="Vladivostock"), EVENTS[2]]
    result = run("validate", "--data", str(make_dataset(events=bad)))
    assert result.exit_code == 2
    assert "2 problem(s)" in result.output
    assert "events.csv, row 2: date='1918-13'" in result.output
    assert "events.csv, row 3: where='Vladivostock'" in result.output
    assert "Traceback" not in result.output


def test_report(dataset):
    result = run("report", "--data", str(dataset))
    assert result.exit_code == 0, result.output
    assert "places: 6" in result.output
    assert "United States" in result.output
    assert "months with no record:" in result.output


def test_validate_lists_weak_only_citations_as_warnings(make_dataset):
    from conftest import CONTINGENTS, PRESENCE, write_csv
    cite = "article: § Background"
    root = make_dataset(events=[dict(e, source=cite) for e in EVENTS[:2]]
                        + [dict(EVENTS[2], source="forum: thread 3")],
                        presence=[dict(r, source=cite) for r in PRESENCE],
                        contingents=[dict(r, source=cite) for r in CONTINGENTS])
    write_csv(root / "sources.csv", [
        {"key": "article", "type": "reference", "title": "Siberian intervention"},
        {"key": "forum", "type": "popular", "title": "A forum"}])
    result = run("validate", "--data", str(root))
    assert result.exit_code == 0, result.output
    assert "1 warning(s):\n  events.csv, row 4: source='forum: thread 3': at least one " \
           "primary, scholarly or reference source; forum is only popular" in result.output

import pytest
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


def test_validate_passes_with_warnings_listed_after_ok(make_dataset):
    # A note that calls a plain date approximate is worth a look, not a failed check.
    root = make_dataset(events=[dict(EVENTS[0], note="Day approximate.")] + EVENTS[1:])
    result = run("validate", "--data", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")
    assert "1 warning(s):\n  events.csv, row 2: date='1918-08-03': a '~'" in result.output


@pytest.mark.parametrize("value,lang", [("ru", "ru"), ("ja,en", "ja"), (None, "en")])
def test_build_lang_sets_the_pages_language(dataset, tmp_path, value, lang):
    out = tmp_path / "map.html"
    args = ["build", "--data", str(dataset), "--out", str(out)] + (["--lang", value] if value else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f'<html lang="{lang}">' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["de", "en,", "ru;en"])
def test_build_refuses_an_unknown_language_in_one_line(dataset, tmp_path, value):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["build", "--data", str(dataset), "--out", str(out),
                                       "--lang", value])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"siberia-map: --lang: lang={value!r}: expected one or more of en, ru, fr, cs, ja "
        "separated by commas (e.g. \"ru\" or \"en,ru,fr\")"]
    assert not out.exists()

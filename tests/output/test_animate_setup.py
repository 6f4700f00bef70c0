"""`animate` before any browser runs: the extra it needs, and which Chromium it finds."""

import stat

import pytest
from click.testing import CliRunner

from siberia_map.cli import main
from siberia_map.errors import ArgumentError
from siberia_map.output import animate as anim


def executable(path):
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """No system Chromium: an empty PATH and none of the usual install paths."""
    monkeypatch.setattr(anim, "SYSTEM_PATHS", ())
    empty = tmp_path / "empty-path"
    empty.mkdir()
    return {"PATH": str(empty)}


def test_the_option_comes_first_then_the_variable_then_playwright_then_the_path(tmp_path, nowhere):
    given, named, own = (executable(tmp_path / n) for n in ("given", "named", "own"))
    onpath = tmp_path / "bin"
    onpath.mkdir()
    system = executable(onpath / "chromium-browser")
    env = {anim.BROWSER_VARIABLE: named, "PATH": str(onpath)}
    assert anim.find_browser(given, env, lambda: own) == given
    assert anim.find_browser(None, env, lambda: own) == named
    del env[anim.BROWSER_VARIABLE]
    assert anim.find_browser(None, env, lambda: own) == own
    # Playwright names a path even when its browser was never downloaded.
    assert anim.find_browser(None, env, lambda: str(tmp_path / "not-downloaded")) == system
    assert anim.find_browser(None, env, lambda: None) == system


def test_a_usual_install_path_is_found(tmp_path, nowhere, monkeypatch):
    chrome = executable(tmp_path / "chrome")
    monkeypatch.setattr(anim, "SYSTEM_PATHS", (str(tmp_path / "absent"), chrome))
    assert anim.find_browser(None, nowhere, lambda: None) == chrome


def test_no_browser_is_one_line_saying_what_to_do(nowhere):
    with pytest.raises(ArgumentError) as err:
        anim.find_browser(None, nowhere, lambda: None)
    text = str(err.value)
    assert "\n" not in text
    for hint in ("--browser PATH", anim.BROWSER_VARIABLE, "playwright install chromium",
                 "apt install chromium"):
        assert hint in text


@pytest.mark.parametrize("where", ["option", "variable"])
def test_a_named_browser_must_be_an_executable_file(tmp_path, nowhere, where):
    plain = tmp_path / "plain.txt"
    plain.write_text("not a program")
    for bad in (str(plain), str(tmp_path), str(tmp_path / "missing")):
        env = {**nowhere, anim.BROWSER_VARIABLE: bad} if where == "variable" else nowhere
        with pytest.raises(ArgumentError, match="not an executable file"):
            anim.find_browser(bad if where == "option" else None, env, lambda: None)


def test_the_command_refuses_a_bad_browser_with_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["animate", "--out", str(tmp_path / "a.gif"),
                                       "--browser", str(tmp_path / "no-such-chrome")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"siberia-map: --browser {tmp_path / 'no-such-chrome'}: not an executable file; "
        "give the path of a Chromium or Chrome binary"]
    assert not (tmp_path / "a.gif").exists()


def test_without_the_extra_the_command_names_it_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(anim.EXTRA_MODULES, "no_such_module_for_animate", "playwright")
    result = CliRunner().invoke(main, ["animate", "--out", str(tmp_path / "a.gif")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "siberia-map: animate needs the animate extra (playwright missing): "
        "pip install 'siberia-map[animate]'"]

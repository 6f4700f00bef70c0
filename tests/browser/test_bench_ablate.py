"""benchmarks/ablate.js, the switches `benchmarks/ablate.py` turns parts of a step off with:
they must switch off what they name on the map as built, or the tool measures nothing."""
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from browser import FRAME, PIXELS

pytestmark = pytest.mark.browser

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
SWITCHES_JS = (BENCH / "ablate.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ablate():
    spec = importlib.util.spec_from_file_location("bench_ablate", BENCH / "ablate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    for name in ("run", "peers"):
        sys.modules.pop(name, None)


def _with(on):
    def install(page):
        page.add_init_script(script=SWITCHES_JS + f"\nwindow.__ablate = {json.dumps(on)};\n")
    return install


def test_every_switch_finds_what_it_replaces_before_the_map_is_built(open_page, build_map, ablate):
    # (A renamed method makes its switch throw: a page error, which open_page fails on.)
    built = build_map()
    s = open_page(built, "#1918-09", before_load=_with([]))
    names = s.page.evaluate("() => window.__ablateSwitches")
    assert len(names) >= 8
    s = open_page(built, "#1918-09", before_load=_with(names))
    assert s.page.evaluate("() => [window.__ablateInstalled, window.__ablateOn]") == [True, names]


@pytest.mark.parametrize("on, inked", [([], True), (["records"], False)])
def test_the_records_switch_leaves_the_records_canvas_blank(open_page, build_map, on, inked):
    s = open_page(build_map(), "#1918-09", before_load=_with(on))
    s.page.evaluate("() => window.siberiaMap.setMonth('1918-10')")
    s.page.evaluate(FRAME)
    assert (s.page.evaluate(PIXELS, ".leaflet-smRecords-pane canvas")["inked"] > 100) is inked


def test_the_report_gives_each_run_and_what_a_part_saves(ablate):
    got = {"as built": {"row": [{"median": 10.0, "p95": 20.0}, {"median": 12.0, "p95": 22.0}]},
           "lanes": {"row": [{"median": 8.0, "p95": 15.0}, {"median": 9.0, "p95": 16.0}]}}
    lines = ablate.report(got, ["row"]).splitlines()
    assert lines[2] == "| as built | 10.0 / 20.0, 12.0 / 22.0 |  |"
    assert lines[3] == "| lanes | 8.0 / 15.0, 9.0 / 16.0 | +2.5, +5.5 |"

"""benchmarks/run.py's own bookkeeping (the measuring is `make bench`, never a test)."""
import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
RUN = BENCH / "run.py"


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("peers", None)


@pytest.mark.parametrize("taken, expected", [
    ([], "2026-12-07-vm.json"),
    (["2026-12-07-vm.json"], "2026-12-07-vm-2.json"),
    (["2026-12-07-vm.json", "2026-12-07-vm-2.json"], "2026-12-07-vm-3.json"),
])
def test_a_second_run_on_the_same_day_never_overwrites_the_first(run, tmp_path, taken, expected):
    for name in taken:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert run.next_free(tmp_path, "2026-12-07-vm") == tmp_path / expected
    assert all((tmp_path / name).read_text(encoding="utf-8") == "{}" for name in taken)


def test_the_steps_go_through_every_month_forward_then_back(run):
    assert run.step_order(4) == [1, 2, 3, 2, 1, 0]


@pytest.fixture(scope="module")
def profile_step():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_profile_step", BENCH / "profile_step.py")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCH))
        for name in ("run", "peers"):
            sys.modules.pop(name, None)


MONTHS = ["1918-08", "1918-09", "1918-10", "1918-11", "1918-12"]


@pytest.mark.parametrize("text, expected", [
    ("", MONTHS + MONTHS[3:0:-1]),
    ("1918-09..1918-11", ["1918-09", "1918-10", "1918-11", "1918-10"]),
    ("..1918-10", ["1918-08", "1918-09", "1918-10", "1918-09"]),
    ("1918-10", ["1918-10"]),
])
def test_profile_step_cycles_through_the_months_asked_for(profile_step, text, expected):
    assert profile_step.month_cycle(MONTHS, text) == expected


@pytest.mark.parametrize("text, named", [
    ("1918-07..1918-09", "1918-07 is not a month"), ("..1919-13", "'..1919-13'"),
    ("1918-11..1918-09", "ends before it begins"),
])
def test_profile_step_refuses_months_the_map_has_not(profile_step, text, named):
    from siberia_map.errors import ArgumentError

    with pytest.raises(ArgumentError, match=named):
        profile_step.month_cycle(MONTHS, text)


@pytest.mark.parametrize("work, n, expected", [
    # Slowest first; the months are those the steps went to (forward, then back).
    ([5.0, 30.04, 7.0, 12.0], 2, [(1, "1918-10", 30.0), (3, "1918-08", 12.0)]),
    # Equal work: the earlier step first.
    ([4.0, 4.0, 4.0, 4.0], 3, [(0, "1918-09", 4.0), (1, "1918-10", 4.0), (2, "1918-09", 4.0)]),
    ([1.0], 8, [(0, "1918-09", 1.0)]),
])
def test_the_slowest_steps_name_the_step_and_its_month(run, work, n, expected):
    months = ["1918-08", "1918-09", "1918-10"]
    order = run.step_order(3)[:len(work)]
    got = run.slowest(work, order, months, n)
    assert [(w["step"], w["month"], w["work_ms"]) for w in got] == expected

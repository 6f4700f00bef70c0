"""benchmarks/run.py's own bookkeeping (the measuring is `make bench`, never a test)."""
import importlib.util
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


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

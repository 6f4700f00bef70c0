"""A build killed mid-write leaves the previous map untouched."""

import os
import signal

import pytest

from test_signals import stalled

# Child processes, one per case: left out of the quick tier (make check).
pytestmark = pytest.mark.slow


def test_killed_build_keeps_the_old_map(dataset, tmp_path):
    out = tmp_path / "out" / "map.html"
    out.parent.mkdir()
    out.write_text("the old map")
    with stalled(["build", "--data", dataset, "--out", out], tmp_path / "flag") as child:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert out.read_text() == "the old map"
    partial = [p for p in out.parent.iterdir() if p != out]
    assert len(partial) == 1 and partial[0].name.startswith(".map.html.")
    assert partial[0].stat().st_size > 100_000  # it really was killed mid-write

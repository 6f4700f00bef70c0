"""A build killed mid-write leaves the previous map untouched."""

import os
import signal
import subprocess
import sys
import time

import pytest

# Child processes, one per case: left out of the quick tier (make check).
pytestmark = pytest.mark.slow

CHILD = """
import os, sys, time
from siberia_map import cli
flag = sys.argv.pop()
def stall(fd):
    # The new file is fully written to its temporary name here, not yet renamed.
    open(flag, "w").write("mid-write")
    time.sleep(120)
os.fsync = stall
cli.main()
"""


def test_killed_build_keeps_the_old_map(dataset, tmp_path):
    out = tmp_path / "out" / "map.html"
    out.parent.mkdir()
    out.write_text("the old map")
    flag = tmp_path / "flag"
    child = subprocess.Popen([sys.executable, "-c", CHILD, "build", "--data", str(dataset),
                              "--out", str(out), str(flag)])
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert child.poll() is None, "the build ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
    assert out.read_text() == "the old map"
    partial = [p for p in out.parent.iterdir() if p != out]
    assert len(partial) == 1 and partial[0].name.startswith(".map.html.")
    assert partial[0].stat().st_size > 100_000  # it really was killed mid-write

"""SIGTERM, SIGINT and SIGHUP during a write: temporary files removed, old output kept.

The child stalls in `os.fsync`, when the new output is fully written to its temporary
name but not yet renamed, and tells the test through a flag file; the test then signals it.
"""

from __future__ import annotations

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
    open(flag, "w").write("mid-write")
    time.sleep(120)
os.fsync = stall
cli.main()
"""

CASES = {
    "build": (["build"], "map.html"),
    "figure": (["figure", "--months", "1918-09,1919-01"], "fig.svg"),
    "gpkg": (["export", "--format", "gpkg"], "all.gpkg"),
    "csv": (["export", "--format", "csv"], "tables"),
    "parquet": (["export", "--format", "parquet"], "tables"),
    "synth": (["synth", "20", "--force"], "synth"),  # the second run replaces the first
}
SIGNALS = {"SIGTERM": (signal.SIGTERM, 143), "SIGINT": (signal.SIGINT, 130),
           "SIGHUP": (signal.SIGHUP, 129)}


def snapshot(root) -> dict:
    return {os.path.join(f, n): open(os.path.join(f, n), "rb").read()
            for f, _, names in os.walk(root) for n in names}


@pytest.mark.parametrize("sig", sorted(SIGNALS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_signal_mid_write_keeps_the_old_output(dataset, tmp_path, case, sig):
    before_args, name = CASES[case]
    out = tmp_path / "out" / name
    first = subprocess.run([sys.executable, "-m", "siberia_map", *before_args, "--data",
                            str(dataset), "--out", str(out)], capture_output=True, timeout=300)
    assert first.returncode == 0, first.stderr
    old = snapshot(tmp_path / "out")
    flag = tmp_path / "flag"
    child = subprocess.Popen([sys.executable, "-c", CHILD, *before_args, "--data", str(dataset),
                              "--out", str(out), str(flag)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while not flag.exists():
            assert child.poll() is None, child.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        signum, status = SIGNALS[sig]
        os.kill(child.pid, signum)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == status
    message = err.decode().strip()
    assert message.startswith(f"siberia-map: stopped by {sig}"), message
    assert str(out) in message and "left as before" in message
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert snapshot(tmp_path / "out") == old  # byte-identical, and no temporary file left


def test_a_signal_before_any_write_says_nothing_was_written(dataset, tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "import time, sys\n"
                              "from siberia_map import cli\nfrom siberia_map.model import join\n"
                              "flag = sys.argv.pop()\n"
                              "def slow(*args, **kwargs):\n"
                              "    open(flag, 'w').write('x'); time.sleep(120)\n"
                              "join.prepare = slow\n"
                              "cli.main()", "validate", "--data", str(dataset),
                              str(tmp_path / "flag")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (tmp_path / "flag").exists():
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 143
    assert err.decode().strip() == "siberia-map: stopped by SIGTERM; nothing was written " \
                                   "(exit status 143)"

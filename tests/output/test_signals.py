"""SIGTERM, SIGINT and SIGHUP during a write: temporary files removed, old output kept.

The child stalls in `os.fsync`, when the new output is fully written to its temporary
name but not yet renamed, and tells the test through a flag file; the test then signals it.
`stalled` is that child, for test_interrupt's SIGKILL too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from siberia_map.cli import main

# Child processes, one per case: left out of the quick tier (make check).
pytestmark = pytest.mark.slow

# `siberia-map ARGS FLAG` in a child that stalls in the function AT, saying so in the flag
# file: in os.fsync the new output is fully written to its temporary name and not yet renamed;
# in siberia_map.model.join.prepare nothing is written yet.
CHILD = """
import sys, time
from siberia_map import cli
import {module}
flag = sys.argv.pop()
def stall(*args, **kwargs):
    open(flag, "w").write("stalled")
    time.sleep(120)
{module}.{name} = stall
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


@contextmanager
def stalled(args: list, flag, at: str = "os.fsync", **popen):
    """The child running `siberia-map ARGS` once it stalls in `at` (killed on the way out, if
    the test left it running). `popen`: Popen's options (stderr=subprocess.PIPE...)."""
    module, name = at.rsplit(".", 1)
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(module=module, name=name),
                              *map(str, args), str(flag)], **popen)
    try:
        deadline = time.monotonic() + 240
        while not flag.exists():
            assert child.poll() is None, child.stderr.read() if child.stderr else "it ended first"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield child
    finally:
        if child.poll() is None:
            child.kill()


def snapshot(root) -> dict:
    return {os.path.join(f, n): open(os.path.join(f, n), "rb").read()
            for f, _, names in os.walk(root) for n in names}


@pytest.mark.parametrize("sig", sorted(SIGNALS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_signal_mid_write_keeps_the_old_output(dataset, tmp_path, case, sig):
    before_args, name = CASES[case]
    out = tmp_path / "out" / name
    # The old output is made in this process (the CLI as a child would run it, without a
    # second interpreter importing the package): only the signalled run needs a child.
    first = CliRunner().invoke(main, [*before_args, "--data", str(dataset), "--out", str(out)])
    assert first.exit_code == 0, first.output
    old = snapshot(tmp_path / "out")
    signum, status = SIGNALS[sig]
    with stalled([*before_args, "--data", dataset, "--out", out], tmp_path / "flag",
                 stderr=subprocess.PIPE) as child:
        os.kill(child.pid, signum)
        _, err = child.communicate(timeout=60)
    assert child.returncode == status
    message = err.decode().strip()
    assert message.startswith(f"siberia-map: stopped by {sig}"), message
    assert str(out) in message and "left as before" in message
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert snapshot(tmp_path / "out") == old  # byte-identical, and no temporary file left


def test_a_signal_before_any_write_says_nothing_was_written(dataset, tmp_path):
    with stalled(["validate", "--data", dataset], tmp_path / "flag", at="siberia_map.model.join.prepare",
                 stderr=subprocess.PIPE) as child:
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 143
    assert err.decode().strip() == "siberia-map: stopped by SIGTERM; nothing was written " \
                                   "(exit status 143)"

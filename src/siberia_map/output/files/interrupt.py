"""SIGINT, SIGTERM and SIGHUP while a command runs: temporary files removed, one line, exit.

The handler removes every temporary file `outputs.Batch` has staged (and the directories it
made), says which outputs were left as they were, and exits with 128 + the signal number
(130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP). Batch blocks these signals while it
renames its files into place, so a commit is never cut in half.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager

from . import outputs
from ...errors import escape

_SIGNAL_EXIT = "stopped by {name}; {kept} (exit status {code})"


def _on_signal(signum, frame) -> None:
    targets = sorted(set(outputs.pending.values()))
    outputs.discard_all()
    name = signal.Signals(signum).name
    kept = ("removed the unfinished temporary files; " + ", ".join(escape(t) for t in targets)
            + " left as before") if targets else "nothing was written"
    code = 128 + signum
    try:
        sys.stdout.flush()
    except Exception:
        pass
    try:
        os.write(2, f"siberia-map: {_SIGNAL_EXIT.format(name=name, kept=kept, code=code)}\n"
                 .encode("utf-8", "backslashreplace"))
    finally:
        os._exit(code)


@contextmanager
def signal_cleanup():
    """While a command runs, SIGINT/SIGTERM/SIGHUP remove its temporary files and exit."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in outputs.SIGNALS}
    for s in outputs.SIGNALS:
        if old[s] is not signal.SIG_IGN:  # nohup'd runs keep ignoring SIGHUP
            signal.signal(s, _on_signal)
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)

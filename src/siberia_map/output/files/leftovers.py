"""Temporary files a killed run left behind, removed by the next run.

`outputs.Batch` stages every output as `.NAME.XXXXXXXX.tmp` beside it and renames it into
place; a SIGINT or SIGTERM removes it, but a SIGKILL or a power cut cannot. The next run that
writes into that directory removes such leftovers: named that way, older than the run, and
not locked. Each run holds an exclusive `flock` on its own staged files until it renames or
removes them, and the kernel drops that lock when the process dies however it dies, so a
concurrent run's files (locked) are never taken, and a dead run's (unlocked) always are.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
import time


# What `Batch.stage` names its temporary files and directories: "." + the output's name +
# "." + tempfile's 8 random characters + ".tmp".
TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STARTED = time.time()  # a temporary file older than this run and unlocked is a leftover
_swept: set[str] = set()


def sweep(folder: str) -> None:
    """`remove_stale(folder)` once per directory in this run."""
    key = os.path.abspath(folder)
    if key not in _swept:
        _swept.add(key)
        remove_stale(folder)


def remove_stale(folder: str) -> list[str]:
    """Remove the temporary files and directories a killed run (SIGKILL, a power cut) left
    in `folder`: named as `Batch.stage` names them, older than this run, and not locked by
    a run still writing (each run holds a lock on its own until it renames or removes
    them; the kernel drops the lock when a process dies, however it dies)."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not TEMP_NAME.match(name):
            continue
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
            if st.st_mtime >= STARTED or not (stat.S_ISREG(st.st_mode) or
                                              stat.S_ISDIR(st.st_mode)):
                continue
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a live run's
        try:
            if stat.S_ISDIR(st.st_mode):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
            removed.append(path)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def lock(path: str) -> int | None:
    """An open descriptor holding an exclusive lock on `path` (see `remove_stale`)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        pass
    return fd

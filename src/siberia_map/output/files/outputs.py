"""Every file the project writes goes through here: the path checked first, then written
atomically.

`check_file` / `check_dir` run before any work: they refuse an empty path, a directory
where a file is expected (or a file where a directory is), a parent that is not a
directory, a location that cannot be written, and any output that is, or resolves to (by
symbolic links, `..` or a hard link), a file of the input data set. Each refusal is one
`OutputError`: the path, what is wrong, what to do.

`Batch` stages new files as temporary files in the target's own directory (fsynced), then
renames them all into place at once; a failure or a SIGINT/SIGTERM/SIGHUP removes every
temporary file and leaves the old outputs byte-identical (`interrupt.py` handles the
signals, with `discard_all`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from . import leftovers
from ...errors import escape
from ...data.load import BASEMAP_DIR

# A data file of these kinds written into the data set directory would be read as input
# by the next run, so no output may be one, whether or not it exists yet.
DATA_SUFFIXES = (".csv", ".json", ".geojson")
SIGNALS = tuple(s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP"))
                if s is not None)

ADVICE = {
    errno.ENOSPC: ("the disk is full", "free some space or write somewhere else"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space or write somewhere else"),
    errno.EROFS: ("the file system is read-only", "write somewhere else"),
    errno.EFBIG: ("the file would be larger than allowed here (a file size limit)",
                  "write somewhere else or raise the limit"),
    errno.EACCES: ("permission denied", "choose a location you can write to"),
    errno.EPERM: ("operation not permitted", "choose a location you can write to"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter file name"),
    errno.ELOOP: ("it is a loop of symbolic links", "remove the link or choose another name"),
    errno.ENOTDIR: ("a part of the path is not a directory", "check the path"),
    errno.EISDIR: ("it is a directory", "give a file name"),
    errno.ENOENT: ("a directory on the path does not exist", "check the path"),
    errno.EIO: ("an input/output error on the device", "check the disk, or write elsewhere"),
    errno.EBUSY: ("the file is busy", "close the program using it, or choose another name"),
}


class OutputError(OSError):
    """An output that cannot or must not be written; printed as one line, exit status 2."""

    def __init__(self, path, what: str, todo: str):
        self.path, self.what, self.todo = str(path), what, todo
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"cannot write {escape(repr(self.path))}: {self.what}; {self.todo}"


def from_os_error(path, exc: OSError) -> OutputError:
    what, todo = ADVICE.get(exc.errno, (exc.strerror or str(exc), "write somewhere else"))
    return OutputError(path, what, todo)


# ------------------------------------------------------------------------ the checks
class Inputs:
    """The files a command reads: every file of the data set directory and of its basemap
    folder (what the loader reads; deeper folders are not walked, so `--data /` is cheap),
    by resolved path and by identity (device, inode) to catch hard links."""

    def __init__(self, root: str | Path | None):
        self.ids: set[tuple[int, int]] = set()
        self.paths: set[str] = set()
        self.dirs: set[str] = set()
        if root is None:
            return
        top = os.path.realpath(root)
        for folder in (top, os.path.join(top, BASEMAP_DIR)):
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            self.dirs.add(os.path.realpath(folder))
            for name in names:
                if not os.path.isdir(os.path.join(folder, name)):
                    self._add(os.path.join(folder, name))

    def _add(self, path: str) -> None:
        self.paths.add(os.path.realpath(path))
        try:
            st = os.stat(path)
        except OSError:
            return
        self.ids.add((st.st_dev, st.st_ino))

    def clash(self, final: str) -> str | None:
        """Why writing the file `final` (a resolved path) would touch the input, or None."""
        try:
            st = os.stat(final)
        except OSError:
            st = None
        if final in self.paths or (st is not None and (st.st_dev, st.st_ino) in self.ids):
            return "it is a file of the input data set"
        if os.path.dirname(final) in self.dirs and final.lower().endswith(DATA_SUFFIXES):
            return "it is a data file name inside the input data set directory"
        return None


def _raw(out) -> str:
    text = os.fspath(out) if out is not None else ""
    if not text:
        raise OutputError("", "the output path is empty", "give a file or directory name")
    if "\0" in text:
        raise OutputError(text, "the path contains a NUL character", "give a plain file name")
    return text


def _kind(st: os.stat_result) -> str:
    mode = st.st_mode
    return ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode)
            or stat.S_ISBLK(mode) else "a regular file" if stat.S_ISREG(mode) else "a special file")


def _stat(path: str, shown: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise from_os_error(shown, exc) from None


def _check_parent(final: str, shown: str) -> None:
    """The nearest existing ancestor must be a writable directory (missing ones are made)."""
    parent = os.path.dirname(final) or "."
    while True:
        st = _stat(parent, shown)
        if st is not None:
            break
        up = os.path.dirname(parent)
        if up == parent:
            break
        parent = up
    if st is None or not stat.S_ISDIR(st.st_mode):
        raise OutputError(shown, f"{escape(parent)} is {_kind(st) if st else 'missing'}, "
                          "not a directory", "check the path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(shown, f"the directory {escape(parent)} is not writable",
                          "choose a location you can write to")


def check_file(out, inputs: Inputs | None = None) -> Path:
    """The path to write the file `out` to (symbolic links followed), or OutputError."""
    shown = _raw(out)
    if len(os.path.basename(shown.rstrip("/"))) > 255:
        raise OutputError(shown, "the name is too long", "choose a shorter file name")
    if shown.endswith(("/", os.sep)):
        raise OutputError(shown, "the path ends with a slash, so it names a directory",
                          "give a file name")
    _stat(shown, shown)  # a symbolic link loop is reported as exactly that
    final = os.path.realpath(shown)
    st = _stat(final, shown)
    if st is not None and not stat.S_ISREG(st.st_mode):
        todo = ("give a file name inside it" if stat.S_ISDIR(st.st_mode)
                else "give the name of a regular file")
        raise OutputError(shown, f"it is {_kind(st)}", todo)
    why = inputs.clash(final) if inputs else None
    if why:
        raise OutputError(shown, why, "write the output somewhere else; inputs are never "
                          "overwritten")
    if st is not None and not os.access(final, os.W_OK):
        raise OutputError(shown, "the existing file is read-only",
                          "make it writable or choose another name")
    _check_parent(final, shown)
    return Path(final)


def check_dir(out, inputs: Inputs | None, files: list[str]) -> Path:
    """The directory to write `files` (relative names) into, or OutputError."""
    shown = _raw(out)
    _stat(shown, shown)
    final = os.path.realpath(shown)
    st = _stat(final, shown)
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise OutputError(shown, f"it is {_kind(st)}, not a directory",
                          "give the name of a directory (it is created if missing)")
    if inputs and final in inputs.dirs:
        raise OutputError(shown, "it is a directory of the input data set",
                          "write the output somewhere else; inputs are never overwritten")
    if st is None:
        _check_parent(os.path.join(final, "x"), shown)
    for name in files:
        try:
            check_file(os.path.join(final, name), inputs)
        except OutputError as exc:
            raise OutputError(shown, f"{name}: {exc.what}", exc.todo) from None
    if st is not None and not os.access(final, os.W_OK | os.X_OK):
        raise OutputError(shown, "the directory is not writable",
                          "choose a location you can write to")
    return Path(final)


# ------------------------------------------------------------------------ the writing
pending: dict[str, str] = {}  # temporary path -> the output it will become
_made_dirs: list[str] = []


def discard_all() -> None:
    """Remove every staged temporary file and every directory made for it (on a signal)."""
    for tmp in list(pending):
        try:
            if os.path.isdir(tmp) and not os.path.islink(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                os.unlink(tmp)
        except OSError:
            pass
        pending.pop(tmp, None)
    for folder in reversed(_made_dirs):
        try:
            os.rmdir(folder)  # only if still empty: we made it and nothing was committed
        except OSError:
            pass
    _made_dirs.clear()


@contextmanager
def _signals_blocked():
    if hasattr(signal, "pthread_sigmask"):
        old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
    else:  # pragma: no cover - not on Linux/macOS
        yield


def _make_parents(folder: str, shown: str) -> None:
    missing = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        up = os.path.dirname(folder)
        if up == folder:
            break
        folder = up
    for d in reversed(missing):
        try:
            os.mkdir(d)
        except FileExistsError:
            continue
        except OSError as exc:
            raise from_os_error(shown, exc) from None
        _made_dirs.append(d)


class Batch:
    """Files staged side by side and renamed into place together, or not at all.

    `stage(path)` returns a temporary path beside `path` for a writer that wants a path
    (matplotlib, GDAL); `write(path, data)` stages bytes or text. Leaving the `with`
    block normally fsyncs and renames every staged file over its target; an exception
    removes them all. OSErrors become `OutputError`s naming the output.
    """

    def __init__(self):
        self.staged: list[tuple[str, str, bool]] = []  # (tmp, target, is a temp directory)
        self.removals: list[str] = []
        self.locks: list[int] = []  # descriptors locking the staged files (remove_stale)

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self._commit()
            return False
        target = self.staged[-1][1] if self.staged else ""
        self._discard()
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise from_os_error(target, exc) from exc
        return False

    def stage(self, path, directory: bool = False) -> Path:
        """A temporary file (or, with `directory`, a path in a temporary directory)."""
        target = os.fspath(path)
        folder, name = os.path.split(target)
        _make_parents(folder or ".", target)
        leftovers.sweep(folder or ".")
        try:
            with _signals_blocked():
                if directory:
                    tmpdir = tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
                    pending[tmpdir] = target
                    self.staged.append((tmpdir, target, True))
                    self._hold(leftovers.lock(tmpdir))
                    return Path(tmpdir) / f"part{os.path.splitext(name)[1]}"
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    pass
                self._hold(fd)
                pending[tmp] = target
                self.staged.append((tmp, target, False))
        except OSError as exc:
            raise from_os_error(target, exc) from None
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are meant to be shared
        return Path(tmp)

    def _hold(self, fd: int | None) -> None:
        if fd is not None:
            self.locks.append(fd)

    def _release(self) -> None:
        for fd in self.locks:
            try:
                os.close(fd)
            except OSError:
                pass
        self.locks = []

    def write(self, path, data: bytes | str) -> int:
        if isinstance(data, str):
            data = data.encode("utf-8")
        tmp = self.stage(path)
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise from_os_error(path, exc) from None
        return len(data)

    def remove(self, path) -> None:
        """Delete `path` at commit (a stale file of an earlier run)."""
        self.removals.append(os.fspath(path))

    def _file_of(self, tmp: str, target: str, is_dir: bool) -> str:
        return os.path.join(tmp, f"part{os.path.splitext(os.path.basename(target))[1]}") \
            if is_dir else tmp

    def _commit(self) -> None:
        try:
            for tmp, target, is_dir in self.staged:
                src = self._file_of(tmp, target, is_dir)
                fd = os.open(src, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        except OSError as exc:
            self._discard()
            raise from_os_error(target, exc) from None
        with _signals_blocked():
            try:
                for tmp, target, is_dir in self.staged:
                    os.replace(self._file_of(tmp, target, is_dir), target)
                for path in self.removals:
                    if os.path.lexists(path):
                        os.unlink(path)
            except OSError as exc:
                self._discard()
                raise from_os_error(target, exc) from None
            self._discard()
            _made_dirs.clear()
            for folder in {os.path.dirname(t) or "." for _, t, _ in self.staged}:
                _fsync_dir(folder)

    def _discard(self) -> None:
        self._release()
        for tmp, _, is_dir in self.staged:
            if is_dir:
                shutil.rmtree(tmp, ignore_errors=True)
            elif os.path.lexists(tmp):
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            pending.pop(tmp, None)
        self.staged = []
        if not pending:
            for folder in reversed(_made_dirs):
                try:
                    os.rmdir(folder)
                except OSError:
                    pass
            _made_dirs.clear()


def _fsync_dir(folder: str) -> None:
    # The rename is durable only once the directory entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path, data: bytes | str) -> int:
    """Write one file all or nothing; returns the number of bytes."""
    with Batch() as batch:
        return batch.write(path, data)

"""Hostile output paths and write failures: one clear line, exit 2, nothing lost or left.

Every output command is run against every class of bad output path; each case asserts the
exit status, that the one-line message names the path and says what is wrong, that the
data set and the old output are byte-identical and that no temporary file is left.
"""

from __future__ import annotations

import errno
import os
import tempfile

import pytest
from click.testing import CliRunner

from siberia_map.cli import main

# command name -> (arguments before --out, a file name it writes, writes a directory)
COMMANDS = {
    "build": (["build"], "map.html", False),
    "geojson": (["export", "--format", "geojson"], "all.geojson", False),
    "lpf": (["export", "--format", "lpf"], "places.lpf.json", False),
    "gpkg": (["export", "--format", "gpkg"], "campaign.gpkg", False),
    "figure": (["figure", "--months", "1918-09"], "fig.svg", False),
    "csv": (["export", "--format", "csv"], "tables", True),
    "parquet": (["export", "--format", "parquet"], "tables", True),
    "synth": (["synth", "5", "--force"], "synth", True),  # runs twice into one directory
}
FILE_COMMANDS = [k for k, v in COMMANDS.items() if not v[2]]
DIR_COMMANDS = [k for k, v in COMMANDS.items() if v[2]]


def run(command: str, data, out: str):
    before, _, _ = COMMANDS[command]
    return CliRunner().invoke(main, [*before, "--data", str(data), "--out", out])


def snapshot(root) -> dict:
    """Every file under `root` (links not followed) with its bytes, FIFOs by name only."""
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            out[path] = (open(path, "rb").read() if os.path.isfile(path)
                         and not os.path.islink(path) else os.readlink(path)
                         if os.path.islink(path) else "special")
    return out


def temp_files(root) -> list[str]:
    return [os.path.join(f, n) for f, ds, fs in os.walk(root) for n in fs + ds
            if n.startswith(".") and n.endswith(".tmp")]


def assert_refused(result, shown: str, fragment: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)
    assert lines[0].startswith("siberia-map: cannot write "), lines[0]
    assert repr(shown)[1:-1] in lines[0] and fragment in lines[0], lines[0]


# ------------------------------------------------------------------ bad output paths
def _link(target, name):
    def make(data, tmp):
        os.symlink(target(data, tmp), tmp / name)
        return str(tmp / name)
    return make


def _hard(data, tmp):
    os.link(data / "events.csv", tmp / "copy")
    return str(tmp / "copy")


def _loop(data, tmp):
    os.symlink(tmp / "b", tmp / "a")
    os.symlink(tmp / "a", tmp / "b")
    return str(tmp / "a")


def _fifo(data, tmp):
    os.mkfifo(tmp / "pipe")
    return str(tmp / "pipe")


FILE_PATHS = {
    "an input file": (lambda d, t: str(d / "events.csv"), "a file of the input data set"),
    "an input via ..": (lambda d, t: str(t / "nowhere" / ".." / "data" / "places.geojson"),
                        "a file of the input data set"),
    "an input via a symlink": (_link(lambda d, t: d / "presence.csv", "link"),
                               "a file of the input data set"),
    "an input via a hard link": (_hard, "a file of the input data set"),
    "a data file name in the data dir": (lambda d, t: str(d / "new.geojson"),
                                         "data file name inside the input"),
    "empty": (lambda d, t: "", "the output path is empty"),
    "a directory": (lambda d, t: str(t), "it is a directory"),
    "a trailing slash": (lambda d, t: str(t / "x") + "/", "names a directory"),
    "under a regular file": (lambda d, t: str(d / "events.csv" / "out"), "not a directory"),
    "a symlink loop": (_loop, "loop of symbolic links"),
    "a FIFO": (_fifo, "a FIFO"),
    "a NUL byte": (lambda d, t: str(t / "a\0b"), "NUL"),
    "a name too long": (lambda d, t: str(t / ("x" * 300)), "too long"),
    "a device": (lambda d, t: "/dev/null", "it is a device"),
}


@pytest.mark.parametrize("case", sorted(FILE_PATHS))
@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_bad_file_output_paths_are_refused(dataset, tmp_path, command, case):
    make, fragment = FILE_PATHS[case]
    out = make(dataset, tmp_path)
    before = snapshot(tmp_path)
    result = run(command, dataset, out)
    assert_refused(result, out, fragment)
    assert snapshot(tmp_path) == before
    assert temp_files(tmp_path) == []


DIR_PATHS = {
    "the data directory": (lambda d, t: str(d), "a directory of the input data set"),
    "the data dir via ..": (lambda d, t: str(t / "data" / ".." / "data"), "of the input data set"),
    "the data dir via a symlink": (_link(lambda d, t: d, "link"), "of the input data set"),
    "a regular file": (lambda d, t: str(d / "events.csv"), "not a directory"),
    "under a regular file": (lambda d, t: str(d / "events.csv" / "x"), "not a directory"),
    "empty": (lambda d, t: "", "the output path is empty"),
    "a FIFO": (_fifo, "a FIFO"),
    "a symlink loop": (_loop, "loop of symbolic links"),
}


@pytest.mark.parametrize("case", sorted(DIR_PATHS))
@pytest.mark.parametrize("command", DIR_COMMANDS)
def test_bad_directory_output_paths_are_refused(dataset, tmp_path, command, case):
    make, fragment = DIR_PATHS[case]
    out = make(dataset, tmp_path)
    before = snapshot(tmp_path)
    result = run(command, dataset, out)
    assert_refused(result, out, fragment)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", DIR_COMMANDS)
def test_a_directory_output_whose_file_is_a_directory(dataset, tmp_path, command):
    out = tmp_path / "out"
    name = "events.parquet" if command == "parquet" else "events.csv"
    (out / name).mkdir(parents=True)
    result = run(command, dataset, str(out))
    assert_refused(result, str(out), f"{name}: it is a directory")


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_an_unwritable_directory_is_refused_before_any_work(dataset, tmp_path, command,
                                                            monkeypatch):
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if str(p) == str(tmp_path)
                        and mode & os.W_OK else real(p, mode, **k))
    out = tmp_path / COMMANDS[command][1]
    result = run(command, dataset, str(out))
    assert_refused(result, str(out), "is not writable")


# ------------------------------------------------------------------ failures while writing
def _fail_fsync(code):
    def fsync(fd):
        raise OSError(code, os.strerror(code))
    return fsync


def _fail_mktemp(code):
    def mk(*a, **k):
        raise OSError(code, os.strerror(code))
    return mk


WRITE_FAILURES = {
    "ENOSPC at fsync": ("os.fsync", _fail_fsync(errno.ENOSPC), "the disk is full"),
    "EIO at fsync": ("os.fsync", _fail_fsync(errno.EIO), "input/output error"),
    "EROFS at create": ("tempfile.mkstemp", _fail_mktemp(errno.EROFS), "read-only"),
    "EACCES at create": ("tempfile.mkstemp", _fail_mktemp(errno.EACCES), "permission denied"),
    "ENOSPC at rename": ("os.replace", _fail_mktemp(errno.ENOSPC), "the disk is full"),
}


@pytest.mark.parametrize("case", sorted(WRITE_FAILURES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_os_errors_while_writing_keep_the_old_output(dataset, tmp_path, command, case,
                                                     monkeypatch):
    target, fake, fragment = WRITE_FAILURES[case]
    _, name, is_dir = COMMANDS[command]
    out = tmp_path / "out" / name
    first = run(command, dataset, str(out))
    assert first.exit_code == 0, first.output
    before = snapshot(tmp_path)
    monkeypatch.setattr(target, fake)
    if target == "tempfile.mkstemp":  # gpkg stages a directory
        monkeypatch.setattr("tempfile.mkdtemp", fake)
    result = run(command, dataset, str(out))
    monkeypatch.undo()
    assert_refused(result, str(out), fragment)
    assert snapshot(tmp_path) == before
    assert temp_files(tmp_path) == []


def test_a_new_parent_directory_is_removed_when_the_write_fails(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr("os.fsync", _fail_fsync(errno.ENOSPC))
    result = run("build", dataset, str(tmp_path / "new" / "deeper" / "map.html"))
    assert_refused(result, str(tmp_path / "new" / "deeper" / "map.html"), "disk is full")
    assert not (tmp_path / "new").exists()


@pytest.mark.slow  # a child process
def test_a_file_size_limit_is_a_clear_error_in_a_real_process(dataset, tmp_path):
    """A kernel-level write failure (EFBIG from RLIMIT_FSIZE) in a real subprocess."""
    import resource
    import signal
    import subprocess
    import sys

    out = tmp_path / "map.html"
    out.write_text("the old map")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    proc = subprocess.run([sys.executable, "-m", "siberia_map", "build", "--data", str(dataset),
                           "--out", str(out)], preexec_fn=limit, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert "larger than allowed" in proc.stderr and str(out) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert out.read_text() == "the old map"
    assert temp_files(tmp_path) == []


@pytest.fixture
def tiny_fs(tmp_path):
    """A 256 KiB tmpfs (root only): a real full disk, then a real read-only one."""
    import subprocess

    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                                            str(mnt)], capture_output=True).returncode:
        pytest.skip("needs root and permission to mount a tmpfs")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_a_real_full_and_read_only_file_system(dataset, tiny_fs):
    import subprocess

    out = tiny_fs / "map.html"
    out.write_text("the old map")
    filler = tiny_fs / "filler"
    with open(filler, "wb") as fh:
        try:
            fh.write(b"x" * 300_000)
        except OSError:
            pass
    result = run("build", dataset, str(out))
    assert_refused(result, str(out), "the disk is full")
    assert out.read_text() == "the old map" and temp_files(tiny_fs) == []
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    result = run("build", dataset, str(out))
    assert result.exit_code == 2 and "read-only" in result.output, result.output
    assert out.read_text() == "the old map"


# ------------------------------------------------------------------ formula cells
@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\rcmd", " =1+1", "\uff1d1"])
def test_csv_export_neutralises_formula_cells(make_dataset, tmp_path, text):
    import copy
    import csv

    from conftest import EVENTS, PLACES

    places = copy.deepcopy(PLACES)
    places[0]["properties"]["note"] = text  # GeoJSON keeps leading tabs and CRs
    root = make_dataset(places=places, events=[dict(EVENTS[0], title=text + "x",
                                                    description="plain, safe"), *EVENTS[1:]])
    out = tmp_path / "tables"
    result = run("csv", root, str(out))
    assert result.exit_code == 0, result.output
    tables = {}
    for name in ("places", "events"):
        with open(out / f"{name}.csv", newline="", encoding="utf-8") as fh:
            tables[name] = {r["id"]: r for r in csv.DictReader(fh)}
    assert tables["places"]["vladivostok"]["note"] == "'" + text
    title = tables["events"]["e-british-landing"]["title"]
    stripped = (text + "x").strip()  # the CSV loader strips surrounding whitespace
    assert title == ("'" + stripped if stripped[0] in "=+-@\uff1d" else stripped)
    assert tables["events"]["e-british-landing"]["description"] == "plain, safe"
    assert not tables["places"]["vladivostok"]["lon"].startswith("'")  # numbers stay numbers


def test_temp_files_use_the_targets_directory(tmp_path):
    from siberia_map.output.files.outputs import Batch

    with Batch() as batch:
        tmp = batch.stage(tmp_path / "x.txt")
        assert tmp.parent == tmp_path and tmp.name.startswith(".x.txt.")
        assert os.path.dirname(tempfile.gettempdir()) != str(tmp_path)
        tmp.write_text("new")
    assert (tmp_path / "x.txt").read_text() == "new"


# ------------------------------------------------------------------ text from data is plain
def test_dollar_signs_in_the_figure_stay_plain_text(make_dataset, tmp_path):
    import copy

    from conftest import CONTINGENTS, PLACES

    places = copy.deepcopy(PLACES)
    places[0]["properties"]["name"] = "Port $x^2$"
    contingents = [dict(CONTINGENTS[0], name="Unpaid $ troops"), *CONTINGENTS[1:]]
    root = make_dataset(places=places, contingents=contingents,
                        meta={"title": "costs $5,000 to $10,000", "subtitle": r"$\alpha$ \$",
                              "citation": "a $ b"})
    out = tmp_path / "fig.svg"
    result = CliRunner().invoke(main, ["figure", "--data", str(root), "--months",
                                       "1918-08,1918-09", "--out", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    for text in ("costs $5,000 to $10,000", r"$\alpha$ \$", "Port $x^2$", "Unpaid $ troops",
                 "Data: a $ b"):
        assert text in svg, text


@pytest.mark.parametrize("n", ["0", "-3", "1000001", str(10 ** 30)])
def test_synth_refuses_an_n_it_cannot_handle(dataset, tmp_path, n):
    out = tmp_path / "synth"
    result = CliRunner().invoke(main, ["synth", "--data", str(dataset), "--out", str(out),
                                       "--", n])
    assert result.exit_code == 2
    assert result.output.strip() == (f"siberia-map: N={n}: synth writes from 1 to 1,000,000 "
                                     "events (a larger set would not load: its events.csv "
                                     "would pass the loader's 512 MiB limit); choose a "
                                     "smaller N")
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["--months", "1918-08", "--out", "fig.gif"],
     "siberia-map: --out 'fig.gif': a figure file name ends in .png, .svg or .pdf"),
    (["--months", ",".join(["1918-08"] * 121), "--out", "fig.png"],
     "siberia-map: --months: 121 months; at most 120 panels fit one figure (split the months "
     "over several figures)"),
])
def test_figure_refuses_what_it_cannot_draw_before_reading_the_data(tmp_path, args, message,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["figure", "--data", str(tmp_path / "none"), *args])
    assert result.exit_code == 2
    assert result.output.strip() == message  # the missing data set was never read
    assert list(tmp_path.iterdir()) == []


def test_an_os_error_inside_a_writer_names_the_output(dataset, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    out = tmp_path / "fig.png"
    out.write_bytes(b"the old figure")

    def full(self, fname, **kwargs):
        with open(fname, "wb") as fh:
            fh.write(b"partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(Figure, "savefig", full)
    result = run("figure", dataset, str(out))
    assert_refused(result, str(out), "the disk is full")
    assert out.read_bytes() == b"the old figure" and temp_files(tmp_path) == []

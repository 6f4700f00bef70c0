"""The `siberia-map` command: build, validate and report on a data set.

Exit status 2 means the data set has problems, or an output cannot or must not be written:
all data problems are printed, one per line; an output problem is one line naming the path,
what is wrong and what to do. No output file is touched and no input is ever overwritten.
A run stopped by SIGINT, SIGTERM or SIGHUP removes its temporary files, leaves the old
output as it was and exits with 128 + the signal number (130, 143, 129).
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from .output.files import interrupt, outputs
from .model.dataset import default_data
from .errors import ArgumentError, DataError, capped, escape, escape_lines
from .output.files.outputs import OutputError

MAP_NAME = "siberian_intervention.html"


def default_out() -> Path:
    """`output/siberian_intervention.html` where there is an `output/` folder (a checkout),
    else `siberian_intervention.html` in the current directory."""
    return Path("output") / MAP_NAME if Path("output").is_dir() else Path(MAP_NAME)


def say(text: str = "", err: bool = False) -> None:
    """Print text that may carry data, with control characters escaped."""
    click.echo(escape_lines(text), err=err)


def _fail(exc: DataError) -> None:
    say(f"{len(exc.problems)} problem(s) in the data set:", err=True)
    for line in capped(exc.problems):
        say(f"  {line}", err=True)
    sys.exit(2)


def _prepare(data: Path | None, text_objects: bool = False):
    """The joined data set, or every problem printed and exit status 2."""
    from .model.join import prepare

    try:
        return prepare(data or default_data(), text_objects=text_objects)
    except DataError as exc:
        _fail(exc)


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector off for the duration. A build holds millions of small
    containers (a dict per CSV row, the payload's lists), and every few thousand new ones
    the collector walks the young ones, and now and then every one of them: at a million
    records that was a sixth of the build's CPU (78 -> 64 s), for no cycle of any size (the
    peak memory is the same). The reference counts still free everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _inputs(data: Path | None) -> outputs.Inputs:
    return outputs.Inputs(data or default_data())


class Main(click.Group):
    """Runs every command with the signal cleanup, and turns what goes wrong into one line."""

    def invoke(self, ctx):
        with interrupt.signal_cleanup():
            try:
                return super().invoke(ctx)
            except DataError as exc:
                _fail(exc)
            except (OutputError, ArgumentError) as exc:
                say(f"siberia-map: {exc}", err=True)
                sys.exit(2)
            except (click.ClickException, click.exceptions.Exit, click.Abort):
                raise
            except OSError as exc:
                if exc.errno == 32:  # EPIPE: the reader (e.g. `| head`) has gone
                    raise
                if exc.filename is None:  # printing: stdout is a full disk, a closed pipe...
                    what, todo = outputs.ADVICE.get(exc.errno, (exc.strerror or str(exc), ""))
                    say(f"siberia-map: cannot write to standard output: {what}"
                        + (f"; {todo}" if todo else ""), err=True)
                else:
                    say(f"siberia-map: {exc.strerror or exc}: {escape(repr(exc.filename))}",
                        err=True)
                sys.exit(2)
            except (RecursionError, MemoryError) as exc:
                say(f"siberia-map: the input is too large or too deeply nested to process "
                    f"({type(exc).__name__})", err=True)
                sys.exit(2)
            except Exception as exc:
                if os.environ.get("SIBERIA_MAP_DEBUG"):
                    raise
                say(f"siberia-map: unexpected error ({type(exc).__name__}: "
                    f"{escape(str(exc))[:200]}); this is a bug, please report it "
                    "(SIBERIA_MAP_DEBUG=1 shows the traceback)", err=True)
                sys.exit(1)


@click.group(cls=Main)
@click.version_option(package_name="siberia-map")
def main() -> None:
    """Turn a campaign's places, railways and dated events into a time-sliced map."""


data_option = click.option("--data", "data", type=click.Path(path_type=Path), default=None,
                           help="Data set directory (default: the project's geodata/, from the "
                           "checkout when run from one, else the copy installed with the "
                           "package).")


@main.command()
@data_option
@click.option("--out", "out", type=str, default=None,
              help=f"HTML file to write (default: output/{MAP_NAME} if ./output/ exists, "
              f"else ./{MAP_NAME}).")
@click.option("--cdn", is_flag=True, help="Link Leaflet from a pinned CDN URL with Subresource "
              "Integrity instead of embedding it (smaller file, needs the network).")
@click.option("--compress", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Embed the data gzipped (auto: above 2 MB of JSON). "
              "Gzipped data needs a browser with the Compression Streams API (2023+).")
@click.option("--lang", "lang", type=str, default=None, metavar="LANGS",
              help="The languages the page holds, its own first: en, ru, fr, cs, ja, or several "
              "separated by commas (en,ru,fr); the page offers a switch between them. Default: "
              "all five, English first.")
def build(data: Path | None, out: str | None, cdn: bool, compress: str, lang: str | None) -> None:
    """Build the map: one self-contained HTML file."""
    from . import i18n
    from .output.render import render

    try:
        langs = i18n.parse(lang)
    except ValueError as exc:
        raise ArgumentError(f"--lang: {exc}") from None
    out = str(default_out()) if out is None else out
    target = outputs.check_file(out, _inputs(data))
    with _no_cycle_collection():
        ds = _prepare(data, text_objects=True)  # the page only reads the text: no copy of it
        result = render(ds, cdn=cdn, compress=compress, lang=langs)
    size = outputs.write_atomic(target, result.html)
    s = result.sizes
    say(f"wrote {out} ({size:,} bytes)")
    say(f"  places {len(ds.places)}, railway segments {len(ds.railways)}, "
        f"events {len(ds.events)}, presence records {len(ds.presence)}, "
        f"months {len(ds.months)} ({ds.months[0]} to {ds.months[-1]})")
    say(f"  bytes: leaflet {s['leaflet']:,}, our js/css {s['own_js_css']:,}, "
        f"basemap {s['basemap']:,}, data {s['data']:,}"
        + (" (gzipped)" if s["compressed"] else ""))


@main.command()
@data_option
def validate(data: Path | None) -> None:
    """Check the data set and list every problem."""
    from .model.join import prepare

    warnings: list = []
    try:
        ds = prepare(data or default_data(), warnings)
    except DataError as exc:
        _fail(exc)
    say(f"ok: {len(ds.places)} places, {len(ds.railways)} railway segments, "
        f"{len(ds.contingents)} contingents, {len(ds.events)} events, "
        f"{len(ds.presence)} presence records, {len(ds.months)} months")
    if warnings:
        say(f"{len(warnings)} warning(s):")
        for line in capped(DataError(warnings).problems):
            say(f"  {line}")


@main.command()
@data_option
def report(data: Path | None) -> None:
    """Coverage by contingent and year, empty months, gaps, source types, control conflicts."""
    from .output.report import run

    for line in run(data or default_data()):
        say(line)


@main.command()
@click.argument("n", type=int)
@click.option("--out", "out", type=str, required=True,
              help="Directory to write the synthetic data set to (created if missing).")
@click.option("--seed", type=int, default=1918, show_default=True, help="Random seed.")
@click.option("--force", is_flag=True, help="Replace the data set already in --out, whole "
              "(without it, a directory holding a data set is refused).")
@data_option
def synth(n: int, out: str, seed: int, force: bool, data: Path | None) -> None:
    """Write a valid synthetic data set with N events (1 to 1,000,000) over the real places
    and railways."""
    from .synth import check_n, check_out, generate, output_files

    check_n(n)
    source = data or default_data()
    target = outputs.check_dir(out, _inputs(source), output_files(source))
    check_out(target, force, shown=out)
    stats = generate(source, target, n, seed=seed, force=force)
    say(f"wrote {out}: " + ", ".join(f"{k} {v:,}" for k, v in stats.items()))


@main.command()
@data_option
@click.option("--format", "fmt",
              type=click.Choice(["gpkg", "geojson", "lpf", "csv", "parquet"]),
              required=True, help="Export format.")
@click.option("--out", "out", type=str, required=True,
              help="File (gpkg, geojson, lpf) or directory (csv, parquet) to write.")
@click.option("--month", "month", default=None, metavar="YYYY-MM",
              help="Only the records on the map in that month.")
@click.option("--window", "window", default=None, metavar="A..B|..B",
              help="Only the records on the map in those months: YYYY-MM..YYYY-MM, or "
                   "..YYYY-MM for everything up to a month (as the map's #A..B and #..B).")
def export(data: Path | None, fmt: str, out: str, month: str | None, window: str | None) -> None:
    """Export the joined, resolved data (places, railways, events, presence)."""
    from .output.export import CSV_FILES, PARQUET_FILES
    from .output.export import export as run_export

    if month is not None and window is not None:
        raise ArgumentError(f"--month {month!r} and --window {window!r}: give one of them")
    if fmt in ("csv", "parquet"):
        files = CSV_FILES if fmt == "csv" else PARQUET_FILES
        target = outputs.check_dir(out, _inputs(data), files)
    else:
        target = outputs.check_file(out, _inputs(data))
    ds = _prepare(data)
    if month is not None or window is not None:
        from .model import window as _window

        option, text = ("--month", month) if month is not None else ("--window", window)
        start, end = _window.parse(option, text, ds.first_month, ds.last_month,
                                   window=option == "--window")
        ds = _window.limit(ds, start, end)
        say(f"limited to {_window.describe(start, end)}")
    for line in run_export(ds, fmt, target, shown=out, package=_package(data)):
        say(line)


def _package(data: Path | None) -> dict | None:
    """The data set's own datapackage.json (checked by validate), or None."""
    import json

    path = (data or default_data()) / "datapackage.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


@main.command()
@data_option
@click.option("--months", "months", required=True,
              help="Comma-separated months, e.g. 1918-08,1919-01,1920-01.")
@click.option("--out", "out", type=str, required=True,
              help="Figure file: .png, .svg or .pdf.")
def figure(data: Path | None, months: str, out: str) -> None:
    """A static small-multiples figure of chosen months, for papers and print."""
    from .output.figure import check_request
    from .output.figure import figure as draw

    keys = [m.strip() for m in months.split(",") if m.strip()]
    target = outputs.check_file(out, _inputs(data))
    check_request(keys, out)
    ds = _prepare(data)
    draw(ds, keys, target, shown=out)
    say(f"wrote {out}")


@main.command()
@data_option
@click.option("--out", "out", type=str, required=True,
              help="File to write: .gif (Pillow), .mp4 (H.264) or .webm (VP9).")
@click.option("--from", "start", default=None, metavar="YYYY-MM",
              help="First month (default: the data set's first).")
@click.option("--to", "end", default=None, metavar="YYYY-MM",
              help="Last month (default: the data set's last).")
@click.option("--fps", type=float, default=None,
              help="Frames a second (default: 2 for months, 0.25 for story chapters).")
@click.option("--size", default="1280x720", show_default=True, metavar="WxH",
              help="Frame size in pixels (the browser window the map fills).")
@click.option("--story", is_flag=True,
              help="One frame per story chapter (story.csv) instead of one per month.")
@click.option("--browser", "browser", type=str, default=None, metavar="PATH",
              help="Chromium or Chrome to use (default: $SIBERIA_MAP_BROWSER, else Playwright's "
              "own Chromium, else chromium, chromium-browser or google-chrome on the PATH or in "
              "the usual places).")
def animate(data: Path | None, out: str, start: str | None, end: str | None,
            fps: float | None, size: str, story: bool, browser: str | None) -> None:
    """The map month by month (or chapter by chapter) as a GIF or a video.

    Needs the animate extra: pip install 'siberia-map[animate]'."""
    from .output import animate as anim
    from .output.render import render

    anim.require_extra()
    anim.parse_size(size)
    target = outputs.check_file(out, _inputs(data))
    ds = _prepare(data)
    p = anim.plan(ds, out, start, end, fps, size, story, browser=anim.find_browser(browser))
    html = render(ds).html
    with click.progressbar(length=len(p.frames), label=f"rendering {len(p.frames)} frames",
                           file=sys.stderr) as bar:
        shots = anim.capture(html, p, bar.update)
    n = anim.write(shots, p, target)
    say(f"wrote {out} ({n:,} bytes): {len(p.frames)} frames of {p.size[0]}x{p.size[1]} at "
        f"{p.fps:g} a second, {p.frames[0]} to {p.frames[-1]}")

"""The `siberia-map` command: build, validate and report on a data set.

Exit status 2 means the data set has problems; all of them are printed, one per line, and
no output file is touched.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import timeline
from .dataset import default_data
from .errors import DataError

MAP_NAME = "siberian_intervention.html"


def default_out() -> Path:
    """`output/siberian_intervention.html` where there is an `output/` folder (a checkout),
    else `siberian_intervention.html` in the current directory."""
    return Path("output") / MAP_NAME if Path("output").is_dir() else Path(MAP_NAME)


def _fail(exc: DataError) -> None:
    click.echo(f"{len(exc.problems)} problem(s) in the data set:", err=True)
    for p in exc.problems:
        click.echo(f"  {p}", err=True)
    sys.exit(2)


def _prepare(data: Path | None):
    """The joined data set, or every problem printed and exit status 2."""
    from .join import prepare

    try:
        return prepare(data or default_data())
    except DataError as exc:
        _fail(exc)


@click.group()
@click.version_option(package_name="siberia-map")
def main() -> None:
    """Turn a campaign's places, railways and dated events into a time-sliced map."""


data_option = click.option("--data", "data", type=click.Path(path_type=Path), default=None,
                           help="Data set directory (default: the project's geodata/, from the "
                           "checkout when run from one, else the copy installed with the "
                           "package).")


@main.command()
@data_option
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help=f"HTML file to write (default: output/{MAP_NAME} if ./output/ exists, "
              f"else ./{MAP_NAME}).")
@click.option("--cdn", is_flag=True, help="Link Leaflet from a pinned CDN URL with Subresource "
              "Integrity instead of embedding it (smaller file, needs the network).")
@click.option("--compress", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Embed the data gzipped (auto: above 2 MB of JSON). "
              "Gzipped data needs a browser with the Compression Streams API (2023+).")
def build(data: Path | None, out: Path | None, cdn: bool, compress: str) -> None:
    """Build the map: one self-contained HTML file."""
    from .render import render, write_atomic

    out = out or default_out()
    ds = _prepare(data)
    result = render(ds, cdn=cdn, compress=compress)
    size = write_atomic(out, result.html)
    s = result.sizes
    click.echo(f"wrote {out} ({size:,} bytes)")
    click.echo(f"  places {len(ds.places)}, railway segments {len(ds.railways)}, "
               f"events {len(ds.events)}, presence records {len(ds.presence)}, "
               f"months {len(ds.months)} ({ds.months[0]} to {ds.months[-1]})")
    click.echo(f"  bytes: leaflet {s['leaflet']:,}, our js/css {s['own_js_css']:,}, "
               f"basemap {s['basemap']:,}, data {s['data']:,}"
               + (" (gzipped)" if s["compressed"] else ""))


@main.command()
@data_option
def validate(data: Path | None) -> None:
    """Check the data set and list every problem."""
    from .join import prepare

    warnings: list = []
    try:
        ds = prepare(data or default_data(), warnings)
    except DataError as exc:
        _fail(exc)
    click.echo(f"ok: {len(ds.places)} places, {len(ds.railways)} railway segments, "
               f"{len(ds.contingents)} contingents, {len(ds.events)} events, "
               f"{len(ds.presence)} presence records, {len(ds.months)} months")
    if warnings:
        click.echo(f"{len(warnings)} warning(s):")
        for p in DataError(warnings).problems:
            click.echo(f"  {p}")


@main.command()
@data_option
def report(data: Path | None) -> None:
    """Coverage: records by contingent and year, and months with no record."""
    ds = _prepare(data)
    kinds = ds.places["kind"].value_counts().sort_index()
    click.echo(f"places: {len(ds.places)} (" + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")")
    click.echo(f"railway segments: {len(ds.railways)}; events: {len(ds.events)}; "
               f"presence records: {len(ds.presence)}")
    years = range(ds.first_month // 12, ds.last_month // 12 + 1)
    click.echo("\nrecords by contingent and year (events/presence):")
    click.echo(f"  {'contingent':<28}" + "".join(f"{y:>10}" for y in years))
    for cid, name in zip(ds.contingents["id"], ds.contingents["name"]):
        cells = []
        for y in years:
            ne = sum(1 for r in ds.events.itertuples() if cid in r.contingents and r.m0 // 12 <= y <= r.m1 // 12)
            npr = sum(1 for r in ds.presence.itertuples() if cid in r.contingents and r.m0 // 12 <= y <= r.m1 // 12)
            cells.append(f"{ne}/{npr}")
        click.echo(f"  {name[:28]:<28}" + "".join(f"{c:>10}" for c in cells))
    covered = set()
    for df in (ds.events, ds.presence):
        for a, b in zip(df["m0"], df["m1"]):
            covered.update(range(a, b + 1))
    empty = [timeline.month_key(m) for m in range(ds.first_month, ds.last_month + 1)
             if m not in covered]
    click.echo("\nmonths with no record: " + (", ".join(empty) if empty else "none"))
    no_events = [timeline.month_key(m) for m in range(ds.first_month, ds.last_month + 1)
                 if not any(a <= m <= b for a, b in zip(ds.events["m0"], ds.events["m1"]))]
    click.echo("months with no event: " + (", ".join(no_events) if no_events else "none"))


@main.command()
@click.argument("n", type=click.IntRange(min=1))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Directory to write the synthetic data set to.")
@click.option("--seed", type=int, default=1918, show_default=True, help="Random seed.")
@data_option
def synth(n: int, out: Path, seed: int, data: Path | None) -> None:
    """Write a valid synthetic data set with N events over the real places and railways."""
    from .synth import generate

    try:
        stats = generate(data or default_data(), out, n, seed=seed)
    except DataError as exc:
        _fail(exc)
    click.echo(f"wrote {out}: " + ", ".join(f"{k} {v:,}" for k, v in stats.items()))


@main.command()
@data_option
@click.option("--format", "fmt", type=click.Choice(["gpkg", "geojson", "lpf", "csv"]),
              required=True, help="Export format.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="File (gpkg, geojson, lpf) or directory (csv) to write.")
def export(data: Path | None, fmt: str, out: Path) -> None:
    """Export the joined, resolved data (places, railways, events, presence)."""
    from .export import export as run_export
    ds = _prepare(data)
    for line in run_export(ds, fmt, out):
        click.echo(line)


@main.command()
@data_option
@click.option("--months", "months", required=True,
              help="Comma-separated months, e.g. 1918-08,1919-01,1920-01.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Figure file: .png, .svg or .pdf.")
def figure(data: Path | None, months: str, out: Path) -> None:
    """A static small-multiples figure of chosen months, for papers and print."""
    from .figure import figure as draw

    ds = _prepare(data)
    try:
        keys = [m.strip() for m in months.split(",") if m.strip()]
        path = draw(ds, keys, out)
    except DataError as exc:
        _fail(exc)
    click.echo(f"wrote {path}")

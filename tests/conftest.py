"""Tiny inline data sets, written to tmp_path, shared by the tests of every stage."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

SRC = "test fixture"
ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"
NORTH_RUSSIA = ROOT / "tests" / "data" / "north_russia"
# The folders mirror the package; their modules keep sharing small tables (test_report reads
# test_chronology's authorities, test_war the war fixture of test_war_browser), so each
# folder is importable whichever tests run. Module names are unique across folders.
FOLDERS = ("data", "model", "output", "browser", "dataset")
sys.path[1:1] = [str(ROOT / "tests" / d) for d in FOLDERS if str(ROOT / "tests" / d) not in sys.path]


def point(pid, name, lon, lat, kind="town", **extra):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"id": pid, "name": name, "names": extra.pop("names", []),
                           "kind": kind, "source": SRC, **extra}}


def line(sid, a, b, coords, line_name="Ussuri"):
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {"id": sid, "line": line_name, "from": a, "to": b, "source": SRC}}


PLACES = [
    point("vladivostok", "Vladivostok", 131.8869, 43.1155, "city", label=True,
          names=["Владивосток"]),
    point("nikolsk", "Nikolsk-Ussuriski", 131.9508, 43.8019, names=["Ussuriysk", "Nikolsk"]),
    point("spassk", "Spassk", 132.8187, 44.5999),
    point("khabarovsk", "Khabarovsk", 135.0833, 48.4833, "city"),
    point("omsk", "Omsk", 73.3686, 54.9924, "city"),
    {"type": "Feature", "properties": {"id": "lake-khanka", "name": "Lake Khanka", "kind": "lake",
                                       "source": SRC, "names": ["Hanka"]},
     "geometry": {"type": "Polygon", "coordinates": [[[132.0, 44.6], [132.9, 44.6], [132.9, 45.3],
                                                      [132.0, 45.3], [132.0, 44.6]]]}},
]
RAILWAYS = [
    line("vladivostok--nikolsk", "vladivostok", "nikolsk",
         [[131.8869, 43.1155], [132.0, 43.4], [131.9508, 43.8019]]),
    line("nikolsk--spassk", "nikolsk", "spassk", [[131.9508, 43.8019], [132.8187, 44.5999]]),
    line("spassk--khabarovsk", "spassk", "khabarovsk",
         [[132.8187, 44.5999], [133.7, 46.5], [135.0833, 48.4833]]),
]
CONTINGENTS = [
    {"id": "usa", "name": "United States", "side": "allied", "colour": "#1f4e9a",
     "strength": "8,763", "commanders": "William S. Graves", "source": SRC},
    {"id": "japan", "name": "Japan", "side": "allied", "colour": "#c0392b",
     "strength": "70,000", "commanders": "Otani Kikuzo", "source": SRC},
    {"id": "britain", "name": "Britain", "side": "allied", "colour": "#2e7d32",
     "strength": "1,800", "commanders": "John Ward", "source": SRC},
]
EVENTS = [
    {"id": "e-british-landing", "date": "1918-08-03", "where": "vladivostok",
     "contingents": "britain", "kind": "landing", "title": "British land",
     "description": "The Middlesex battalion lands.", "source": SRC},
    {"id": "e-us-landing", "date": "1918-08-15/1918-08-21", "where": "Vladivostok",
     "contingents": "usa", "kind": "landing", "title": "Americans land",
     "description": "The first 3,000 Americans disembark.", "source": SRC},
    {"id": "e-summer", "date": "1919-22", "where": "nikolsk..khabarovsk",
     "contingents": "japan;usa", "kind": "other", "title": "Summer on the line",
     "description": "A season-long record.", "source": SRC},
]
PRESENCE = [
    {"id": "p-usa-line", "contingent": "usa", "where": "vladivostok..nikolsk",
     "date": "1918-08-15/1919-03", "strength": "3,000", "note": "railway guard", "source": SRC},
    {"id": "p-japan-line", "contingent": "japan", "where": "vladivostok..spassk",
     "date": "1918-08~/1918-12", "strength": "", "note": "", "source": SRC},
    {"id": "p-britain-omsk", "contingent": "britain", "where": "omsk",
     "date": "1918-10/1919-04", "strength": "800", "note": "", "source": SRC},
]


def write_dataset(root: Path, places=None, railways=None, contingents=None, events=None,
                  presence=None, meta=None) -> Path:
    """Write a data set; each argument replaces the default table/collection."""
    root.mkdir(parents=True, exist_ok=True)
    for name, feats in (("places.geojson", places if places is not None else PLACES),
                        ("railways.geojson", railways if railways is not None else RAILWAYS)):
        (root / name).write_text(json.dumps({"type": "FeatureCollection", "features": feats}),
                                 encoding="utf-8")
    for name, rows in (("contingents.csv", contingents if contingents is not None else CONTINGENTS),
                       ("events.csv", events if events is not None else EVENTS),
                       ("presence.csv", presence if presence is not None else PRESENCE)):
        write_csv(root / name, rows)
    if meta is not None:
        (root / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    return root


def write_csv(path: Path, rows: list[dict]) -> None:
    columns = list(dict.fromkeys(k for r in rows for k in r)) or ["id"]
    defaults = {"contingents.csv": ["id", "name", "side", "colour", "source"],
                "events.csv": ["id", "date", "where", "contingents", "kind", "title",
                               "description", "source"],
                "presence.csv": ["contingent", "where", "date", "source"]}
    if not rows:
        columns = defaults.get(path.name, columns)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (per worker). Each map a test opens is a
    document of its own, in a tab kept between tests with the same context options
    (`browser.open_map`)."""
    from browser import launch

    with launch() as b:
        yield b


@pytest.fixture(scope="session")
def shipped():
    """The shipped data set (`geodata/`), validated and joined once per run (per worker);
    tests only read it."""
    from siberia_map.model.join import prepare

    return prepare(GEODATA)


@pytest.fixture(scope="session")
def shipped_payload(shipped):
    """The browser's payload of the shipped data set, built once per run (per worker)."""
    from siberia_map.output import payload

    return payload.build(shipped)


@pytest.fixture(scope="session")
def build_map(tmp_path_factory):
    """`build_map(**tables)`: the path of a map built by the CLI, once per run for each
    distinct input. Keyword arguments are those of `write_dataset` (tables replacing the tiny
    data set's); `extra={"story.csv": rows}` adds tables; `data=path` builds a directory as it
    is (`build_map(data=GEODATA)` is the shipped map); `options=("--lang", "ru")` are more
    arguments of `siberia-map build`. Tests only read the file."""
    built: dict[str, Path] = {}

    def build(data: Path | None = None, extra: dict | None = None, options: tuple = (),
              **tables) -> Path:
        key = json.dumps([str(data), extra, list(options), tables], sort_keys=True, default=str)
        if key not in built:
            if data is None:
                data = write_dataset(tmp_path_factory.mktemp("data"), **tables)
                for name, rows in (extra or {}).items():
                    write_csv(data / name, rows)
            out = tmp_path_factory.mktemp("map") / "map.html"
            cli_build(data, out, *options)
            built[key] = out
        return built[key]

    return build


@pytest.fixture
def open_page(browser):
    """`open_page(path, hash_="", **open_map_options)`: an opened map (a `browser.Session`).
    Every page a test opens is closed after it and must have had no page errors and no
    attempted network requests."""
    from browser import close_checked, open_map

    sessions = []

    def open_(path: Path, hash_: str = "", **options):
        sessions.append(open_map(browser, path, hash_, **options))
        return sessions[-1]

    yield open_
    close_checked(sessions)


@pytest.fixture
def dataset(tmp_path) -> Path:
    return write_dataset(tmp_path / "data")


@pytest.fixture
def make_dataset(tmp_path):
    def make(**kwargs) -> Path:
        return write_dataset(tmp_path / "data", **kwargs)
    return make


def build_synthetic(tmp_path_factory, source: Path, n: int, seed: int) -> Path:
    """`synth`'s data set of `n` events over `source`'s places and railways, built into a map
    (for module-scoped fixtures); returns the HTML file."""
    from siberia_map.synth import generate

    data = tmp_path_factory.mktemp("synth") / "data"
    generate(source, data, n, seed=seed)
    out = tmp_path_factory.mktemp("map") / "map.html"
    cli_build(data, out)
    return out


def cli_build(root: Path, out: Path, *extra: str):
    """`siberia-map build --data root --out out`, which must succeed; returns the result."""
    from click.testing import CliRunner

    from siberia_map.cli import main

    result = CliRunner().invoke(main, ["build", "--data", str(root), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result

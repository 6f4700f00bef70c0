"""The wheel on its own: built, installed into a fresh virtual environment, run elsewhere.

The wheel is built from a copy of the files a release is made of (so a file the build needs
but the copy lacks fails here), with `pip wheel --no-deps`. It goes into a new venv made
without pip; the dependencies are not downloaded again. Instead the new venv sees exactly
the packages the wheel's base requirements pull in, none of its extras: the distributions
they name, and theirs in turn, are looked up in this venv and their top-level files linked
into one directory, which a `.pth` file puts on the new venv's path after its own
site-packages. So an import the base requirements do not declare (branca once), or one of
the animate extra's (Playwright), fails there as it would after `pip install siberia-map`.
The editable install of this checkout is invisible there. Every command then runs from an
empty temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from importlib import metadata
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# A wheel build and a fresh virtual environment: left out of the quick tier (make check).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
RELEASE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def run(args, cwd, env=None, check=True):
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _new_setuptools() -> bool:
    major = int(version("setuptools").split(".")[0])
    return major >= 77


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("release")
    for name in RELEASE_FILES:
        shutil.copy2(ROOT / name, tree / name)
    shutil.copytree(ROOT / "src", tree / "src", ignore=SKIP)
    shutil.copytree(ROOT / "geodata", tree / "geodata", ignore=SKIP)
    dist = tmp_path_factory.mktemp("dist")
    # Without build isolation the build needs no network; an older setuptools than the
    # build-system asks for (a venv made before the test extra required it) falls back to
    # pip's isolated build, which fetches it.
    isolation = ["--no-build-isolation", "--no-index"] if _new_setuptools() else []
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", dist, tree],
        cwd=tree)
    (whl,) = dist.glob("siberia_map-*.whl")
    return whl


def wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA")))
    return [Requirement(line.split(":", 1)[1].strip())
            for line in meta.decode().splitlines() if line.startswith("Requires-Dist:")]


def base_names(requirements) -> set[str]:
    """The distributions a plain `pip install` asks for: no extra's."""
    return {canonicalize_name(r.name) for r in requirements
            if r.marker is None or r.marker.evaluate({"extra": ""})}


def closure(requirements) -> list[metadata.Distribution]:
    """The installed distributions that `requirements` pull in, transitively (this
    platform's markers; the extras a requirement asks for)."""
    found: dict[str, metadata.Distribution] = {}
    todo = [(r, "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(req.name)
        dist = metadata.distribution(name)  # PackageNotFoundError: not installed here
        if name not in found:
            found[name] = dist
            todo += [(Requirement(r), "") for r in dist.requires or []]
        todo += [(Requirement(r), e) for e in req.extras for r in dist.requires or []]
    return list(found.values())


def link_distributions(dists, site: Path) -> None:
    """The top-level files and folders of `dists` (their RECORDs) linked into `site`."""
    site.mkdir()
    for dist in dists:
        for top in {f.parts[0] for f in dist.files or [] if f.parts[0] != ".."}:
            source = Path(dist.locate_file(top))
            if source.exists() and not top.endswith(".pth") and not (site / top).exists():
                (site / top).symlink_to(source)


@pytest.fixture(scope="module")
def env(tmp_path_factory, wheel):
    """(bin directory, environment variables) of a fresh venv with only the wheel installed
    and, beside it, only what its base requirements pull in."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                  cwd=home).stdout.strip()
    base = [r for r in wheel_requirements(wheel) if canonicalize_name(r.name) in
            base_names(wheel_requirements(wheel))]
    link_distributions(closure(base), home / "base-site")
    Path(purelib, "_base_site.pth").write_text(f"{home / 'base-site'}\n")
    # The animate extra's own packages, for a run that puts them on PYTHONPATH (as if
    # `pip install 'siberia-map[animate]'` had added them).
    extra = [Requirement(f"{r.name}{r.specifier}") for r in wheel_requirements(wheel)
             if r.marker is not None and r.marker.evaluate({"extra": "animate"})]
    link_distributions(closure(extra), home / "animate-site")
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         wheel], cwd=home)
    variables = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    variables["MPLCONFIGDIR"] = str(tmp_path_factory.mktemp("mpl"))
    variables["PATH"] = f"{home / 'bin'}{os.pathsep}{variables.get('PATH', '')}"
    return home / "bin", variables


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """An empty working directory far from the checkout."""
    cwd = tmp_path / "work"
    cwd.mkdir()
    return cwd


def test_wheel_carries_the_data_set_as_real_files(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        info = {i.filename: i for i in z.infolist()}
    for name in ("places.geojson", "railways.geojson", "contingents.csv", "events.csv",
                 "presence.csv", "dataset.json", "basemap/land.geojson"):
        path = f"siberia_map/geodata/{name}"
        assert path in names, path
        assert info[path].file_size == (ROOT / "geodata" / name).stat().st_size
        # A symlink would be stored as a link (Unix mode 0o12 in the high bits), not a file.
        assert (info[path].external_attr >> 28) != 0o12
    assert "siberia_map/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "siberia_map/static/manifest.json" in names and "siberia_map/templates/page.html" in names
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in meta and "Classifier: Typing :: Typed" in meta
    assert "Requires-Dist: matplotlib" in meta  # `figure` works after a plain install


def test_the_base_install_has_no_browser_driver_or_ffmpeg(wheel):
    requirements = wheel_requirements(wheel)
    base = base_names(requirements)
    assert {"folium", "branca", "geopandas", "pyarrow", "matplotlib"} <= base
    assert not base & {"playwright", "imageio-ffmpeg"}
    # ...nor anything they pull in: none of the base closure depends on them either.
    pulled = {canonicalize_name(d.metadata["Name"]) for d in closure(
        [r for r in requirements if canonicalize_name(r.name) in base])}
    assert not pulled & {"playwright", "imageio-ffmpeg", "pyee", "greenlet"}
    animate = {canonicalize_name(r.name) for r in requirements
               if r.marker is not None and r.marker.evaluate({"extra": "animate"})} - base
    assert animate == {"playwright", "imageio-ffmpeg", "pillow"}


def test_import_uses_the_installed_package_and_its_data(env, elsewhere):
    bindir, variables = env
    code = ("import json, siberia_map\n"
            "from siberia_map.model.dataset import default_data\n"
            "from importlib.resources import files\n"
            "print(json.dumps([siberia_map.__file__, str(default_data()), siberia_map.__version__,"
            " files('siberia_map').joinpath('py.typed').is_file()]))")
    out = run([bindir / "python", "-c", code], cwd=elsewhere, env=variables).stdout
    module, data, ver, typed = json.loads(out)
    venv_root = bindir.parent.resolve()
    assert Path(module).resolve().is_relative_to(venv_root)
    assert Path(data).resolve().is_relative_to(venv_root) and Path(data).name == "geodata"
    assert ver == version("siberia-map") and typed


def test_build_validate_export_and_figure_from_an_empty_directory(env, elsewhere):
    bindir, variables = env
    cmd = bindir / "siberia-map"
    built = run([cmd, "build"], cwd=elsewhere, env=variables)
    page = elsewhere / "siberian_intervention.html"
    assert f"wrote {page.name}" in built.stdout
    html = page.read_text(encoding="utf-8")
    assert "The Siberian intervention" in html and 'id="siberia-map-data"' in html
    assert page.stat().st_size > 500_000  # Leaflet, basemap and data are inside

    checked = run([cmd, "validate"], cwd=elsewhere, env=variables)
    assert checked.stdout.startswith("ok: ")

    exported = run([cmd, "export", "--format", "geojson", "--out", "all.geojson"],
                   cwd=elsewhere, env=variables)
    assert "wrote all.geojson" in exported.stdout
    layers = {f["properties"]["layer"] for f in
              json.loads((elsewhere / "all.geojson").read_text(encoding="utf-8"))["features"]}
    optional = {"movements": ["movements.csv"], "control": ["control.csv", "authorities.csv"]}
    present = {name for name, files in optional.items()
               if all((ROOT / "geodata" / f).is_file() for f in files)}
    assert layers == {"places", "railways", "events", "presence"} | present

    drawn = run([cmd, "figure", "--months", "1918-08,1919-06", "--out", "fig.png"],
                cwd=elsewhere, env=variables)
    assert drawn.stdout.strip() == "wrote fig.png"
    assert (elsewhere / "fig.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["all.geojson", "fig.png",
                                                           "siberian_intervention.html"]


def test_bad_data_is_exit_2_without_a_traceback(env, elsewhere):
    bindir, variables = env
    result = run([bindir / "siberia-map", "validate", "--data", "missing"], cwd=elsewhere,
                 env=variables, check=False)
    assert result.returncode == 2
    assert "missing" in result.stderr and "Traceback" not in result.stderr


def test_parquet_export_and_animate_without_its_extra(env, elsewhere):
    bindir, variables = env
    cmd = bindir / "siberia-map"
    exported = run([cmd, "export", "--format", "parquet", "--out", "tables"],
                   cwd=elsewhere, env=variables)
    assert exported.stdout.startswith("wrote tables/ (GeoParquet")
    import geopandas as gpd

    events = gpd.read_parquet(elsewhere / "tables" / "events.parquet")
    assert len(events) > 100 and events.crs.to_epsg() == 4326

    result = run([cmd, "animate", "--out", "a.gif"], cwd=elsewhere, env=variables, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "siberia-map: animate needs the animate extra (playwright, imageio-ffmpeg "
        "missing): pip install 'siberia-map[animate]'"]
    assert not (elsewhere / "a.gif").exists()
    # It is really missing there, not merely reported so.
    probe = run([bindir / "python", "-c", "import playwright"], cwd=elsewhere, env=variables,
                check=False)
    assert probe.returncode == 1 and "ModuleNotFoundError" in probe.stderr


def test_explore_with_start_and_end_columns_from_the_wheel(env, elsewhere):
    bindir, variables = env
    code = ("import geopandas as gpd, pandas as pd, siberia_map\n"
            "from shapely.geometry import Point\n"
            "gdf = gpd.GeoDataFrame({'begin': pd.to_datetime(['1854-11-05', '1855-01-10']),"
            " 'finish': pd.to_datetime(['1854-12-20', None]), 'side': ['a', 'b']},"
            " geometry=[Point(10, 50), Point(11, 51)], crs='EPSG:4326')\n"
            "m = siberia_map.explore(gdf, start='begin', end='finish', column='side',"
            " cmap={'a': 'red'}, month='1854-12', hidden=['b'])\n"
            "m.save('m.html')\n")
    run([bindir / "python", "-c", code], cwd=elsewhere, env=variables)
    html = (elsewhere / "m.html").read_text(encoding="utf-8")
    assert '"hidden":["b"]' in html and '"month":"1854-12"' in html
    assert '"#ff0000"' in html and "window.siberiaMap" in html


@pytest.mark.browser
def test_animate_with_its_extra_writes_a_3_frame_gif(env, elsewhere):
    from PIL import Image

    bindir, variables = env
    with_extra = {**variables, "PYTHONPATH": str(bindir.parent / "animate-site")}
    result = run([bindir / "siberia-map", "animate", "--out", "three.gif", "--from", "1919-01",
                  "--to", "1919-03", "--size", "400x300", "--browser", "/usr/bin/chromium"],
                 cwd=elsewhere, env=with_extra)
    assert "3 frames of 400x300" in result.stdout
    with Image.open(elsewhere / "three.gif") as gif:
        assert (gif.n_frames, gif.size) == (3, (400, 300))

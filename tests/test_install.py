"""The wheel on its own: built, installed into a fresh virtual environment, run elsewhere.

The wheel is built from a copy of the files a release is made of (so a file the build needs
but the copy lacks fails here), with `pip wheel --no-deps`. It goes into a new venv made
without pip; the dependencies are not downloaded again: a `.pth` file in the new venv puts
this venv's site-packages *after* its own, so the new venv sees folium, geopandas and the rest
but its own `siberia_map` (and its metadata and entry point) come first. The editable install
of this checkout is invisible there: its `.pth` hook is not processed on a path added that
way. Every command then runs from an empty temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def env(tmp_path_factory, wheel):
    """(bin directory, environment variables) of a fresh venv with only the wheel installed."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                  cwd=home).stdout.strip()
    parent = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(purelib, "_parent_site.pth").write_text("\n".join(parent) + "\n")
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

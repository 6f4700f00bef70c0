"""Build step: the default data set goes into the wheel.

`geodata/` at the top of the checkout stays the one copy anybody edits (`make map` builds
from it). At build time it is copied into the package as `siberia_map/geodata/`, real files
in the wheel, so an installed `siberia-map build` works from any directory and reads it with
`importlib.resources`. An editable install skips the copy: the checkout's `geodata/` is used.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "geodata"
# Editor and OS litter never belongs in the published data set.
IGNORE = shutil.ignore_patterns(".*", "__pycache__", "*.pyc", "*~")


class BuildWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not (DATA / "places.geojson").is_file():
            raise SystemExit(f"{DATA} is missing: the wheel must carry the default data set")
        dest = Path(self.build_lib) / "siberia_map" / "geodata"
        if dest.exists():
            shutil.rmtree(dest)  # a stale copy could keep a file geodata/ no longer has
        shutil.copytree(DATA, dest, ignore=IGNORE)


setup(cmdclass={"build_py": BuildWithData})

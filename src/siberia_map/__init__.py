"""siberia-map: a campaign's places, railways and dated events as one time-sliced map.

The public API is small:

- `load(path=None) -> Dataset`: read, validate and join a data set (default: the packaged
  Siberian intervention data set);
- `render(dataset, **options) -> str`: the self-contained HTML page;
- `explore(gdf, *, date, group=None, ...) -> folium.Map`: any GeoDataFrame whose `date`
  column holds EDTF strings as the same time-sliced map;
- `TimeSlicedLayer(data, ...)`: the month control, toggles, events panel and records as a
  folium element for any `folium.Map`;
- `Dataset`, `DataError` (its `.problems` are `Problem`s) and `__version__`.

The command line is `siberia-map` (`python -m siberia_map`).
"""

from importlib.metadata import PackageNotFoundError, version

# The submodules `load` and `render` are imported first, so that the API functions of the
# same names bound below are what `siberia_map.load` and `siberia_map.render` stay
# (importing a submodule for the first time would rebind the package attribute to it).
from . import load as _load_module, render as _render_module  # noqa: F401
from .api import load, render
from .dataset import Dataset
from .errors import DataError, Problem
from .layer import TimeSlicedLayer, explore

try:
    __version__ = version("siberia-map")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["DataError", "Dataset", "Problem", "TimeSlicedLayer", "__version__", "explore", "load",
           "render"]

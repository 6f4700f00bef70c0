"""siberia-map: a campaign's places, railways and dated events as one time-sliced map.

The public API is small:

- `load(path=None) -> Dataset`: read, validate and join a data set (default: the packaged
  Siberian intervention data set);
- `render(dataset, **options) -> str`: the self-contained HTML page;
- `explore(gdf, *, date= | start=, end=, column=, cmap=, tooltip=, popup=, m=, month=,
  hidden=) -> folium.Map`: any dated GeoDataFrame (or object with `__geo_interface__`) as
  the same time-sliced map, called as geopandas' `explore` is;
- `TimeSlicedLayer(data, ...)`: the month control, toggles, events panel and records as a
  folium element for any `folium.Map`;
- `Dataset`, `DataError` (its `.problems` are `Problem`s) and `__version__`.

The command line is `siberia-map` (`python -m siberia_map`).
"""

from importlib.metadata import PackageNotFoundError, version

# The stages live in subpackages that show the pipeline: `data` (read and check), `model`
# (join into a Dataset) and `output` (the page, exports, figure, report). The API names
# below are functions; no module of the package shares them.
from .api import load, render
from .errors import DataError, Problem
from .model.dataset import Dataset
from .output.layer import TimeSlicedLayer, explore

try:
    __version__ = version("siberia-map")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["DataError", "Dataset", "Problem", "TimeSlicedLayer", "__version__", "explore", "load",
           "render"]

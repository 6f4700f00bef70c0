"""The Python API: load, render, and any dated GeoDataFrame through `explore`'s adaptor."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

import siberia_map
from conftest import EVENTS, cli_build
from siberia_map.model.dataset import checkout_data, default_data
from siberia_map.model.frame import to_dataset


def frame(**columns) -> gpd.GeoDataFrame:
    """Clearly synthetic records from the 1850s: a point, a line and a polygon."""
    data = {"date": ["1854-03-02", "1854-03-10/1854-05", "1854-22"],
            "side": ["alpha", "beta", "alpha"],
            "title": ["Point record", "Line record", "Area record"],
            "description": ["first", "second", "third"]}
    data.update(columns)
    return gpd.GeoDataFrame(data, geometry=[Point(10, 50), LineString([(10, 50), (12, 51)]),
                                            box(11, 49, 12, 50)], crs="EPSG:4326")


@pytest.mark.slow  # a child process
def test_public_names_are_the_functions_even_after_their_modules_are_imported():
    code = ("import siberia_map.data.load, siberia_map.output.render, siberia_map.cli, siberia_map.model.join\n"
            "import siberia_map as s\n"
            "assert all(callable(f) and f.__module__ in ('siberia_map.api', 'siberia_map.output.layer')"
            " for f in (s.load, s.render, s.explore)), (s.load, s.render)\n"
            "print(sorted(s.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "'TimeSlicedLayer'" in out.stdout and "'explore'" in out.stdout


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    assert siberia_map.__version__ == version("siberia-map")


def test_default_data_is_the_checkout_geodata_when_run_from_the_checkout():
    assert checkout_data() is not None and checkout_data().name == "geodata"
    assert default_data() == checkout_data()
    assert (default_data() / "events.csv").is_file()


def test_load_default_and_a_directory(dataset):
    ds = siberia_map.load(dataset)
    assert isinstance(ds, siberia_map.Dataset)
    assert list(ds.events["id"]) == [e["id"] for e in EVENTS]
    assert ds.months[0] == "1918-08" and "3 events" in repr(ds)
    assert len(siberia_map.load().events) > 50  # the project's own data set


def test_load_lists_every_problem(make_dataset):
    bad = [dict(EVENTS[0], date="1918-13"), dict(EVENTS[1], where="Vladivostock"), EVENTS[2]]
    with pytest.raises(siberia_map.DataError) as err:
        siberia_map.load(make_dataset(events=bad))
    text = [str(p) for p in err.value.problems]
    assert any("row 2: date='1918-13'" in t for t in text)
    assert any("row 3: where='Vladivostock'" in t for t in text)


def test_render_is_the_page_the_command_writes(dataset, tmp_path):
    out = tmp_path / "map.html"
    cli_build(dataset, out)
    html = siberia_map.render(siberia_map.load(dataset))
    assert html == out.read_text(encoding="utf-8")
    assert siberia_map.render(siberia_map.load(dataset), compress="always") != html
    with pytest.raises(ValueError):
        siberia_map.render(siberia_map.load(dataset), compress="sometimes")


def test_frame_rows_become_events_and_shapes():
    ds = to_dataset(frame(), date="date", group="side", title="Synthetic")
    assert list(ds.events["title"]) == ["Point record"]
    assert list(ds.presence.geometry.geom_type) == ["LineString", "Polygon"]
    assert list(ds.contingents["id"]) == ["alpha", "beta"]
    assert ds.months[0] == "1854-03" and ds.months[-1] == "1854-08"  # summer 1854
    assert ds.meta == {"title": "Synthetic", "group_label": "Side"}
    assert list(ds.events["description"]) == ["first"]
    assert list(ds.presence["note"]) == ["Line record; second", "Area record; third"]


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:32632"])
def test_frame_is_reprojected_to_wgs84(crs):
    ds = to_dataset(frame().to_crs(crs), date="date")
    p = ds.events.geometry.iloc[0]
    assert ds.events.crs == "EPSG:4326"
    assert (round(p.x, 6), round(p.y, 6)) == (10.0, 50.0)
    assert list(ds.contingents["name"]) == ["All records"]


def test_numeric_groups_sort_as_numbers():
    ds = to_dataset(frame(side=[10, 2, 10]), date="date", group="side")
    assert list(ds.contingents["name"]) == ["2", "10"]


def test_frame_dates_may_be_timestamps_and_groups_categorical():
    gdf = frame(date=pd.to_datetime(["1854-03-02", "1854-04-10", "1854-06-01"]),
                side=pd.Categorical(["alpha", "beta", "alpha"], categories=["beta", "alpha"]))
    ds = to_dataset(gdf, date="date", group="side")
    assert list(ds.contingents["id"]) == ["beta", "alpha"]
    assert list(ds.events["date"]) == ["1854-03-02"]


@pytest.mark.parametrize("dtype", [object, "string"])
def test_every_problem_of_a_frame_names_row_column_and_value(dtype):
    gdf = frame(date=pd.array(["1854-03-02", "1854-13", None], dtype=dtype),
                side=pd.array(["alpha", None, "beta"], dtype=dtype))
    gdf.index = ["a", "b", "c"]
    with pytest.raises(siberia_map.DataError) as err:
        to_dataset(gdf, date="date", group="side")
    text = [str(p) for p in err.value.problems]
    assert any("index 'b': date='1854-13'" in t for t in text), text
    assert any("index 'c': date=None" in t for t in text), text
    assert any("index 'b': side=None" in t for t in text), text
    assert len(text) == 3


@pytest.mark.parametrize("kwargs, expected", [
    ({"date": "when"}, "date='when': a column of the GeoDataFrame: date, side, title"),
    ({"date": "date", "group": "army"}, "group='army'"),
    ({"date": "date", "popup": ["title", "nope"]}, "popup='nope'"),
])
def test_missing_columns_are_named(kwargs, expected):
    with pytest.raises(siberia_map.DataError) as err:
        siberia_map.explore(frame(), **kwargs)
    assert expected in str(err.value)


def test_no_crs_and_bad_geometry_are_refused():
    with pytest.raises(siberia_map.DataError, match="crs=None: a CRS"):
        to_dataset(frame().set_crs(None, allow_override=True), date="date")
    gdf = frame()
    gdf.loc[1, "geometry"] = None
    with pytest.raises(siberia_map.DataError, match="index 1: geometry=None"):
        to_dataset(gdf, date="date")
    with pytest.raises(siberia_map.DataError, match="a geopandas.GeoDataFrame"):
        to_dataset(pd.DataFrame({"date": ["1854"]}), date="date")


def test_text_from_the_frame_is_never_markup_in_the_page(tmp_path):
    evil = "</script><script>alert(1)</script>{{ 7*7 }}"
    m = siberia_map.explore(frame(title=[evil, "b", "c"], side=[evil, "x", "y"]), date="date",
                            group="side", title=evil, tiles=None)
    out = tmp_path / "m.html"
    m.save(str(out))
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    # Escaped by tojson, and never read as a template again ({{ 7*7 }} does not become 49).
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e{{ 7*7 }}" in html


def test_layer_takes_a_dataset_or_a_frame_with_its_date(dataset):
    layer = siberia_map.TimeSlicedLayer(siberia_map.load(dataset))
    assert layer.payload["months"][0] == "1918-08" and layer.payload["group_label"] == ""
    with pytest.raises(TypeError, match="date"):
        siberia_map.TimeSlicedLayer(frame())
    with pytest.raises(TypeError, match="a Dataset has them"):
        siberia_map.TimeSlicedLayer(siberia_map.load(dataset), date="date")


def test_the_example_notebook_runs(monkeypatch):
    """Its code cells, in order, in one namespace, as Jupyter would run them."""
    import json
    from pathlib import Path

    import folium

    examples = Path(__file__).resolve().parents[1] / "examples"
    monkeypatch.syspath_prepend(str(examples))
    monkeypatch.chdir(examples)
    nb = json.loads((examples / "explore.ipynb").read_text(encoding="utf-8"))
    namespace: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []  # committed without outputs
            exec(compile("".join(cell["source"]), "explore.ipynb", "exec"), namespace)
    assert isinstance(namespace["m"], folium.Map)
    assert "srcdoc=" in namespace["m"]._repr_html_()  # what Jupyter shows inline
    assert isinstance(namespace["ds"], siberia_map.Dataset)

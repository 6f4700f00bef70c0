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
from siberia_map.output import columns


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
    # A Dataset names no group column: the legend keeps its own title ("Contingents").
    assert layer.payload["months"][0] == "1918-08" and "group_label" not in layer.payload
    with pytest.raises(TypeError, match="date"):
        siberia_map.TimeSlicedLayer(frame())
    with pytest.raises(TypeError, match="date= is for a GeoDataFrame; a Dataset has its own"):
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
    assert "<strong>" in namespace["ds"]._repr_html_()  # the data set's own preview
    # The geopandas-style calls: start/end columns, the opening view, a map of one's own.
    html = namespace["m"].get_root().render()
    assert '"hidden":["retreat"]' in html and '"month":"1812-09"' in html
    assert "L.SiberiaMap.start(" + namespace["own"].get_name() in \
        namespace["own"].get_root().render()
    assert set(namespace["records"]["layer"]) == {"events", "presence"}


# ------------------------------------------------------------------ geopandas-style calls
def spans(ds) -> dict[str, tuple[str, str]]:
    df = pd.concat([ds.events, ds.presence])
    return {rid: (m0, m1) for rid, m0, m1 in zip(df["id"], df["m0"], df["m1"])}


@pytest.mark.parametrize("starts, ends", [
    (pd.to_datetime(["1854-03-02", "1854-03-10", "1854-06-01"]),
     pd.to_datetime(["1854-03-02 00:00", "1854-05-31 18:00", "1854-08-31 00:00"])),
    (["1854-03-02", "1854-03-10T08:00:00", "1854-06-01"],
     ["1854-03-02", "1854-05-31 18:00", "1854-08-31"]),
    (["1854-03-02", "1854-03-10", "1854-06"], [None, "1854-05", "1854-08"]),  # EDTF months
    (["2 March 1854", "1854/03/10", "1854-06-01"], ["1854-03-02", "31 May 1854", "1854-08-31"]),
])
def test_start_and_end_columns_give_the_same_months_as_an_interval(starts, ends):
    by_date = to_dataset(frame(), date="date")
    by_columns = to_dataset(frame(begin=starts, finish=ends), start="begin", end="finish")
    assert spans(by_columns) == spans(by_date)


def test_whole_numbers_are_years():
    ds = to_dataset(frame(begin=[1854, 1855, 1856], finish=[1854.0, float("nan"), 1857.0]),
                    start="begin", end="finish")
    dates = pd.concat([ds.events, ds.presence]).sort_values("m0")["date"]
    assert list(dates) == ["1854", "1855", "1856/1857"]


def test_start_alone_and_bad_start_or_end_name_row_and_column():
    ds = to_dataset(frame(begin=["1854-03-02", "1854-04", "1854-07~"]), start="begin")
    assert [d for d in pd.concat([ds.events, ds.presence])["date"]] == \
        ["1854-03-02", "1854-04", "1854-07~"]
    gdf = frame(begin=["1854-03-02", "someday", None], finish=[None, "1854-05", None])
    gdf.index = ["a", "b", "c"]
    with pytest.raises(siberia_map.DataError) as err:
        to_dataset(gdf, start="begin", end="finish")
    text = [str(p) for p in err.value.problems]
    assert any("index 'b'" in t and "begin/finish='someday/1854-05'" in t for t in text), text
    assert any("index 'c': begin=None" in t for t in text), text
    with pytest.raises(TypeError, match="not both"):
        to_dataset(frame(), date="date", start="date")
    with pytest.raises(siberia_map.DataError, match="end='nope'"):
        to_dataset(frame(), start="date", end="nope")


@pytest.mark.parametrize("cmap, expected", [
    ({"beta": "red", "alpha": "#00ff00"}, ["#00ff00", "#ff0000"]),
    ({"beta": "red"}, ["#4e79a7", "#ff0000"]),  # unlisted values: the palette in turn
    (["#111111", (0, 0, 1)], ["#111111", "#0000ff"]),
    ("viridis", None),
])
def test_cmap_gives_the_group_colours(cmap, expected):
    ds = to_dataset(frame(), date="date", group="side", cmap=cmap)
    colours = list(ds.contingents["colour"])
    if expected is None:
        from matplotlib import colormaps, colors
        expected = [colors.to_hex(colormaps["viridis"].resampled(2)(i)) for i in range(2)]
    assert colours == expected


def test_bad_cmap_is_a_data_error_naming_it():
    with pytest.raises(siberia_map.DataError) as err:
        to_dataset(frame(), date="date", group="side", cmap={"alpha": "not-a-colour",
                                                              "gamma": "red"})
    text = str(err.value)
    assert "cmap='not-a-colour': a colour for 'alpha'" in text
    assert "cmap='gamma': a value of the group column: alpha, beta" in text
    with pytest.raises(siberia_map.DataError, match="matplotlib colormap name"):
        to_dataset(frame(), date="date", cmap="no-such-map")


def test_tooltip_columns_go_to_the_page_column_and_value():
    layer = siberia_map.TimeSlicedLayer(frame(), date="date", column="side",
                                        tooltip=["title", "side"])
    tips = layer.payload["events"]["tip"] + layer.payload["presence"]["tip"]
    assert ["Point record", "Side: alpha"] in tips and ["Area record", "Side: alpha"] in tips
    assert "tip" not in siberia_map.TimeSlicedLayer(frame(), date="date").payload["events"]
    every = siberia_map.TimeSlicedLayer(frame(), date="date", tooltip=True)
    assert every.payload["events"]["tip"] == [["1854-03-02", "Side: alpha", "Title: Point record",
                                               "Description: first"]]
    first_two = siberia_map.TimeSlicedLayer(frame(), date="date", tooltip=2, popup=1)
    assert first_two.payload["events"]["tip"] == [["1854-03-02", "Side: alpha"]]
    assert columns.plain(first_two.payload, "events")["title"] == ["1854-03-02"]


def test_month_and_hidden_are_checked_and_passed_as_start_options():
    layer = siberia_map.TimeSlicedLayer(frame(), date="date", column="side", month="1854-05",
                                        hidden=["beta"])
    assert (layer.start_options["month"], layer.start_options["hidden"]) == ("1854-05", ["beta"])
    with pytest.raises(ValueError, match="month='1860-01': expected a month of the data, "
                                         "YYYY-MM from 1854-03 to 1854-08"):
        siberia_map.TimeSlicedLayer(frame(), date="date", month="1860-01")
    with pytest.raises(ValueError, match="hidden='gamma': not a group of the map; one of "
                                         "alpha, beta"):
        siberia_map.explore(frame(), date="date", column="side", hidden=["gamma"])
    with pytest.raises(TypeError, match="column= and group="):
        siberia_map.explore(frame(), date="date", column="side", group="title")


def test_explore_draws_on_the_map_given_and_returns_it():
    import folium

    m = folium.Map(location=[50, 10], zoom_start=5, tiles=None)
    folium.Marker([50, 10]).add_to(m)
    assert siberia_map.explore(frame(), date="date", m=m) is m
    html = m.get_root().render()
    assert "L.SiberiaMap.start(" + m.get_name() in html and "L.marker" in html


def test_dataset_geo_interface_is_its_records_and_explore_takes_it(dataset):
    ds = siberia_map.load(dataset)
    geo = ds.__geo_interface__
    assert geo["type"] == "FeatureCollection"
    assert [f["id"] for f in geo["features"]] == [*ds.events["id"], *ds.presence["id"]]
    us = next(f for f in geo["features"] if f["id"] == "e-us-landing")
    assert us["properties"]["first_month"] == "1918-08" and us["geometry"]["type"] == "Point"
    assert us["properties"]["contingents"] == ["usa"]
    import json
    json.dumps(geo, allow_nan=False)  # plain JSON: no NaN, no numpy values
    gdf = gpd.GeoDataFrame.from_features(geo, crs="EPSG:4326")
    assert len(gdf) == len(ds.events) + len(ds.presence)

    class Plain:  # not a GeoDataFrame: only the protocol
        __geo_interface__ = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": "x1", "geometry": {"type": "Point", "coordinates": [10, 50]},
             "properties": {"when": "1854-03", "kind": "a"}},
            {"type": "Feature", "id": "x2", "geometry": {"type": "Point", "coordinates": [11, 51]},
             "properties": {"when": "1854-05", "kind": "b"}}]}
    layer = siberia_map.TimeSlicedLayer(Plain(), date="when", column="kind")
    assert sorted(layer.payload["events"]["id"]) == ["x1", "x2"]
    assert siberia_map.explore(Plain(), date="when").get_name()


def test_dataset_preview_in_jupyter_escapes_the_data(dataset):
    ds = siberia_map.load(dataset)
    ds.meta["title"] = "<script>alert(1)</script>"
    html = ds._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "3 events, 3 presence records" in html and "August 1918" in html
    for name in ds.contingents["name"]:
        assert name in html


def test_render_and_explore_take_lang(dataset):
    ds = siberia_map.load(dataset)
    html = siberia_map.render(ds, lang="fr,en")
    assert '<html lang="fr">' in html
    assert "Natural Earth (intégré, hors ligne)" in html  # the base layers' names too
    with pytest.raises(ValueError, match="lang='xx'"):
        siberia_map.render(ds, lang="xx")
    gdf = gpd.GeoDataFrame({"date": ["1919-06"], "geometry": [Point(131.9, 43.1)]}, crs=4326)
    m = siberia_map.explore(gdf, date="date", lang=["ja"])
    layer = next(c for c in m._children.values() if type(c).__name__ == "TimeSlicedLayer")
    assert layer.payload["i18n"]["langs"] == ["ja"]

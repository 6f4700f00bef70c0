"""`siberia-map figure`: small multiples as PNG, SVG and PDF; bad months are refused."""

import struct

import pytest
from click.testing import CliRunner

from siberia_map.cli import main
from siberia_map.errors import DataError
from siberia_map.output.figure import figure
from siberia_map.model.join import prepare

PNG = b"\x89PNG\r\n\x1a\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == PNG
    return struct.unpack(">II", data[16:24])


def test_png_panels_at_200_dpi(dataset, tmp_path):
    out = tmp_path / "fig" / "months.png"
    result = run("figure", "--data", dataset, "--months", "1918-08, 1918-10,1919-07",
                 "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {out}"
    width, height = png_size(out)
    assert width == 1440  # 7.2 in at 200 dpi
    assert 400 < height < 3000
    assert b"Software" not in out.read_bytes()[:4096]  # no version string in the metadata


def test_svg_and_pdf_are_deterministic(dataset, tmp_path):
    ds = prepare(dataset)
    for suffix, magic in ((".svg", b"<?xml"), (".pdf", b"%PDF")):
        a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        figure(ds, ["1918-08", "1919-06"], a)
        figure(ds, ["1918-08", "1919-06"], b)
        assert a.read_bytes().startswith(magic)
        assert a.stat().st_size > 5000
        assert a.read_bytes() == b.read_bytes(), suffix


def test_svg_has_the_title_months_legend_and_scale(dataset, tmp_path):
    out = tmp_path / "f.svg"
    figure(prepare(dataset), ["1918-08", "1919-07"], out)
    text = out.read_text(encoding="utf-8")
    for words in ("A campaign, month by month", "August 1918", "July 1919", "United States",
                  "Japan", "Railway", "Event", " km", "Data: "):
        assert words in text, words
    assert "Date" not in text.split("<svg", 1)[0]


def test_single_month_and_a_basemap(make_dataset, tmp_path):
    land = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "Polygon", "coordinates": [[[60, 35], [150, 35], [150, 60],
                                                          [60, 60], [60, 35]]]}}]}
    root = make_dataset()
    (root / "basemap").mkdir()
    import json
    (root / "basemap" / "land.geojson").write_text(json.dumps(land), encoding="utf-8")
    out = tmp_path / "one.svg"
    result = run("figure", "--data", root, "--months", "1918-09", "--out", out)
    assert result.exit_code == 0, result.output
    assert "Natural Earth" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("months,bad", [("1917-12", "1917-12"), ("1918-08,1919-09", "1919-09"),
                                        ("1918-13", "1918-13"), ("August", "August")])
def test_a_month_outside_the_data_set_exits_2(dataset, tmp_path, months, bad):
    out = tmp_path / "x.png"
    result = run("figure", "--data", dataset, "--months", months, "--out", out)
    assert result.exit_code == 2
    assert f"--months: months='{bad}': a month between 1918-08 and 1919-08" in result.output
    assert not out.exists()


def test_an_unknown_suffix_and_no_months_are_refused(dataset, tmp_path):
    ds = prepare(dataset)
    with pytest.raises(DataError) as exc:
        figure(ds, [], tmp_path / "x.gif")
    text = str(exc.value)
    assert "at least one month" in text and "ending in .png, .svg or .pdf" in text


def test_key_towns_are_named_in_every_panel(dataset, tmp_path):
    out = tmp_path / "months.svg"
    figure(prepare(dataset), ["1918-08", "1918-10", "1919-07"], out)
    svg = out.read_text(encoding="utf-8")
    assert svg.count(">Vladivostok<") == 3  # labelled in the data; one per panel

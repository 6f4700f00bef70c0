"""`siberia-map animate`: the map as a GIF or a video, on a tiny inline campaign."""

import pytest
from click.testing import CliRunner

from conftest import write_csv, write_dataset
from siberia_map.cli import main

pytestmark = pytest.mark.browser

CHAPTERS = [
    {"id": "landing", "title": "The landing", "month": "1918-08", "view": "vladivostok;nikolsk",
     "contingents": "", "highlight": "", "text": "The Americans land.", "source": "test fixture"},
    {"id": "omsk", "title": "Omsk", "month": "1918-10", "view": "omsk", "contingents": "",
     "highlight": "", "text": "The British at Omsk.", "source": "test fixture"},
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = write_dataset(tmp_path_factory.mktemp("data"))
    write_csv(root / "story.csv", CHAPTERS)
    return root


def animate(data, out, *args):
    return CliRunner().invoke(main, ["animate", "--data", str(data), "--out", str(out), *args])


YEAR = ["--from", "1918-08", "--to", "1919-08", "--size", "640x480"]


@pytest.fixture(scope="module")
def year(data, tmp_path_factory):
    """(CLI output, path) of one GIF of 13 months, made once: each run starts a Chromium."""
    out = tmp_path_factory.mktemp("year") / "year.gif"
    result = animate(data, out, *YEAR)
    assert result.exit_code == 0, result.output
    return result.output, out


def test_a_gif_of_13_months_has_13_distinct_frames_of_the_size(year):
    from PIL import Image, ImageSequence

    output, out = year
    assert "wrote" in output and "13 frames of 640x480" in output
    with Image.open(out) as gif:
        frames = [f.convert("RGB").tobytes() for f in ImageSequence.Iterator(gif)]
        assert gif.size == (640, 480)
        assert gif.info["duration"] == 500  # the default 2 frames a second
    assert len(frames) == 13 and len(set(frames)) == 13


def test_the_same_input_gives_the_same_gif(data, year, tmp_path):
    again = tmp_path / "again.gif"
    result = animate(data, again, *YEAR)
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == year[1].read_bytes()


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_a_video_opens_with_the_expected_frame_count(data, tmp_path, suffix):
    import imageio_ffmpeg

    out = tmp_path / f"months{suffix}"
    result = animate(data, out, "--from", "1918-08", "--to", "1918-12", "--size", "640x480",
                     "--fps", "5")
    assert result.exit_code == 0, result.output
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    frames = list(reader)
    assert tuple(meta["size"]) == (640, 480) and meta["fps"] == pytest.approx(5)
    assert len(frames) == 5


def test_story_frames_are_the_chapters(data, tmp_path):
    from PIL import Image

    out = tmp_path / "story.gif"
    result = animate(data, out, "--story", "--size", "640x480")
    assert result.exit_code == 0, result.output
    assert "2 frames" in result.output and "landing to omsk" in result.output
    with Image.open(out) as gif:
        assert gif.n_frames == 2 and gif.info["duration"] == 4000


@pytest.mark.parametrize("args,message", [
    (["--from", "1919-05", "--to", "1918-09"], "--from 1919-05 is after --to 1918-09"),
    (["--from", "1900-01"], "--from 1900-01: not a month of this data set"),
    (["--to", "May 1919"], "--to May 1919: not a month of this data set"),
    (["--size", "big"], "--size 'big': expected WIDTHxHEIGHT"),
    (["--size", "20x20"], "--size 20x20: each side must be"),
    (["--fps", "0"], "--fps 0: expected more than 0"),
])
def test_bad_arguments_are_exit_2_with_one_clear_line(data, tmp_path, args, message):
    out = tmp_path / "x.gif"
    result = animate(data, out, *args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("siberia-map: ") and message in lines[0], lines
    assert not out.exists()


@pytest.mark.parametrize("name,message", [
    ("x.avi", "unknown format '.avi'; use .gif, .mp4 or .webm"),
    ("x", "unknown format '(no suffix)'"),
])
def test_an_unknown_format_is_exit_2(data, tmp_path, name, message):
    result = animate(data, tmp_path / name)
    assert result.exit_code == 2 and message in result.output


def test_story_without_a_story_file_is_exit_2(tmp_path):
    result = animate(write_dataset(tmp_path / "data"), tmp_path / "x.gif", "--story")
    assert result.exit_code == 2 and "this data set has no story.csv" in result.output


def test_an_existing_file_is_kept_when_the_arguments_are_bad(data, tmp_path):
    out = tmp_path / "keep.gif"
    out.write_bytes(b"old")
    assert animate(data, out, "--from", "1919-05", "--to", "1918-09").exit_code == 2
    assert out.read_bytes() == b"old"

"""`siberia-map synth`: valid, reproducible synthetic data sets over a real one's places."""

import calendar
import csv
import json
import random

import pytest
from click.testing import CliRunner

from conftest import EVENTS, PLACES
from siberia_map.data import timeline
from siberia_map.cli import main
from siberia_map.errors import DataError
from siberia_map.model.join import prepare
from siberia_map.synth import generate

FILES = ("places.geojson", "railways.geojson", "contingents.csv", "events.csv", "presence.csv",
         "dataset.json")


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_output_validates_and_counts_match(dataset, tmp_path):
    out = tmp_path / "synth"
    stats = generate(dataset, out, 60, seed=3)
    assert stats["events"] == 60 and stats["presence"] == 12
    ds = prepare(out)
    assert len(ds.events) == 60 and len(ds.presence) == 12
    assert ds.months[0] == "1918-08" and ds.months[-1] == "1922-10"
    assert len(set(ds.events["id"])) == 60
    # The source's places, railways and contingents are copied as they are.
    for name in ("places.geojson", "railways.geojson", "contingents.csv"):
        assert (out / name).read_bytes() == (dataset / name).read_bytes()


def test_mixes_where_and_date_forms(dataset, tmp_path):
    out = tmp_path / "synth"
    generate(dataset, out, 400, seed=1918)
    events = rows(out / "events.csv")
    wheres = [r["where"] for r in events]
    assert any(".." in w for w in wheres)  # railway stretches
    assert any(w in {p["properties"]["id"] for p in PLACES} for w in wheres)  # place ids
    assert any(w[:1].isupper() for w in wheres)  # place names
    dates = [r["date"] for r in events]
    for form in ("~", "/", "?"):
        assert any(form in d for d in dates), form
    assert any(len(d) == 7 and d[5:7] in ("21", "22", "23") for d in dates)  # seasons
    assert any(len(d) == 10 for d in dates) and any(len(d) == 7 for d in dates)
    assert {len(r["contingents"].split(";")) for r in events if r["contingents"]} >= {1, 2}
    assert all(r["title"] and r["description"] and r["source"] for r in events)


def test_same_seed_same_bytes_and_other_seed_differs(dataset, tmp_path):
    a, b, c = (tmp_path / x for x in "abc")
    generate(dataset, a, 50, seed=7)
    generate(dataset, b, 50, seed=7)
    generate(dataset, c, 50, seed=8)
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "events.csv").read_bytes() != (c / "events.csv").read_bytes()
    assert (a / "presence.csv").read_bytes() != (c / "presence.csv").read_bytes()


def test_cli_synth_then_build(dataset, tmp_path):
    out, html = tmp_path / "synth", tmp_path / "map.html"
    runner = CliRunner()
    result = runner.invoke(main, ["synth", "25", "--out", str(out), "--data", str(dataset),
                                  "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "events 25" in result.output and "presence 5" in result.output
    result = runner.invoke(main, ["build", "--data", str(out), "--out", str(html)])
    assert result.exit_code == 0, result.output
    assert "events 25, presence records 5" in result.output


def test_copies_the_basemap_and_bounds(make_dataset, tmp_path):
    src = make_dataset(meta={"title": "Fixture", "bounds": [[30, 60], [60, 150]]})
    (src / "basemap").mkdir()
    (src / "basemap" / "land.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    out = tmp_path / "synth"
    generate(src, out, 10)
    assert (out / "basemap" / "land.geojson").read_bytes() == (src / "basemap" / "land.geojson").read_bytes()
    assert json.loads((out / "dataset.json").read_text())["bounds"] == [[30, 60], [60, 150]]
    prepare(out)


def test_no_places_yet_is_a_clear_error(make_dataset, tmp_path):
    src = make_dataset(places=[], railways=[])
    with pytest.raises(DataError) as exc:
        generate(src, tmp_path / "synth", 10)
    assert "places.geojson" in str(exc.value) and "at least one place" in str(exc.value)
    assert not (tmp_path / "synth").exists()


def test_missing_source_and_bad_source_are_data_errors(make_dataset, tmp_path):
    with pytest.raises(DataError, match="a data set directory"):
        generate(tmp_path / "nowhere", tmp_path / "synth", 10)
    bad = [dict(p, properties=dict(p["properties"])) for p in PLACES]
    bad[0]["properties"]["id"] = "Not A Slug"
    src = make_dataset(places=bad)
    with pytest.raises(DataError, match="slug"):
        generate(src, tmp_path / "synth", 10)


def test_refuses_to_write_over_its_source(dataset):
    with pytest.raises(DataError, match="other than the source"):
        generate(dataset, dataset, 10)
    assert rows(dataset / "events.csv")[0]["id"] == EVENTS[0]["id"]


def test_without_railways_uses_places_only(make_dataset, tmp_path):
    src = make_dataset(railways=[])
    out = tmp_path / "synth"
    generate(src, out, 40)
    assert not any(".." in r["where"] for r in rows(out / "events.csv") + rows(out / "presence.csv"))
    prepare(out)


def test_fast_date_path_agrees_with_edtf():
    """timeline.parse reads plain dates itself (the edtf parser is slow); same bounds."""
    from edtf import parse_edtf

    rng = random.Random(1)

    def part():
        y = rng.choice([1900, 1918, 1919, 1920, 1922, rng.randint(1, 2200)])
        q = rng.choice(["", "", "~", "?", "%"])
        r = rng.random()
        if r < 0.2:
            return f"{y:04d}{q}"
        m = rng.choice([1, 2, 4, 6, 12, 0, 13, rng.randint(1, 12)])
        if r < 0.5:
            return f"{y:04d}-{m:02d}{q}"
        d = rng.choice([1, 28, 29, 30, 31, 0, 32, rng.randint(1, 31)])
        return f"{y:04d}-{m:02d}-{d:02d}{q}"

    hits = 0
    for _ in range(120):
        text = part() if rng.random() < 0.5 else part() + "/" + part()
        try:
            fast = timeline._simple_bounds(text)
        except timeline.DateProblem:  # a day its month lacks, which edtf would accept
            days = [tuple(map(int, p.rstrip("~?%").split("-"))) for p in text.split("/")]
            assert any(len(d) == 3 and 1 <= d[1] <= 12 and not 1 <= d[2] <=
                       calendar.monthrange(d[0], d[1])[1] for d in days), text
            continue
        if fast is None:
            continue
        hits += 1
        parsed = parse_edtf(text)
        assert fast == (tuple(parsed.lower_strict()[:3]), tuple(parsed.upper_strict()[:3])), text
    assert hits > 30


def test_the_largest_set_synth_writes_fits_the_loaders_limit(tmp_path):
    # Measured on the project's own data set, as the benchmarks use it: bytes per event
    # at 2,000 events, times MAX_EVENTS, with a 5 % margin for longer ids and dates.
    from siberia_map.data.load import MAX_FILE_BYTES
    from siberia_map.model.dataset import default_data
    from siberia_map.synth import MAX_EVENTS, check_n
    check_n(MAX_EVENTS)
    generate(default_data(), tmp_path / "s", 2000, seed=1918)
    per_event = (tmp_path / "s" / "events.csv").stat().st_size / 2000
    assert MAX_EVENTS * per_event * 1.05 < MAX_FILE_BYTES

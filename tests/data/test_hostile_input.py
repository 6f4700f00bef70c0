"""Hostile inputs: what is not RFC 8259 JSON, RFC 7946 GeoJSON or a plain CSV table, wrong
types, files that are not files, and a complete report when one file cannot be read.

Each case breaks one file of the fixture data set, runs `build` over an existing map and
asserts exit status 2, a problem line naming file, feature or row and field, no traceback,
and the old map byte-identical.
"""

from __future__ import annotations

import copy
import json
import os

import pytest
from click.testing import CliRunner

from conftest import CONTINGENTS, EVENTS, PLACES, PRESENCE
from siberia_map.cli import main

OLD = "<html>the old map</html>"


def build(root, tmp_path):
    out = tmp_path / "map.html"
    out.write_text(OLD)
    result = CliRunner().invoke(main, ["build", "--data", str(root), "--out", str(out)])
    assert "Traceback" not in result.output
    assert out.read_text() == OLD
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    return result


def places_text(**changes) -> str:
    """places.geojson with `changes` applied to the first feature (dotted keys)."""
    feats = copy.deepcopy(PLACES)
    for key, value in changes.items():
        target = feats[0]
        *path, last = key.split(".")
        for k in path:
            target = target[k]
        target[last] = value
    return json.dumps({"type": "FeatureCollection", "features": feats})


FIRST = "places.geojson, feature 0 (id=vladivostok)"
RAW = {  # places.geojson text -> expected fragments
    "NaN": (places_text().replace("131.8869", "NaN", 1),
            [FIRST, "geometry.coordinates[0]='NaN'", "not JSON"]),
    "Infinity Z": (places_text().replace("43.1155]", "43.1155, Infinity]", 1),
                   [FIRST, "geometry.coordinates[2]='Infinity'"]),
    "-Infinity": (places_text().replace("43.1155", "-Infinity", 1),
                  [FIRST, "geometry.coordinates[1]='-Infinity'"]),
    "overflowing float": (places_text().replace("43.1155", "1e400", 1),
                          [FIRST, "geometry.coordinates[1]='1e400'", "finite"]),
    "5,000-digit integer": (places_text(**{"properties.geonames_id": 1}).replace(
        '"geonames_id": 1', '"geonames_id": ' + "9" * 5000, 1),
        [FIRST, "properties.geonames_id=", "2^53"]),
    "lone surrogate": (places_text(**{"properties.note": "x"}).replace('"note": "x"',
                                                                       '"note": "a\\ud800b"'),
                       [FIRST, "properties.note=", "surrogate"]),
    "duplicate key": (places_text().replace('"kind": "city"', '"kind": "city", "kind": "port"',
                                            1), [FIRST, "properties.kind=", "each key once"]),
    "deep nesting": (places_text(**{"properties.note": "DEEP"}).replace(
        '"DEEP"', "[" * 80 + "]" * 80), [FIRST, "properties.note", "nested at most 64"]),
    "very deep nesting": ("[" * 100_000 + "]" * 100_000, ["places.geojson", "nested at most 64"]),
    "unclosed ring": (places_text(**{"geometry": {"type": "Polygon", "coordinates": [
        [[132, 44.6], [132.9, 44.6], [132.9, 45.3], [132, 45.3]]]}}),
        [FIRST, "geometry.coordinates[0]", "closed ring"]),
    "short ring": (places_text(**{"geometry": {"type": "Polygon", "coordinates": [
        [[132, 44.6], [132.9, 44.6], [132, 44.6]]]}}),
        [FIRST, "geometry.coordinates[0]", "4 or more positions"]),
    "text position": (places_text(**{"geometry.coordinates": ["131.9", 43.1]}),
                      [FIRST, "geometry.coordinates", "2 or 3 finite numbers"]),
    "boolean position": (places_text(**{"geometry.coordinates": [True, 43.1]}),
                         [FIRST, "geometry.coordinates", "2 or 3 finite numbers"]),
    "label as text": (places_text(**{"properties.label": "false"}),
                      [FIRST, "label='false'", "JSON boolean"]),
    "geonames_id as text": (places_text(**{"properties.geonames_id": "2013348"}),
                            [FIRST, "geonames_id='2013348'", "positive integer"]),
    "precision_km as boolean": (places_text(**{"properties.precision_km": True}),
                                [FIRST, "precision_km=True", "not true/false"]),
}


@pytest.mark.parametrize("case", sorted(RAW))
def test_not_strict_geojson_is_a_problem_naming_feature_and_field(dataset, tmp_path, case):
    text, fragments = RAW[case]
    (dataset / "places.geojson").write_text(text, encoding="utf-8")
    result = build(dataset, tmp_path)
    assert result.exit_code == 2, result.output
    assert any(all(f in line for f in fragments) for line in result.output.splitlines()), \
        result.output


@pytest.mark.parametrize("name, text, fragments", [
    ("dataset.json", '{"title": "t", "bounds": [[NaN, 1], [2, 3]]}',
     ["dataset.json: bounds[0][0]='NaN'"]),
    ("dataset.json", '{"title": "a", "title": "b"}', ["dataset.json: title=", "each key once"]),
    ("basemap/land.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
            [[60, 35], [150, 35], [150, 60], [60, 60]]]}}]}),
     ["basemap/land.geojson, feature 0: geometry.coordinates[0]", "closed ring"]),
    ("railways.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "x", "line": "l", "from": "vladivostok",
                                           "to": "nikolsk", "source": "s"},
         "geometry": {"type": "LineString", "coordinates": [[131.8869, 43.1155]]}}]}),
     ["railways.geojson, feature 0 (id=x): geometry.coordinates", "2 or more positions"]),
])
def test_other_json_files_are_strict_too(dataset, tmp_path, name, text, fragments):
    (dataset / name).parent.mkdir(exist_ok=True)
    (dataset / name).write_text(text, encoding="utf-8")
    result = build(dataset, tmp_path)
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)


# ------------------------------------------------------------------ CSV
def test_duplicated_and_empty_header_names_are_problems(dataset, tmp_path):
    text = (dataset / "contingents.csv").read_text(encoding="utf-8").splitlines()
    text[0] = text[0] + ",name,"
    (dataset / "contingents.csv").write_text("\n".join(line + ",x," if i else line
                                                       for i, line in enumerate(text)) + "\n")
    result = build(dataset, tmp_path)
    assert result.exit_code == 2, result.output
    assert "contingents.csv, row 1: header='name': each column once (columns 2 and 8" \
        in result.output
    assert "contingents.csv, row 1: header='column 9': a name for every column" in result.output


def test_a_large_field_is_read_up_to_the_limit_and_named_beyond_it(make_dataset, tmp_path):
    from siberia_map.data.strict import MAX_FIELD

    ok = [dict(EVENTS[0], description="x" * (MAX_FIELD - 10)), *EVENTS[1:]]
    root = make_dataset(events=ok)
    result = CliRunner().invoke(main, ["validate", "--data", str(root)])
    assert result.exit_code == 0, result.output[:500]
    too_big = [EVENTS[0], dict(EVENTS[1], description="x" * (5 * MAX_FIELD)), EVENTS[2]]
    root = make_dataset(events=too_big)
    result = build(root, tmp_path)
    assert result.exit_code == 2
    assert "events.csv, row 3: description='5,242,880 characters': at most 1,048,576 " \
        "characters in one field" in result.output


# ------------------------------------------------------------------ not a file
def _directory(path):
    path.unlink()
    path.mkdir()


def _fifo(path):
    path.unlink()
    os.mkfifo(path)


def _loop(path):
    path.unlink()
    os.symlink(path.name, path)


def _dangling(path):
    path.unlink()
    os.symlink("elsewhere.csv", path)


KINDS = {"directory": (_directory, "a regular file; this is a directory"),
         "FIFO": (_fifo, "a regular file; this is a FIFO (named pipe)"),
         "symlink loop": (_loop, "a readable file; it is a loop of symbolic links"),
         "dangling symlink": (_dangling, "a regular file; this is a symbolic link to a missing "
                                         "file ('elsewhere.csv')")}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", ["events.csv", "places.geojson"])
def test_a_file_that_is_not_a_file_is_named_as_such_and_others_still_checked(
        make_dataset, tmp_path, name, kind):
    make, expected = KINDS[kind]
    root = make_dataset(presence=[dict(PRESENCE[0], date="1918-13"), *PRESENCE[1:]])
    make(root / name)
    result = build(root, tmp_path)  # a FIFO would block a naive reader: this returns
    assert result.exit_code == 2, result.output
    assert any(line.startswith(f"  {name}: '/") and line.endswith(expected)
               for line in result.output.splitlines()), result.output
    assert "presence.csv, row 2: date='1918-13'" in result.output
    assert "missing" not in result.output or kind == "dangling symlink"


def test_an_unreadable_file_says_permission_denied(dataset, tmp_path, monkeypatch):
    import errno

    real = os.open

    def deny(path, flags, *a, **k):
        if str(path).endswith("contingents.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, flags, *a, **k)
    monkeypatch.setattr(os, "open", deny)
    result = build(dataset, tmp_path)
    assert result.exit_code == 2
    assert "contingents.csv: " in result.output and "permission denied" in result.output


# ------------------------------------------------------------------ a complete report
def test_one_unparsable_file_does_not_hide_the_others_problems(make_dataset, tmp_path):
    root = make_dataset(events=[dict(EVENTS[0], date="1918-13"), *EVENTS[1:]],
                        presence=[dict(PRESENCE[0], where="atlantis"), *PRESENCE[1:]])
    (root / "contingents.csv").write_text("id,name,side,colour,source\n\"unclosed,x\n")
    (root / "dataset.json").write_text("{not json")
    result = build(root, tmp_path)
    assert result.exit_code == 2
    out = result.output
    assert "events.csv, row 2: date='1918-13'" in out
    assert "presence.csv, row 2: where='atlantis'" in out
    assert "dataset.json, line 1" in out and "contingents.csv" in out
    # no consequence of the unreadable contingents.csv is reported as a mistake elsewhere
    assert "a contingent id from contingents.csv" not in out


def test_unreadable_places_hide_no_problem_of_their_own_kind_elsewhere(make_dataset, tmp_path):
    root = make_dataset(contingents=[dict(CONTINGENTS[0], colour="blue"), *CONTINGENTS[1:]])
    (root / "places.geojson").write_text('{"type": "FeatureCollection", "features": [')
    result = build(root, tmp_path)
    assert result.exit_code == 2
    assert "contingents.csv, row 2: colour='blue'" in result.output
    assert "places.geojson, line 1" in result.output
    assert "where=" not in result.output and "from=" not in result.output


def test_every_json_written_is_strict(dataset, tmp_path):
    from siberia_map.output.export import strict_json

    with pytest.raises(ValueError):
        strict_json({"x": float("inf")})
    for fmt, name in (("geojson", "a.geojson"), ("lpf", "a.json")):
        out = tmp_path / name
        result = CliRunner().invoke(main, ["export", "--data", str(dataset), "--format", fmt,
                                           "--out", str(out)])
        assert result.exit_code == 0, result.output
        json.loads(out.read_text(), parse_constant=lambda c: pytest.fail(c))



def test_report_lists_every_files_problems_too(make_dataset):
    root = make_dataset(events=[dict(EVENTS[0], date="1918-13"), *EVENTS[1:]])
    (root / "railways.geojson").write_text('{"type": "FeatureCollection", "features": [1e400]}')
    result = CliRunner().invoke(main, ["report", "--data", str(root)])
    assert result.exit_code == 2
    assert "railways.geojson, feature 0: '1e400': a finite number" in result.output
    assert "events.csv, row 2: date='1918-13'" in result.output
    assert "railway" not in result.output.replace("railways.geojson", "")  # no consequences


def test_control_characters_from_the_data_are_escaped_on_the_terminal(make_dataset):
    root = make_dataset(events=[dict(EVENTS[0], date="19\x1b[31m18\u202e"), *EVENTS[1:]])
    result = CliRunner().invoke(main, ["validate", "--data", str(root)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "19\\x1b[31m18\\u202e" in result.output


@pytest.mark.slow  # a child process
def test_a_full_standard_output_is_one_line(dataset):
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "siberia_map", "validate", "--data",
                               str(dataset)], stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("siberia-map: cannot write to standard output: the disk is "
                                   "full; free some space or write somewhere else")

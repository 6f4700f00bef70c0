"""The schema module against geodata/datapackage.json, and its id helper on tiny inputs."""

import json
import re
from pathlib import Path

import pytest

from siberia_map.data import schema
from siberia_map.errors import Problem

PACKAGE = json.loads((Path(__file__).parents[2] / "geodata" / "datapackage.json")
                     .read_text(encoding="utf-8"))
RESOURCES = {r["path"]: r for r in PACKAGE["resources"]}
TABLES = {**schema.REQUIRED_COLUMNS, **schema.OPTIONAL_COLUMNS}


def fields(path):
    return {f["name"]: f for f in RESOURCES[path]["schema"]["fields"]}


def constraint(path, name, key):
    return fields(path)[name].get("constraints", {}).get(key)


@pytest.mark.parametrize("path", sorted(TABLES))
def test_every_required_column_is_a_field_of_the_package(path):
    assert set(TABLES[path]) <= set(fields(path)), path


def test_the_storys_optional_range_column_is_a_field_of_the_package():
    assert constraint(schema.STORY, schema.STORY_FROM_MONTH, "pattern") == "^[0-9]{4}-[0-9]{2}$"
    assert not constraint(schema.STORY, schema.STORY_FROM_MONTH, "required")


@pytest.mark.parametrize("path,name", [(schema.CONTINGENTS, "id"), (schema.AUTHORITIES, "id"),
                                       (schema.STORY, "id"), (schema.SOURCES, "key")])
def test_slug_columns_use_the_one_pattern(path, name):
    assert constraint(path, name, "pattern") == schema.SLUG_PATTERN
    assert constraint(path, name, "unique") is True


@pytest.mark.parametrize("path", [schema.CONTINGENTS, schema.AUTHORITIES])
def test_sides_and_colours(path):
    assert tuple(constraint(path, "side", "enum")) == schema.SIDES
    assert constraint(path, "colour", "pattern") == schema.COLOUR_PATTERN


@pytest.mark.parametrize("path,name,values", [
    (schema.MOVEMENTS, "kind", schema.MOVEMENT_KINDS),
    (schema.SOURCES, "type", schema.SOURCE_TYPES),
])
def test_vocabularies(path, name, values):
    assert tuple(constraint(path, name, "enum")) == values


@pytest.mark.parametrize("path", [schema.EVENTS, schema.PRESENCE])
def test_exception_kinds(path):
    # `kind@date; kind@date`: the pattern names the schema's kinds, in its order, twice.
    pattern = constraint(path, "control", "pattern")
    kinds = "(" + "|".join(schema.EXCEPTION_KINDS) + ")"
    assert pattern == f"^{kinds}@[^;@ ]+(; *{kinds}@[^;@ ]+)*$"


def test_no_other_module_writes_its_own_slug_regex():
    root = Path(schema.__file__).parents[3]
    files = [*(root / "src").rglob("*.py"), *(root / "scripts").glob("*.py")]
    own = [str(f.relative_to(root)) for f in files
           if f.name != "schema.py" and re.search(r"\[a-z0-9\]\+", f.read_text(encoding="utf-8"))]
    assert own == []


@pytest.mark.parametrize("value,ok", [
    ("usa", True), ("us-army", True), ("27th_infantry", True), ("ward1920", True),
    ("", False), ("-usa", False), ("usa-", False), ("a--b", False), ("a_-b", False),
    ("Omsk", False), ("omsk\n", False), ("om sk", False), (None, False), (7, False),
])
def test_slug_and_its_message_agree(value, ok):
    assert schema.is_slug(value) is ok
    # The message describes exactly the rule: words of a-z/0-9, single '-' or '_' between.
    assert "single '-' or '_'" in schema.SLUG_MESSAGE


@pytest.mark.parametrize("text,ids", [("", []), (None, []), ("japan", ["japan"]),
                                      (" japan ; usa ;", ["japan", "usa"]), (";;", [])])
def test_split_ids(text, ids):
    assert schema.split_ids(text) == ids


def check(values, **kwargs):
    problems, seen = [], {}
    ok = [schema.check_id(problems, "t.csv", schema.row_at(i + 2), v, seen, **kwargs)
          for i, v in enumerate(values)]
    return ok, [str(p) for p in problems]


def test_check_id_reports_a_bad_slug_and_a_repeat_with_where_it_was_first():
    ok, problems = check(["usa", "Bad Id", "usa"])
    assert ok == [True, False, False]
    assert problems == [
        f"t.csv, row 3: id='Bad Id': {schema.SLUG_MESSAGE}",
        "t.csv, row 4: id='usa': a unique id (also t.csv row 2)",
    ]


def test_check_id_without_slug_takes_any_text_but_not_empty():
    ok, problems = check(["omsk--tatarskaya", "", "  "], slug=False, field="key")
    assert ok == [True, False, False]
    assert problems == ["t.csv, row 3: key='': a non-empty key",
                        "t.csv, row 4: key='  ': a non-empty key"]


def test_check_id_says_what_the_id_is_used_for():
    _, problems = check(["x y"], use="used in the link #story=ID")
    assert problems[0].endswith("; used in the link #story=ID")


@pytest.mark.parametrize("feature,where", [
    ({"properties": {"id": "omsk"}}, "feature 3 (id=omsk)"),
    ({"properties": {}}, "feature 3"),
    ({"properties": {"id": "\ud800"}}, "feature 3"),
    ([], "feature 3"),
])
def test_feature_at(feature, where):
    assert schema.feature_at(3, feature) == where


def test_one_of():
    assert schema.one_of(schema.SIDES) == "one of allied, white, red, other"
    assert str(Problem("a.csv", "row 2", "side", "blue", schema.one_of(schema.SIDES))) == \
        "a.csv, row 2: side='blue': one of allied, white, red, other"

"""The documentation against the code, in the style of sqlite-utils' test_docs.py: every CLI
option is in the README, every `window.siberiaMap` method in the README's table and in
docs/architecture.md, and every payload key in architecture.md's payload description."""

import re

import click
import pytest
from conftest import ROOT

from siberia_map.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
SITE = (ROOT / "src" / "siberia_map" / "static" / "SiberiaMap.js").read_text(encoding="utf-8")


# ------------------------------------------------------------------ CLI
def paragraphs_about(command: str) -> str:
    """The README's paragraphs and code lines that name `siberia-map COMMAND` or `COMMAND`."""
    blocks = re.split(r"\n\s*\n", README)
    lines = [line for block in blocks for line in block.splitlines()
             if f"siberia-map {command}" in line]
    about = [block for block in blocks if f"`{command}`" in block or f"`{command} " in block]
    return "\n".join(lines + about)


OPTIONS = [(name, opt) for name, cmd in sorted(main.commands.items()) for p in cmd.params
           if isinstance(p, click.Option) for opt in p.opts if opt.startswith("--")]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command):
    assert f"siberia-map {command}" in README


def test_data_is_documented_once_for_every_command():
    assert "Without `--data`, commands use the project's data set" in README


@pytest.mark.parametrize("command,option", [o for o in OPTIONS if o[1] != "--data"])
def test_every_option_is_in_the_readme_beside_its_command(command, option):
    assert re.search(re.escape(option) + r"\b", paragraphs_about(command)), \
        f"README says nothing of `siberia-map {command} {option}`"


# ------------------------------------------------------------------ window.siberiaMap
def api_methods() -> list[str]:
    body = SITE[SITE.index("function api("):SITE.index("function announceMonth(")]
    return re.findall(r"^\t{3}(\w+): function", body, re.M)


def readme_api_table() -> list[str]:
    section = README[README.index("## JavaScript API"):]
    section = section[:section.index("\n## ")]
    return re.findall(r"^\| `(\w+)\(", section, re.M)


def test_the_api_is_read_from_the_code():
    assert {"months", "setMonth", "visible", "controlAt"} <= set(api_methods())


@pytest.mark.parametrize("method", api_methods())
def test_every_api_method_is_documented(method):
    assert method in readme_api_table(), f"README's JavaScript API table lacks {method}()"
    assert f"`{method}(" in ARCHITECTURE, f"docs/architecture.md lacks `{method}(...)`"


def test_the_readme_table_lists_each_method_once_and_no_other():
    assert sorted(readme_api_table()) == sorted(api_methods())


# ------------------------------------------------------------------ payload
@pytest.fixture(scope="module")
def payload(shipped_payload):
    return shipped_payload


def documented_payload() -> str:
    start = ARCHITECTURE.index("```json", ARCHITECTURE.index("## "))
    return ARCHITECTURE[start:ARCHITECTURE.index("```\n", start + 7)]


def top_level_keys(text: str) -> list[str]:
    """The keys of the outermost object of a JSON-like text (brackets in strings skipped)."""
    keys, depth = [], 0
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"\s*(:)?|[\[{]|[\]}]', text):
        token = m.group(0)
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
        elif m.group(2) and depth == 1:
            keys.append(m.group(1))
    return keys


def test_top_level_keys_are_read_from_nested_text():
    assert top_level_keys('{"a": {"b": "x}"}, "c": ["{", "d: e"], "f": 1}') == ["a", "c", "f"]


def test_documented_top_level_keys_are_the_payloads(payload):
    assert sorted(top_level_keys(documented_payload())) == sorted(payload)


@pytest.mark.parametrize("table", ["events", "presence", "movements"])
def test_every_column_of_a_record_table_is_documented(payload, table):
    block = documented_payload()
    block = block[block.index(f'"{table}": {{'):]
    block = block[:block.index("}")]
    missing = [k for k in payload[table] if f'"{k}":' not in block]
    assert missing == [], f"docs/architecture.md's {table} lacks {missing}"


@pytest.mark.parametrize("key", ["contingents", "places", "story"])
def test_every_field_of_a_listed_object_is_documented(payload, key):
    block = documented_payload()
    block = block[block.index(f'"{key}": ['):]
    block = block[:block.index("}]")]
    missing = [k for k in payload[key][0] if f'"{k}":' not in block]
    assert missing == [], f"docs/architecture.md's {key} lacks {missing}"


# ------------------------------------------------------------------ Dataset
def dataset_tables():
    from siberia_map.model import dataset

    return {"movements": dataset.MOVEMENT_COLUMNS, "control": dataset.HOLD_COLUMNS,
            "authorities": dataset.AUTHORITY_COLUMNS, "territory": dataset.TERRITORY_COLUMNS,
            "sources": dataset.SOURCE_COLUMNS, "story": dataset.STORY_COLUMNS}


@pytest.mark.parametrize("table", sorted(dataset_tables()))
def test_every_dataset_column_is_documented(table):
    from siberia_map.model.dataset import Dataset

    section = ARCHITECTURE[ARCHITECTURE.index("## The Dataset"):]
    section = section[:section.index("\n## ")]
    row = next(line for line in section.splitlines() if line.startswith(f"| `{table}` "))
    doc = Dataset.__doc__
    entry = doc[doc.index(f"        {table}:"):]
    entry = entry[:re.search(r"\n        \w+(, \w+)*:", entry[1:]).start() + 1] \
        if re.search(r"\n        \w+(, \w+)*:", entry[1:]) else entry
    for column in dataset_tables()[table]:
        if column == "geometry":
            assert "geometry" in row and "geometry" in entry
            continue
        assert f"`{column}`" in row, f"architecture.md's Dataset table: {table} lacks {column}"
        assert f"`{column}`" in entry, f"Dataset's docstring: {table} lacks {column}"

"""The browser code's manifest: every file listed once, and listed after what it uses.

The page inlines `static/*.js` in the order of `static/manifest.json`. Each file adds its
classes and factories to `L.SiberiaMap` (`SM.Name = ...`); a file may only use names that
a file before it (or the file itself) defines, so the order is a dependency order and a
new file's place in it is checked here rather than found out in a browser.
"""

import json
import re
from pathlib import Path

import pytest

from siberia_map.output import assets

STATIC = Path(assets.__file__).parents[1] / "static"
MANIFEST = json.loads((STATIC / "manifest.json").read_text(encoding="utf-8"))
COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
NAME = r"(?:\bSM|\bL\.SiberiaMap)\.([A-Za-z_$][\w$]*)"


def code(name: str) -> str:
    return COMMENTS.sub("", (STATIC / name).read_text(encoding="utf-8"))


def defined(text: str) -> set[str]:
    return set(re.findall(NAME + r"\s*=(?!=)", text))


def used(text: str) -> set[str]:
    return set(re.findall(NAME, text))


def test_every_script_is_in_the_manifest_once():
    js = MANIFEST["js"]
    assert len(js) == len(set(js))
    assert set(js) == {p.name for p in STATIC.glob("*.js")}
    assert set(MANIFEST["css"]) == {p.name for p in STATIC.glob("*.css")}


@pytest.mark.parametrize("i,name", list(enumerate(MANIFEST["js"])))
def test_a_script_uses_only_what_it_or_an_earlier_script_defines(i, name):
    before = set().union(*(defined(code(n)) for n in MANIFEST["js"][:i + 1]))
    later = {n: defined(code(n)) for n in MANIFEST["js"][i + 1:]}
    missing = used(code(name)) - before
    where = {m: [n for n, names in later.items() if m in names] or "no file" for m in missing}
    assert not missing, f"{name} uses SM.{', SM.'.join(sorted(missing))} defined in {where}"


@pytest.mark.parametrize("text,names", [
    ("SM.Model = L.Class.extend({});", {"Model"}),
    ("L.SiberiaMap.util = {}; if (SM.x == 1) {}", {"util"}),
    ("// SM.Old = 1\n/* SM.Gone = 2 */", set()),
])
def test_definitions_are_read_from_code_not_comments(text, names):
    assert defined(COMMENTS.sub("", text)) == names

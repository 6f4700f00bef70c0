"""The languages of the page: which a file holds, and the interface strings of each.

Interface strings live in one JSON message catalogue per language, `static/i18n/<lang>.json`,
in the i18next v4 form (a flat object of keys; `{{name}}` for a value put in; a key that
counts has one entry per CLDR plural category of its language, `key_one`, `key_few`,
`key_many`, `key_other`). The browser's `I18n.js` reads the catalogues the payload carries
(through `tojson`, like all data); Python reads the same files for the few strings it writes
into the page itself (the base layers' names, the dates in words, see `dates.py`).

A file holds one or more languages: `lang="ru"` is Russian only, `lang="en,ru,fr"` those three
with the first as the page's own (its `<html lang>`, and what opens without a `#lang=` in the
link). The default, `DEFAULT`, holds all five with English first.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

LANGS = ("en", "ru", "fr", "cs", "ja")
DEFAULT = LANGS
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def parse(value) -> tuple[str, ...]:
    """`"ru"`, `"en,ru,fr"` or a list of codes as a tuple of distinct known codes, the page's
    own first; None gives `DEFAULT`. ValueError naming the value and the choices."""
    if value is None:
        return DEFAULT
    parts = value.split(",") if isinstance(value, str) else list(value)
    codes = [str(p).strip().lower() for p in parts]
    wrong = [c for c in codes if c not in LANGS]
    if not codes or wrong or any(not c for c in codes):
        raise ValueError(f"lang={value!r}: expected one or more of {', '.join(LANGS)} "
                         f"separated by commas (e.g. \"ru\" or \"en,ru,fr\")")
    return tuple(dict.fromkeys(codes))


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The interface strings of `lang`, as its catalogue file has them."""
    path = resources.files("siberia_map") / "static" / "i18n" / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def t(lang: str, key: str, **params) -> str:
    """The string `key` in `lang` with its `{{name}}` places filled in; English where the
    language lacks it (the catalogue tests keep that from happening)."""
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue("en")[key]
    return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), text)


def block(langs: tuple[str, ...]) -> dict:
    """The payload's `i18n` block: the page's own language, the languages held (in order)
    and their catalogues."""
    return {"lang": langs[0], "langs": list(langs),
            "messages": {code: catalogue(code) for code in langs}}

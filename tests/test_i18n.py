"""The interface catalogues: every language has every key (with each plural form its
language needs), no key goes unused, and `lang=` is parsed and refused as documented."""

import json
import re
from pathlib import Path

import pytest
from babel import Locale

from siberia_map import i18n
from siberia_map.output import payload

STATIC = Path(i18n.__file__).resolve().parent / "static"
SOURCES = sorted(STATIC.glob("*.js")) + sorted(Path(i18n.__file__).resolve().parent.rglob("*.py"))
PLURAL = re.compile(r"^(?P<base>.+)_(?:zero|one|two|few|many|other)$")


def _keys(lang):
    return set(json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8")))


def _bases(keys):
    """Plain keys, and the base of each plural key once."""
    return {(m.group("base") if (m := PLURAL.match(k)) else k) for k in keys}


def _plural_bases(keys):
    return {m.group("base") for k in keys if (m := PLURAL.match(k))}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_language_has_every_key(lang):
    english, own = _keys("en"), _keys(lang)
    assert _bases(own) == _bases(english)
    # Each counted string has the forms CLDR gives the language (Intl.PluralRules asks for
    # the same categories in the browser), and `other` always.
    forms = set(Locale.parse(lang).plural_form.tags) | {"other"}
    for base in _plural_bases(english):
        assert {f"{base}_{f}" for f in forms} <= own, (lang, base)
    placeholders = {k: set(re.findall(r"\{\{(\w+)\}\}", v)) for k, v in
                    json.loads((STATIC / "i18n" / f"{lang}.json").read_text("utf-8")).items()}
    for key, names in placeholders.items():
        base = PLURAL.match(key).group("base") + "_other" if PLURAL.match(key) else key
        english_names = set(re.findall(r"\{\{(\w+)\}\}", i18n.catalogue("en")[base]))
        # A count may be left out where the language says it in words (Japanese).
        assert names <= english_names and english_names - names <= {"count"}, (lang, key)


def test_no_key_is_unused():
    code = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    dynamic = set(re.findall(r"'([a-z]+\.)'(?: \+|,)", code))  # term('kind.', place.kind)
    unused = [k for k in _bases(_keys("en"))
              if f"'{k}'" not in code and f'"{k}"' not in code
              and not any(k.startswith(p) for p in dynamic)]
    assert unused == []


def test_every_key_used_is_in_the_catalogue():
    code = "\n".join(p.read_text(encoding="utf-8") for p in sorted(STATIC.glob("*.js")))
    used = set(re.findall(r"\b(?:util|SM\.util|SM\.i18n|this\._i18n)\.t\('([\w.]+\w)'", code))
    assert used and used <= _bases(_keys("en"))


@pytest.mark.parametrize("value,expected", [
    (None, ("en", "ru", "fr", "cs", "ja")),
    ("ru", ("ru",)),
    ("en,ru,fr", ("en", "ru", "fr")),
    (" JA , en ", ("ja", "en")),
    (["cs", "cs", "fr"], ("cs", "fr")),
])
def test_parse(value, expected):
    assert i18n.parse(value) == expected


@pytest.mark.parametrize("value", ["de", "en,,ru", "", "en,xx"])
def test_parse_refuses(value):
    with pytest.raises(ValueError, match="expected one or more of en, ru, fr, cs, ja"):
        i18n.parse(value)


def test_payload_holds_the_languages_asked_for(dataset):
    from siberia_map.model.join import prepare

    data = payload.build(prepare(dataset), ("ru", "en"))
    assert data["i18n"]["lang"] == "ru"
    assert data["i18n"]["langs"] == ["ru", "en"]
    assert set(data["i18n"]["messages"]) == {"ru", "en"}
    assert data["i18n"]["messages"]["ru"]["month.aria"] == "Месяц"

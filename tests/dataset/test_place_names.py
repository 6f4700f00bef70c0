"""The places' names in other languages: chosen from GeoNames by scripts/gazetteer_names.py
(checked here on inline records) and committed in geodata/places.geojson (checked there)."""

import json
import re
import sys

import pytest

from conftest import GEODATA, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from gazetteer_names import czech, names  # noqa: E402

PLACES = {f["properties"]["id"]: f["properties"] for f in
          json.loads((GEODATA / "places.geojson").read_text(encoding="utf-8"))["features"]}


@pytest.mark.parametrize("pid,name_ru", [
    ("novonikolaevsk", "Новониколаевск"),  # the 1918 name, not Новосибирск
    ("verkhneudinsk", "Верхнеудинск"),
    ("nikolsk", "Уссурийск"),  # GeoNames has no Никольск-Уссурийский: the modern name
    ("omsk", "Омск"),
    ("khabarovsk", "Хабаровск"),
])
def test_key_places_have_their_russian_name(pid, name_ru):
    assert PLACES[pid]["name_ru"] == name_ru


def test_every_name_is_in_its_script_and_cites_a_geonames_record():
    for pid, p in PLACES.items():
        if any(k.startswith("name_") for k in p):
            assert p.get("geonames_id"), pid
            assert f"GeoNames {p['geonames_id']}" in p["source"], pid
        if "name_ru" in p:
            assert re.fullmatch(r"[А-Яа-яЁё][А-Яа-яЁё \-]*", p["name_ru"]), pid
        if "name_ja" in p:
            assert re.search(r"[\u3040-\u30ff]", p["name_ja"]), pid
        if "name_zh" in p:
            assert re.fullmatch(r"[\u3400-\u4dbf\u4e00-\u9fff]+", p["name_zh"]), pid
        if "name_cs" in p:
            assert p["name_cs"] == czech(p["name_ru"]), pid


def test_names_are_chosen_by_script_and_likeness():
    record = {"name": "Novosibirsk", "alternatenames": [
        "Novosibirsk", "Новосибирск", "Новониколаевск", "Новосибирьскъ", "Новосибірськ",
        "Novosibirsk", "ノヴォシビルスク", "ノヴォシビルスク市", "新西伯利亚", "新西伯利亞"]}
    assert names(record, "Novonikolaevsk", "Novosibirsk") == {
        "name_ru": "Новониколаевск", "name_ja": "ノヴォシビルスク", "name_zh": "新西伯利亚"}
    # Without a spelling like the 1918 name, the modern one; Czech only as GeoNames has it.
    assert names({"name": "Chelyabinsk", "alternatenames": ["Челябинск", "Čeljabinsk"]},
                 "Chelyabinsk", "Chelyabinsk") == {"name_ru": "Челябинск", "name_cs": "Čeljabinsk"}
    assert names({"name": "Khabarovsk", "alternatenames": ["Хабаровськ", "Хабаровск"]},
                 "Khabarovsk", "Khabarovsk") == {"name_ru": "Хабаровск"}
    # Nothing near enough: no Russian name (a Yakut or Komi spelling is not taken).
    assert names({"name": "X", "alternatenames": ["Виль Сибиркар"]}, "Novonikolaevsk",
                 "Novosibirsk") == {}


@pytest.mark.parametrize("cyrillic,expected", [
    ("Челябинск", "Čeljabinsk"), ("Хабаровск", "Chabarovsk"), ("Екатеринбург", "Jekatěrinburg"),
    ("Благовещенск", "Blagověščensk"), ("Уссурийск", "Ussurijsk"), ("Улан-Удэ", "Ulan-Ude"),
])
def test_czech_transliteration(cyrillic, expected):
    assert czech(cyrillic) == expected

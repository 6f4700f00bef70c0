"""The rules of a valid data set, in one place: what an id looks like, the sides, the colours,
the columns every table needs and the closed vocabularies, with the words a problem uses.

`geodata/datapackage.json` describes the same rules for other tools (frictionless, QGIS);
`tests/data/test_schema.py` keeps the two in step. Every check in `data/`, `synth` and the
scripts imports from here instead of writing its own regex or list.

Problems name where they are in one style: `row_at(line)` for a CSV row ("row 5", the
file's line, the header being row 1), `feature_at(i, feature)` for a GeoJSON feature
("feature 3 (id=omsk)") and `line_at(line)` for a place in a text that could not be parsed
("line 7").
"""

from __future__ import annotations

import re

from ..errors import Problem

# An id used in links (#story=ID), CSS-safe keys and file names: lower-case words of a-z
# and 0-9 joined by single '-' or '_', so "us-army", "27th_infantry" and "ward1920" pass
# and "-x", "x-", "a--b", "Omsk" and "" do not.
SLUG_PATTERN = "[a-z0-9]+([-_][a-z0-9]+)*"
SLUG = re.compile(SLUG_PATTERN)
SLUG_MESSAGE = ("a slug: words of lower-case a-z and 0-9 joined by single '-' or '_' "
                "(e.g. us-army, ward1920)")

COLOUR_PATTERN = "#[0-9a-fA-F]{6}"
COLOUR = re.compile(COLOUR_PATTERN)
COLOUR_MESSAGE = "a colour #rrggbb"

# Who a contingent or authority fought for; allied and white share a camp against red.
SIDES = ("allied", "white", "red", "other")
# Why a record may stand, in the months of its own date, where the opposite camp held the
# place: the kinds of dated exception `kind@date` in events', presence's and movements'
# `control` column (see exceptions.py).
EXCEPTION_KINDS = ("raid", "partisans", "enclave", "truce", "negotiation", "evacuation",
                   "captivity", "transit")
MOVEMENT_KINDS = ("advance", "retreat", "transfer", "evacuation")
SOURCE_TYPES = ("primary", "scholarly", "reference", "wiki", "popular", "web copy")

# A place's names in other languages and scripts, each an optional property `name_<code>` of
# places.geojson (written by scripts/make_gazetteer.py from GeoNames): Russian (Cyrillic),
# Japanese, Chinese and Czech. A page in one of these languages labels the place with it.
PLACE_NAME_LANGS = ("ru", "ja", "zh", "cs")

PLACES = "places.geojson"
RAILWAYS = "railways.geojson"
DATASET = "dataset.json"
CONTINGENTS = "contingents.csv"
EVENTS = "events.csv"
PRESENCE = "presence.csv"
SOURCES = "sources.csv"
AUTHORITIES = "authorities.csv"
CONTROL = "control.csv"
GAPS = "gaps.csv"
MOVEMENTS = "movements.csv"
STORY = "story.csv"

# Columns a data set may add in an interface language (`title_ru`, `description_fr`, with the
# codes of i18n.py): the page in that language shows them instead of the column itself.
# dataset.json may likewise carry `title_ru`, `subtitle_ru` and `citation_ru`.
TRANSLATED_COLUMNS = {EVENTS: ("title", "description"), PRESENCE: ("note",),
                      CONTINGENTS: ("name",), STORY: ("title", "text")}
TRANSLATED_META = ("title", "subtitle", "citation")

# The columns a table's header must have (a value may still be empty unless a check says
# otherwise). The first three tables make a data set; the others switch a feature on.
REQUIRED_COLUMNS = {
    CONTINGENTS: ("id", "name", "side", "colour", "source"),
    EVENTS: ("id", "date", "where", "contingents", "kind", "title", "description", "source"),
    PRESENCE: ("contingent", "where", "date", "source"),
}
OPTIONAL_COLUMNS = {
    SOURCES: ("key", "type", "title"),
    AUTHORITIES: ("id", "name", "side", "colour", "source"),
    CONTROL: ("where", "date", "held_by", "contested", "source"),
    GAPS: ("contingent", "date", "note", "source"),
    MOVEMENTS: ("id", "contingent", "from", "to", "date", "kind", "source"),
    STORY: ("id", "title", "month", "view", "text", "source"),
}
# story.csv's optional column: the first month of a chapter that shows a range of months
# (`from_month`..`month`, the map's `#A..B`); empty or absent, the chapter shows its month.
STORY_FROM_MONTH = "from_month"


def one_of(values) -> str:
    """The expectation of a closed vocabulary: "one of allied, white, red, other"."""
    return "one of " + ", ".join(values)


def split_ids(text: str | None) -> list[str]:
    """'japan; usa;' -> ['japan', 'usa']: a list cell, ids separated by ';'."""
    return [p.strip() for p in (text or "").split(";") if p.strip()]


def is_slug(value: object) -> bool:
    return isinstance(value, str) and SLUG.fullmatch(value) is not None


def row_at(line: int) -> str:
    return f"row {line}"


def line_at(line: int) -> str:
    return f"line {line}"


def feature_at(i: int, feature: object) -> str:
    props = feature.get("properties") if isinstance(feature, dict) else None
    pid = props.get("id") if isinstance(props, dict) else None
    # An id with a lone surrogate (undecodable bytes) is left out: strict reports it.
    ok = isinstance(pid, str) and pid and not any(0xD800 <= ord(c) <= 0xDFFF for c in pid)
    return f"feature {i}" + (f" (id={pid})" if ok else "")


def check_id(problems: list[Problem], file: str, where: str, value: object,
             seen: dict[str, str], *, field: str = "id", slug: bool = True,
             use: str = "") -> bool:
    """Check one cell of an id column and remember it in `seen` (id -> "file row").

    With `slug`, the id must be a slug (`use` says what for, e.g. "used in the link
    #story=ID"); without, any non-empty text. An id already in `seen` is reported with
    where it was first used. Returns True when the id is good and new.
    """
    if slug and not is_slug(value):
        expected = SLUG_MESSAGE + (f"; {use}" if use else "")
        problems.append(Problem(file, where, field, value, expected))
        return False
    if not slug and (not isinstance(value, str) or not value.strip()):
        problems.append(Problem(file, where, field, value, f"a non-empty {field}"))
        return False
    if value in seen:
        problems.append(Problem(file, where, field, value,
                                f"a unique {field} (also {seen[value]})"))
        return False
    seen[value] = first_use(file, where)
    return True


def first_use(file: str, where: str) -> str:
    """What `check_id` remembers of an id's first use, to name it when the id comes again."""
    return f"{file} {where}" if where else file

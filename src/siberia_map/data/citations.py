"""The bibliography (`sources.csv`) and the citations in every record's `source`.

When a data set has a `sources.csv`, `source` is one or more citations `key: locator`
separated by `;`: the key names a bibliography row, the locator says where in that work
(chapter, section, document, date). A source's type says what it is: `primary`,
`scholarly`, `reference` (a published reference work), `wiki` (an open-edit encyclopaedia such
as Wikipedia), `popular` (popular books, magazines, sites, blogs, forums) or `web copy` (a
mirror or online copy of another work). Every record rests on at least one primary, scholarly
or reference work: wikis, popular sources and web copies may stand beside one, never alone (an
open-edit page can change under the citation, and no one answers for it).
Data sets without `sources.csv` keep free-text sources and none of this applies.

No table links to a site on the list of unauthorised copies (`sites.py`), with or without
`sources.csv`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import Problem
from . import sites
from .load import SOURCES, Table
from .schema import SOURCE_TYPES, check_id, is_slug, one_of

TYPES = SOURCE_TYPES
# Works no one answers for: cited beside a primary, scholarly or reference work, never alone.
WEAK = ("wiki", "popular", "web copy")
SOLID = ("primary", "scholarly", "reference")
FIELDS = ("key", "type", "author", "title", "year", "publisher", "url", "note")
SYNTAX = "citations 'key: locator' separated by ';' (e.g. 'ward1920: ch. IV; article: § Background')"


class CitationProblem(ValueError):
    """A `source` value is not a list of citations; the message says what was expected."""


@dataclass(frozen=True)
class Citation:
    key: str
    locator: str


def parse(text: str) -> tuple[Citation, ...]:
    """'ward1920: ch. IV; article: § Background' -> citations; CitationProblem if malformed."""
    return _parse((text or "").strip())


@lru_cache(maxsize=1 << 14)
def _parse(text: str) -> tuple[Citation, ...]:
    # Cached: large data sets repeat their citations (a raised error is not cached).
    if not text:
        raise CitationProblem(f"a source: {SYNTAX}")
    out = []
    for n, part in enumerate(text.split(";"), 1):
        part = part.strip()
        if not part:
            raise CitationProblem(f"{SYNTAX}; citation {n} is empty (a stray ';')")
        key, colon, locator = part.partition(":")
        key, locator = key.strip(), locator.strip()
        if not colon or not is_slug(key):
            raise CitationProblem(f"{SYNTAX}; citation {n} {part[:40]!r} does not start with "
                                  "a sources.csv key and ':'")
        if not locator:
            raise CitationProblem(f"{SYNTAX}; citation {n} ({key}) has an empty locator: say "
                                  "where in the work (chapter, section, document, date)")
        out.append(Citation(key, locator))
    return tuple(out)


def check_sources(table: Table, problems: list[Problem]) -> dict[str, dict]:
    """The bibliography's rows by key, after checking keys, types and titles."""
    sources: dict[str, dict] = {}
    seen: dict[str, str] = {}
    for i, row in enumerate(table.rows):
        where, key = table.where(i), row.get("key", "")
        if check_id(problems, SOURCES, where, key, seen, field="key"):
            sources[key] = row
        if row.get("type") not in TYPES:
            problems.append(Problem(SOURCES, where, "type", row.get("type"),
                                    one_of(TYPES)))
        if not row.get("title"):
            problems.append(Problem(SOURCES, where, "title", row.get("title"), "non-empty text"))
    return sources


def check_record(file: str, where: str, text: str, sources: dict[str, dict],
                 problems: list[Problem]) -> None:
    """One record's `source`: well-formed, every key known, not resting on weak works alone."""
    if not (text or "").strip():
        return  # each table's own check already asks for a source
    try:
        cites = parse(text)
    except CitationProblem as exc:
        problems.append(Problem(file, where, "source", text, str(exc)))
        return
    unknown = [c.key for c in cites if c.key not in sources]
    for key in dict.fromkeys(unknown):
        problems.append(Problem(file, where, "source", key, "a key from sources.csv "
                                f"(cited in {text[:60]!r})"))
    known = [c.key for c in cites if c.key in sources]
    if not known or len(known) != len(cites):
        return
    types = {k: sources[k].get("type") for k in known}
    # A bad type is sources.csv's problem, named there; judging the record on it would say
    # the same thing twice.
    if any(t not in TYPES for t in types.values()) or set(types.values()) & set(SOLID):
        return
    what = "; ".join(f"{k} is {_kind(t)}" for k, t in types.items())
    says = "it says" if len(types) == 1 else "they say"
    problems.append(Problem(file, where, "source", text, "at least one primary, scholarly or "
                            "reference work (a wiki, popular source or web copy never stands "
                            f"alone): {what}; cite the work behind what {says}"))


def _kind(source_type: str) -> str:
    return "a wiki" if source_type == "wiki" else f"only {source_type}"


def check_links(tables, problems: list[Problem]) -> None:
    """No cell of any table names a site on the list of unauthorised copies (sites.py)."""
    for table in tables:
        # A table's cells are text: one string per row keeps the scan's loop per row.
        if table is None or not sites.any_in("\n".join(row.values()) for row in table.rows):
            continue
        for i, row in enumerate(table.rows):
            if not sites.any_in(row.values()):
                continue
            for field, value in row.items():
                for host, site in sites.find(value if isinstance(value, str) else ""):
                    problems.append(Problem(table.name, table.where(i), field, host,
                                            UNAUTHORISED.format(site=site)))


def check_feature_links(files, feature_id, problems: list[Problem]) -> None:
    """No place or railway property names a site on the list of unauthorised copies;
    `feature_id(feature, i)` says which feature (validate's naming)."""
    for ff in files:
        for i, feat in enumerate(ff.features):
            props = feat.get("properties") if isinstance(feat, dict) else None
            for key, value in (props.items() if isinstance(props, dict) else ()):
                for host, site in sites.find(value if isinstance(value, str) else ""):
                    problems.append(Problem(ff.name, feature_id(feat, i), key, host,
                                            UNAUTHORISED.format(site=site)))


UNAUTHORISED = ("no link to an unauthorised copy ({site} is on the list in "
                "siberia_map/data/sites.py): cite the printed work (author, title, publisher, "
                "year, chapter or page) with no link, or link a lawful copy (the publisher, "
                "Project Gutenberg, HathiTrust, the Internet Archive's public-domain items, "
                "FRUS at history.state.gov)")


def check_tables(tables: list[Table], sources: dict[str, dict], problems: list[Problem]) -> None:
    for table in tables:
        if table is None:
            continue
        for i, row in enumerate(table.rows):
            check_record(table.name, table.where(i), row.get("source", ""), sources, problems)


def resolve(text: str, sources: dict[str, dict]) -> list[tuple[str, str]]:
    """(key, locator) of each citation whose key is known; [] for free text."""
    try:
        return [(c.key, c.locator) for c in parse(text) if c.key in sources]
    except CitationProblem:
        return []

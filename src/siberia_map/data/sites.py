"""Sites that host unauthorised copies of in-copyright books: the one list `validate` uses.

A data set never links to them, in `sources.csv` (url, note, any field) or in any other
table's text (a citation's locator, a note): cite the printed work instead (author, title,
publisher, year, chapter or page) and give no link, or link a lawful copy (the publisher,
Project Gutenberg, HathiTrust, the Internet Archive's public-domain items, official series
such as FRUS at history.state.gov).

A host matches an entry when it is the entry or one of its subdomains (`user.bibliboba.online`
matches `bibliboba.online`). Add a site here, with the reason in a comment, when one turns
up; geodata/README.md ("Sources") points here.
"""

from __future__ import annotations

import re
from functools import lru_cache

UNAUTHORISED_SITES = (
    # Russian-language online libraries serving in-copyright books without the publishers'
    # leave (books of 2003-2020 read there were cited by this project before issue 19).
    "rulit.me", "rulit.net", "libcat.ru", "loveread.me", "loveread.ec", "bibliboba.online",
    "readania.com", "chitka.online", "litmir.me", "litmir.club", "flibusta.is",
    "flibusta.site", "royallib.com", "readli.net", "avidreaders.ru", "e-reading.club",
    # A copy of The Free Dictionary's licensed Great Soviet Encyclopedia text.
    "newdu.com",
    # English-language "read free online" copies of in-copyright books.
    "bookreadfree.com", "readanybook.com", "novel22.net", "allfreenovel.com",
    # Shadow libraries.
    "libgen.is", "libgen.rs", "libgen.li", "libgen.st", "gen.lib.rus.ec", "z-lib.org",
    "z-lib.io", "1lib.sk", "singlelogin.re", "sci-hub.se", "sci-hub.ru", "sci-hub.st",
    "annas-archive.org", "annas-archive.se",
)

_SET = frozenset(UNAUTHORISED_SITES)
# A host name is a run of these characters with a dot followed by a letter or digit. One
# that can fall under a list entry ends with the entry's last label (then perhaps dots and
# hyphens, which are not part of it): the regular expression finds the end of each such
# run, at C speed from dot to dot, and only those runs are read back to their start. A
# railway stretch "omsk..taiga" in every row of a million-record table has a dot but no
# candidate.
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
_TLDS = sorted({site.rsplit(".", 1)[1] for site in UNAUTHORISED_SITES})
_CANDIDATE = re.compile(r"\.(?:" + "|".join(_TLDS) + r")[.\-]*(?![a-z0-9.\-])")
# What a host's dot and the character after it could be before the text is lowered:
# lowering never makes a dot, and turns an ASCII letter into an ASCII letter, so text without
# this has no host name to read, and is not lowered (lowering a long non-ASCII string
# allocates twelve bytes per character).
_MAYBE_DOT = re.compile(r"\.(?:[A-Za-z0-9]|[^\x00-\x7f])")
# any_in scans this many characters at a time: one string of a whole large table would
# cost its size several times over in memory.
CHUNK = 1 << 20


@lru_cache(maxsize=1 << 14)
def unauthorised_host(host: str) -> str | None:
    """The list entry `host` falls under (itself or a parent domain), or None."""
    labels = host.lower().strip(".").split(".")
    for k in range(len(labels) - 1):
        site = ".".join(labels[k:])
        if site in _SET:
            return site
    return None


def find(text: str) -> list[tuple[str, str]]:
    """(host, list entry) of each unauthorised site named in `text`, in order, once each: the
    site or a subdomain of it, with or without a scheme (not 'notrulit.me', 'rulit.media' or
    the mail address 'x@rulit.me')."""
    found: dict[str, str] = {}
    if not text or not _MAYBE_DOT.search(text):
        return []
    low = text.lower()
    for m in _CANDIDATE.finditer(low):
        start = m.start()
        while start > 0 and low[start - 1] in _HOST_CHARS:
            start -= 1
        if start > 0 and low[start - 1] in "@_":
            continue
        host = low[start:m.end()].strip(".-")
        site = unauthorised_host(host)
        if site is not None:
            found.setdefault(host, site)
    return list(found.items())


def any_in(texts) -> bool:
    """Whether any of `texts` names a listed site (scanned a chunk of them at a time)."""
    batch: list[str] = []
    size = 0
    for t in texts:
        if isinstance(t, str):
            batch.append(t)
            size += len(t)
            if size >= CHUNK:
                if find("\n".join(batch)):
                    return True
                batch, size = [], 0
    return bool(batch) and bool(find("\n".join(batch)))

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

# A host name anywhere in a text: a URL's host, or a bare 'host.tld/path' or 'host.tld'.
_HOST = re.compile(r"(?<![\w@.-])(?:[a-z][a-z0-9+.-]*://)?"
                   r"((?:[a-z0-9-]+\.)+[a-z]{2,})\.?(?=[/:\s,;)\]\"'?#]|$)", re.IGNORECASE)


def unauthorised_host(host: str) -> str | None:
    """The list entry `host` falls under, or None."""
    host = host.lower().rstrip(".")
    for site in UNAUTHORISED_SITES:
        if host == site or host.endswith("." + site):
            return site
    return None


def find(text: str) -> list[tuple[str, str]]:
    """(host, list entry) of each unauthorised site named in `text`, in order, once each."""
    found: dict[str, str] = {}
    for m in _HOST.finditer(text or ""):
        site = unauthorised_host(m.group(1))
        if site is not None:
            found.setdefault(m.group(1).lower(), site)
    return list(found.items())

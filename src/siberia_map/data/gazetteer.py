"""Resolve a `where` value: a place id, a railway stretch `a..b`, or a place name.

Shared by `validate` (to report what does not resolve) and `join` (to build geometry), so
both stages agree on what every `where` means. Stretches follow the railway network by the
shortest path over `railways.geojson`, never a straight chord between the two stations.
"""

from __future__ import annotations

import difflib
import heapq
import math
import unicodedata
from dataclasses import dataclass

STRETCH = ".."


def normalise(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: 'Nikolsk-Ussuriski' -> 'nikolsk ussuriski'."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


class WhereProblem(ValueError):
    """`where` does not resolve; the message says what was expected."""


@dataclass(frozen=True)
class Resolved:
    """A resolved `where`: a place id, or a stretch as the ordered list of segment steps."""

    kind: str  # "place" or "stretch"
    place: str | None = None
    steps: tuple[tuple[str, bool], ...] = ()  # (segment id, reversed?) in travel order
    start: str | None = None
    end: str | None = None


class Gazetteer:
    """Place ids, their names, and the railway graph between them.

    `places` maps id -> (name, [other names]); `segments` maps segment id ->
    (from id, to id, length in km).
    """

    def __init__(self, places: dict[str, tuple[str, list[str]]],
                 segments: dict[str, tuple[str, str, float]]):
        self.places = places
        self.segments = segments
        self.by_name: dict[str, list[str]] = {}
        for pid, (name, others) in places.items():
            for n in [pid, name, *others]:
                key = normalise(n)
                if key and pid not in self.by_name.setdefault(key, []):
                    self.by_name[key].append(pid)
        self._resolved: dict[str, Resolved] = {}
        self.graph: dict[str, list[tuple[str, str, bool, float]]] = {}
        for sid, (a, b, km) in segments.items():
            self.graph.setdefault(a, []).append((b, sid, False, km))
            self.graph.setdefault(b, []).append((a, sid, True, km))

    def resolve(self, where: str) -> Resolved:
        # Chronologies repeat their places: each distinct `where` is searched once.
        if where not in self._resolved:
            self._resolved[where] = self._resolve(where)
        return self._resolved[where]

    def _resolve(self, where: str) -> Resolved:
        where = (where or "").strip()
        if not where:
            raise WhereProblem("a place id, a railway stretch 'from_id..to_id' or a place name")
        if STRETCH in where:
            a, b = (self.place_id(p.strip()) for p in where.split(STRETCH, 1))
            return Resolved("stretch", steps=tuple(self.path(a, b)), start=a, end=b)
        return Resolved("place", place=self.place_id(where))

    def place_id(self, text: str) -> str:
        if text in self.places:
            return text
        ids = self.by_name.get(normalise(text), [])
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise WhereProblem(f"one place, but the name matches several ids: {', '.join(ids)}; "
                               "use the id")
        close = difflib.get_close_matches(normalise(text), list(self.by_name), n=3, cutoff=0.6)
        hint = "; closest known: " + ", ".join(
            repr(self.places[self.by_name[k][0]][0]) + f" ({self.by_name[k][0]})" for k in close
        ) if close else ""
        raise WhereProblem("a known place id or name" + hint)

    def path(self, start: str, end: str) -> list[tuple[str, bool]]:
        """Shortest path (km) along the railway from `start` to `end` as segment steps."""
        for pid in (start, end):
            if pid not in self.graph:
                raise WhereProblem(f"stations on the railway network; {pid!r} is on no railway "
                                   "segment")
        if start == end:
            raise WhereProblem("a stretch between two different stations")
        dist = {start: 0.0}
        back: dict[str, tuple[str, str, bool]] = {}
        queue = [(0.0, start)]
        while queue:
            d, node = heapq.heappop(queue)
            if node == end:
                break
            if d > dist[node]:
                continue
            for nxt, sid, rev, km in self.graph[node]:
                nd = d + km
                if nd < dist.get(nxt, math.inf):
                    dist[nxt] = nd
                    back[nxt] = (node, sid, rev)
                    heapq.heappush(queue, (nd, nxt))
        if end not in dist:
            raise WhereProblem(f"a stretch whose stations are connected by railway; no path from "
                               f"{start!r} to {end!r}")
        steps, node = [], end
        while node != start:
            prev, sid, rev = back[node]
            steps.append((sid, rev))
            node = prev
        return steps[::-1]


def line_km(coords) -> float:
    """Great-circle length of a lon/lat coordinate sequence, in km."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(coords, coords[1:]):
        p1, p2 = math.radians(y1), math.radians(y2)
        dl = math.radians(x2 - x1)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
    return total

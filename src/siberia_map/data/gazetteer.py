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
        found = shortest_path(
            lambda node: ((nxt, km, (sid, rev)) for nxt, sid, rev, km in self.graph[node]),
            start, end)
        if found is None:
            raise WhereProblem(f"a stretch whose stations are connected by railway; no path from "
                               f"{start!r} to {end!r}")
        return found.edges


@dataclass(frozen=True)
class Path:
    """A lightest path: `nodes` from start to end, `edges[i]` joining `nodes[i]` to
    `nodes[i + 1]`, and the summed `weight`."""

    nodes: list
    edges: list
    weight: float


def shortest_path(neighbours, start, end) -> Path | None:
    """Dijkstra's lightest path from `start` to `end`, or None when `end` cannot be reached.

    `neighbours(node)` yields `(next node, weight, edge)`; the edge (any value) is handed
    back in `Path.edges`. Nodes must be orderable: between equally far nodes the smaller is
    settled first, so every run finds the same path. Used by the railway stretches here and
    by the scripts (the railway check of make_gazetteer, the river routing of make_basemap).
    """
    dist = {start: 0.0}
    back: dict = {}
    queue = [(0.0, start)]
    while queue:
        d, node = heapq.heappop(queue)
        if node == end:
            break
        if d > dist[node]:
            continue
        for nxt, weight, edge in neighbours(node):
            nd = d + weight
            if nd < dist.get(nxt, math.inf):
                dist[nxt] = nd
                back[nxt] = (node, edge)
                heapq.heappush(queue, (nd, nxt))
    if end not in dist:
        return None
    nodes, edges = [end], []
    while nodes[-1] != start:
        prev, edge = back[nodes[-1]]
        nodes.append(prev)
        edges.append(edge)
    return Path(nodes[::-1], edges[::-1], dist[end])


def distance_km(a, b) -> float:
    """Great-circle (haversine) distance in km between two (lon, lat) points."""
    (x1, y1), (x2, y2) = a, b
    p1, p2 = math.radians(y1), math.radians(y2)
    dl = math.radians(x2 - x1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def line_km(coords) -> float:
    """Great-circle length of a lon/lat coordinate sequence, in km."""
    total = 0.0
    for a, b in zip(coords, coords[1:]):
        total += distance_km(a, b)
    return total

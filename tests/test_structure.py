"""The package's structure: no import cycles, and the railway graph built once per build."""

from __future__ import annotations

import ast
from pathlib import Path

from siberia_map import gazetteer
from siberia_map.join import prepare

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "siberia_map"


def top_level_imports(path: Path) -> set[str]:
    """Sibling modules a module imports when it is imported (not inside functions)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(a.name for a in node.names)
    return found


def test_no_module_imports_itself_through_others():
    graph = {p.stem: top_level_imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    cycles = []

    def visit(node, trail):
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt in graph:
                visit(nxt, trail + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []
    assert "export" not in graph["lpf"]  # lpf and export share plain.py instead


def test_validate_and_join_share_one_gazetteer_and_resolve_each_where_once(dataset,
                                                                           monkeypatch):
    built, resolved = [], []
    init, resolve = gazetteer.Gazetteer.__init__, gazetteer.Gazetteer._resolve

    def counting_init(self, *args, **kwargs):
        built.append(self)
        init(self, *args, **kwargs)

    def counting_resolve(self, where):
        resolved.append(where)
        return resolve(self, where)

    monkeypatch.setattr(gazetteer.Gazetteer, "__init__", counting_init)
    monkeypatch.setattr(gazetteer.Gazetteer, "_resolve", counting_resolve)
    ds = prepare(dataset)
    assert len(built) == 1
    assert sorted(resolved) == sorted(set(resolved))
    assert set(resolved) == set(ds.events["where"]) | set(ds.presence["where"])

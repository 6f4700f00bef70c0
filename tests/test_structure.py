"""The package's structure: no import cycles, and the railway graph built once per build."""

from __future__ import annotations

import ast
from pathlib import Path

from siberia_map.data import gazetteer
from siberia_map.model.join import prepare

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "siberia_map"


def top_level_imports(path: Path) -> set[str]:
    """Package modules a module imports when it is imported (not inside functions), as dotted
    names below `siberia_map` ("output.export")."""
    package = list(path.relative_to(PACKAGE).with_suffix("").parts[:-1])
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ImportFrom) or node.level < 1:
            continue
        base = package[:len(package) - (node.level - 1)]
        target = base + (node.module.split(".") if node.module else [])
        if PACKAGE.joinpath(*target).is_dir():
            found.update(".".join(target + [a.name]) for a in node.names)
        else:
            found.add(".".join(target))
    return found


def test_no_module_imports_itself_through_others():
    graph = {".".join(p.relative_to(PACKAGE).with_suffix("").parts): top_level_imports(p)
             for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
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
    assert "output.export" not in graph["output.lpf"]  # they share output/plain.py instead
    assert "output.payload" in graph["output.layer"]  # the graph sees across the folders


def test_the_folders_show_the_pipeline():
    """Reading and checking, the joined model, what the user gets: no folder of more than
    about fifteen modules, and no stage reaching back into a later one."""
    folders = {p.parent for p in PACKAGE.rglob("*.py")}
    for folder in folders:
        assert len(list(folder.glob("*.py"))) <= 16, folder
    graph = {".".join(p.relative_to(PACKAGE).with_suffix("").parts): top_level_imports(p)
             for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    order = {"data": 0, "model": 1, "output": 2}
    for mod, deps in graph.items():
        for dep in deps:
            a, b = mod.split(".")[0], dep.split(".")[0]
            if a in order and b in order:
                assert order[b] <= order[a], f"{mod} imports {dep}"


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

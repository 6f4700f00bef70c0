"""Time `validate` and `report` on a large synthetic chronology with every optional table.

    .venv/bin/python benchmarks/chronology.py [--events 100000] [--contingents 14]

Writes `siberia-map synth N` into benchmarks/.cache/chronology/N, adds a bibliography (every
record cites it), authorities, a control chronology covering every station in every month
(the network cut into stretches that change hands every few months) and gaps.csv rows, then
times load+validate and the `report` command. The checks must stay linear in the records:
the real data set has a few hundred records, synthetic ones 100,000.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import time
from pathlib import Path

from click.testing import CliRunner

from siberia_map.data import timeline
from siberia_map.cli import default_data, main
from siberia_map.data.load import load
from siberia_map.synth import generate
from siberia_map.data.validate import validate

HERE = Path(__file__).resolve().parent


def write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def retable(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    extra = [dict(r, **change(r, i)) for i, r in enumerate(rows)]
    write(path, extra)


def many_contingents(root: Path, n: int) -> None:
    """Replace the contingents by n allied ones and spread the records over them."""
    rows = [{"id": f"c{i:05d}", "name": f"Contingent {i}", "side": "allied",
             "colour": "#336699", "source": "article: infobox"} for i in range(n)]
    write(root / "contingents.csv", rows)
    retable(root / "events.csv", lambda r, i: {"contingents": f"c{i % n:05d}"})
    retable(root / "presence.csv", lambda r, i: {"contingent": f"c{(i * 7) % n:05d}"})
    if (root / "movements.csv").exists():
        retable(root / "movements.csv", lambda r, i: {"contingent": f"c{(i * 3) % n:05d}"})


def add_tables(root: Path, seed: int = 1918) -> None:
    rng = random.Random(seed)
    meta = json.loads((root / "dataset.json").read_text())
    first = timeline.parse_month_key(meta["first_month"])
    last = timeline.parse_month_key(meta["last_month"])
    write(root / "sources.csv", [
        {"key": "article", "type": "reference", "author": "", "title": "Siberian intervention",
         "year": "2026", "publisher": "Wikipedia", "url": "", "note": ""},
        {"key": "ward1920", "type": "primary", "author": "John Ward", "title": "With the "
         "Die-Hards in Siberia", "year": "1920", "publisher": "Cassell", "url": "", "note": ""}])
    for name in ("events.csv", "presence.csv", "contingents.csv", "movements.csv"):
        if (root / name).exists():
            retable(root / name, lambda r, i: {"source": f"ward1920: ch. {i % 20 + 1}; "
                                                         "article: § X"})
    write(root / "authorities.csv", [
        {"id": "zone", "name": "Allied zone", "side": "allied", "colour": "#0000aa", "note": "",
         "source": "article: § X"},
        {"id": "front", "name": "Front", "side": "white", "colour": "#aaaaaa", "note": "",
         "source": "article: § X"}])
    rail = json.loads((root / "railways.geojson").read_text())["features"]
    rows = []
    for feat in rail:
        p = feat["properties"]
        m = first
        while m <= last:
            end = min(last, m + rng.randint(2, 9))
            rows.append({"where": f"{p['from']}..{p['to']}",
                         "date": f"{timeline.month_key(m)}/{timeline.month_key(end)}",
                         "held_by": rng.choice(["zone", "front"]), "contested": "false",
                         "note": "", "source": "article: § X"})
            m = end + 1
    write(root / "control.csv", rows)
    with open(root / "contingents.csv", newline="", encoding="utf-8") as fh:
        ids = [r["id"] for r in csv.DictReader(fh)]
    write(root / "gaps.csv", [{"contingent": cid, "date": f"{meta['first_month']}/"
                               f"{meta['last_month']}", "note": "synthetic",
                               "source": "article: § X"} for cid in ids])


def main_(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--contingents", type=int, default=0, help="0: synth's own 14")
    args = ap.parse_args(argv)
    root = HERE / ".cache" / "chronology" / f"{args.events}-{args.contingents}"
    shutil.rmtree(root, ignore_errors=True)
    generate(default_data(), root, args.events)
    if args.contingents:
        many_contingents(root, args.contingents)
    add_tables(root)
    # CPU time: the machine these run on is shared, so wall time says more about the others.
    t0 = time.process_time()
    raw = load(root)
    t1 = time.process_time()
    problems = validate(raw)
    t2 = time.process_time()
    result = CliRunner().invoke(main, ["report", "--data", str(root)])
    t3 = time.process_time()
    print(f"events {args.events:,}, control rows {len(raw.control.rows):,}, "
          f"contingents {len(raw.contingents.rows):,}")
    print(f"CPU: load {t1 - t0:.2f} s, validate {t2 - t1:.2f} s ({len(problems):,} problems), "
          f"report (load+validate+join+report) {t3 - t2:.2f} s, exit {result.exit_code}")


if __name__ == "__main__":
    main_()

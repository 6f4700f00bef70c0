"""The README's presentation still: one frame of `siberia-map animate`, as a PNG.

    .venv/bin/python scripts/animate_still.py [--month 1919-06 | --chapter ID]
                                              [--size 1280x720] [--out docs/animate-still.png]

The frame is taken by the same code as `animate` (siberia_map.output.animate.capture: the
page in its presentation view, `#present`, in headless Chromium with the network off), so
the picture is exactly a frame of a GIF or video, before the GIF's colour reduction.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from siberia_map.api import load, render
    from siberia_map.output import animate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="1919-06")
    parser.add_argument("--chapter", default=None, help="a story chapter's id instead of a month")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "animate-still.png")
    args = parser.parse_args()
    ds = load(ROOT / "geodata")
    size = animate.parse_size(args.size)
    if args.chapter and args.chapter not in set(ds.story["id"]):
        sys.exit(f"--chapter {args.chapter}: no such chapter")
    if not args.chapter and args.month not in ds.months:
        sys.exit(f"--month {args.month}: not a month of the data set")
    plan = animate.Plan("gif", size, 1.0, bool(args.chapter), (args.chapter or args.month,))
    (shot,) = animate.capture(render(ds), plan)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(shot)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

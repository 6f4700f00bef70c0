"""Where a month step goes: `make bench`'s steps with one part of the page switched off at a time.

    python benchmarks/ablate.py FILE.html [--parts lanes,symbols] [--runs 2] [--paced]

Opens the map once per part and run (the page as built first, then each part off; the runs
interleaved, so that a machine busy for one is busy for all), times the same steps as run.py
(every month forward, then back, each right after the last one's frame; `--paced`: also
100 ms apart, as a reader steps) and prints each page's step `work`, median and p95, and
what switching the part off saved against the page as built. The parts are the switches of
ablate.js (`--list`). What a part saves is what it costs a step, as far as the rest does not
depend on it; steps vary by a millisecond or two from run to run, so take several runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import CHROMIUM, CHROMIUM_ARGS, METRICS_JS, READER_PAUSE_MS, VIEWPORT, step_order  # noqa: E402

SWITCHES_JS = HERE / "ablate.js"
AS_BUILT = "as built"


def switches(browser) -> list[str]:
    """The names of ablate.js's switches, in its order."""
    page = browser.new_page()
    try:
        page.evaluate(SWITCHES_JS.read_text(encoding="utf-8"))
        return page.evaluate("() => window.__ablateSwitches")
    finally:
        page.close()


def measure(browser, html: Path, off: list[str], paced: bool) -> dict:
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)[:300]))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:"))
               else r.abort())
    # (The month list comes from the page, once loaded: see below.)
    page.add_init_script(script=METRICS_JS.read_text(encoding="utf-8") +
                         "\nwindow.__bench.init('ours', [], []);\n" +
                         SWITCHES_JS.read_text(encoding="utf-8") +
                         f"\nwindow.__ablate = {json.dumps(off)};\n")
    try:
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=300_000)
        page.wait_for_function("() => window.siberiaMap && window.siberiaMap.months().length",
                               timeout=300_000)
        if errors:
            raise SystemExit(f"ablate: {html} with {off or 'nothing'} off: {errors[0]}")
        if not page.evaluate("() => window.__ablateInstalled"):
            raise SystemExit(f"ablate: {html}: the switches were not installed (no call to "
                             "L.SiberiaMap.start seen); nothing would be measured")
        page.wait_for_function("() => window.__bench.loaded === true", timeout=300_000, polling=100)
        months = page.evaluate("() => window.__bench.months = window.siberiaMap.months()")
        order = step_order(len(months))
        out = {"row": page.evaluate("o => window.__bench.measureSteps(o)", order)["work"]}
        if paced:
            out["paced"] = page.evaluate("([o, p]) => window.__bench.measureSteps(o, p)",
                                         [order, READER_PAUSE_MS])["work"]
        return out
    finally:
        page.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html", type=Path, nargs="?")
    ap.add_argument("--parts", help="comma-separated switches (default: all)")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--paced", action="store_true", help="also time steps at a reader's pace")
    ap.add_argument("--list", action="store_true", help="list the switches and stop")
    args = ap.parse_args(argv)
    if args.html is None and not args.list:
        ap.error("the map's HTML file is required")

    from playwright.sync_api import sync_playwright

    kinds = ["row", "paced"] if args.paced else ["row"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            known = switches(browser)
            if args.list:
                print("\n".join(known))
                return
            parts = args.parts.split(",") if args.parts else known
            unknown = [p for p in parts if p not in known]
            if unknown:
                ap.error(f"no switch {', '.join(unknown)} (there are: {', '.join(known)})")
            got: dict[str, dict[str, list[dict]]] = {p: {k: [] for k in kinds} for p in [AS_BUILT] + parts}
            for _ in range(args.runs):
                for part in [AS_BUILT] + parts:
                    m = measure(browser, args.html, [] if part == AS_BUILT else [part], args.paced)
                    for k in kinds:
                        got[part][k].append(m[k])
        finally:
            browser.close()
    print(report(got, kinds))


def report(got: dict, kinds: list[str]) -> str:
    """A table: per page, each run's median / p95 and the mean saving against the page as
    built, per kind of step."""
    label = {"row": "in a row", "paced": f"{READER_PAUSE_MS} ms apart"}
    head = "| off | " + " | ".join(f"{label[k]}: median / p95 per run | saves (median, p95)" for k in kinds) + " |"
    lines = [head, "|" + " --- |" * (1 + 2 * len(kinds))]
    for part, runs in got.items():
        cells = []
        for k in kinds:
            cells.append(", ".join(f"{r['median']:.1f} / {r['p95']:.1f}" for r in runs[k]))
            if part == AS_BUILT:
                cells.append("")
                continue
            base = got[AS_BUILT][k]
            saves = [statistics.mean(b[q] for b in base) - statistics.mean(r[q] for r in runs[k])
                     for q in ("median", "p95")]
            cells.append(f"{saves[0]:+.1f}, {saves[1]:+.1f}")
        lines.append(f"| {part} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

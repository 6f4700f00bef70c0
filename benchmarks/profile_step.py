"""Where a month step of our map spends its time: a CPU profile of stepping in Chromium.

    python benchmarks/profile_step.py FILE.html [--steps 50] [--top 25] [--toggle]
                                                [--months 1918-08..1919-06]

Opens the map (offline), starts the V8 sampling profiler through CDP, steps forward through
the months with `window.siberiaMap.setMonth` (each step waits for its painted frame, as in
run.py), stops, and prints the functions with the most self time and the most total time
(by script file and line), plus the share spent outside JS (style, layout, paint, GC are
"(program)" / "(garbage collector)").
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import CHROMIUM, CHROMIUM_ARGS, METRICS_JS, VIEWPORT  # noqa: E402

from siberia_map.data import timeline  # noqa: E402
from siberia_map.errors import ArgumentError  # noqa: E402
from siberia_map.model import window  # noqa: E402

STEP_JS = """async ([n, toggle, months]) => {
  const ids = window.siberiaMap.contingents().map(c => c.id);
  for (let k = 1; k <= n; k++) {
    await window.__bench.frame();
    if (toggle) { window.siberiaMap.setContingentVisible(ids[k % ids.length], k % 2 === 0); }
    else { window.siberiaMap.setMonth(months[k % months.length]); }
    await window.__bench.frame();
  }
}"""


def month_cycle(months: list[str], text: str = "") -> list[str]:
    """The months to step through, in turn: those of the window `text` (written as the map's
    address writes one: `1918-08..1919-05`, `..1919-05` or one month; all of them when
    empty), then back, so that each step leaves a month just drawn. `months` is the map's
    slider, month after month. ArgumentError naming the window otherwise."""
    a, b = 0, len(months) - 1
    if text:
        first = timeline.parse_month_key(months[0])
        start, end = window.parse("--months", text, first, timeline.parse_month_key(months[-1]))
        a, b = start - first, end - first
    return months[a:b + 1] + months[a + 1:b][::-1]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--toggle", action="store_true", help="profile contingent toggles instead")
    ap.add_argument("--trace", action="store_true",
                    help="trace the steps instead (CDP tracing): the main thread's time by "
                         "event (style, layout, paint...), and how much of the page each "
                         "style recalculation and layout touched")
    ap.add_argument("--months", default="",
                    help="A..B, ..B or one month (YYYY-MM, as the map's address writes a "
                         "window): step back and forth within these months only, e.g. a data "
                         "set's busiest")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                   else r.abort())
        page.add_init_script(script=METRICS_JS.read_text(encoding="utf-8"))
        page.goto(args.html.resolve().as_uri(), wait_until="load", timeout=300_000)
        page.wait_for_function("() => window.siberiaMap && window.siberiaMap.months().length",
                               timeout=300_000)
        try:
            cycle = month_cycle(page.evaluate("() => window.siberiaMap.months()"), args.months)
        except ArgumentError as e:
            raise SystemExit(str(e)) from None
        if args.trace:
            browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
            page.evaluate(STEP_JS, [args.steps, args.toggle, cycle])
            trace = browser.stop_tracing()
            browser.close()
            _print_trace(trace, args.steps, args.top)
            return
        cdp = page.context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        page.evaluate(STEP_JS, [args.steps, args.toggle, cycle])
        profile = cdp.send("Profiler.stop")["profile"]
        browser.close()

    where = _inline_sources(args.html)
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    deltas = profile["timeDeltas"]
    self_ms: dict[str, float] = defaultdict(float)
    total_ms: dict[str, float] = defaultdict(float)
    for sample, delta in zip(profile["samples"], deltas[1:] + [0]):
        ms = delta / 1000
        node = nodes[sample]
        self_ms[_name(node, where)] += ms
        seen, nid = set(), sample
        while nid is not None:
            key = _name(nodes[nid], where)
            if key not in seen:
                total_ms[key] += ms
                seen.add(key)
            nid = parent.get(nid)
    whole = sum(self_ms.values())
    print(f"profiled {args.steps} {'toggles' if args.toggle else 'steps'}: {whole:.0f} ms sampled, "
          f"{whole / args.steps:.1f} ms per step (incl. idle)")
    for title, table in (("self time", self_ms), ("total time", total_ms)):
        print(f"\ntop {args.top} by {title} (ms per step):")
        for key, ms in sorted(table.items(), key=lambda kv: -kv[1])[: args.top]:
            print(f"  {ms / args.steps:8.2f}  {key}")


TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink",
                    "cc", "gpu"]


def _print_trace(raw: bytes, steps: int, top: int) -> None:
    """Exclusive time per trace event name on the renderer's main thread, per step."""
    import json

    events = json.loads(raw)
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name"
            and e["args"].get("name") == "CrRendererMain"}
    spans = sorted(((e["ts"], e["ts"] + e.get("dur", 0), e["name"], e) for e in events
                    if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X"),
                   key=lambda s: (s[0], -s[1]))
    self_us: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    stack: list[list] = []  # open spans: [start, end, name, time not in a child]
    for start, end, name, _ in spans:
        count[name] += 1
        while stack and stack[-1][1] <= start:
            done = stack.pop()
            self_us[done[2]] += done[3]
        if stack:
            stack[-1][3] -= min(end, stack[-1][1]) - start
        stack.append([start, end, name, end - start])
    while stack:
        done = stack.pop()
        self_us[done[2]] += done[3]
    print(f"traced {steps} steps on the main thread, exclusive ms per step:")
    for name, us in sorted(self_us.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {us / 1000 / steps:8.2f}  {name} (x{count[name] / steps:.1f})")
    print("\nstyle and layout: elements restyled / objects laid out per step")
    restyled = [e["args"].get("elementCount", 0) for e in events
                if e.get("name") == "UpdateLayoutTree" and (e.get("pid"), e.get("tid")) in main
                and e.get("ph") == "X" and isinstance(e.get("args"), dict)]
    laid = [(e["args"].get("beginData", {}).get("dirtyObjects", 0),
             e["args"].get("beginData", {}).get("totalObjects", 0)) for e in events
            if e.get("name") == "Layout" and (e.get("pid"), e.get("tid")) in main
            and e.get("ph") in ("X", "B")]
    print(f"  restyled {sum(restyled) / steps:.0f} elements per step; layout "
          f"{sum(d for d, _ in laid) / steps:.0f} dirty of "
          f"{max((t for _, t in laid), default=0)} objects per step ({len(laid) / steps:.1f} "
          f"layouts)")


def _name(node, inline) -> str:
    f = node["callFrame"]
    url, line = f.get("url", ""), f.get("lineNumber", 0) + 1
    loc = ""
    if url:
        loc = f"{Path(url).name}:{line}"
        for start, end, name in inline:
            if start <= line <= end:
                loc = f"{name}:{line - start + 1}"
                break
    return f"{f.get('functionName') or '(anonymous)'} {loc}".strip()


def _inline_sources(html: Path) -> list[tuple[int, int, str]]:
    """(first line, last line, file name) of each inlined script of ours or Leaflet's."""
    import re

    text = html.read_text(encoding="utf-8")
    static = Path(__file__).resolve().parents[1] / "src" / "siberia_map" / "static"
    heads = {}
    for f in static.glob("*.js"):
        lines = [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
        if lines:
            heads["\n".join(lines[:3])] = f.name
    out = []
    for m in re.finditer(r"<script>(.*?)</script>", text, re.S):
        body = m.group(1)
        start = text.count("\n", 0, m.start(1)) + 1
        end = start + body.count("\n")
        first = "\n".join([ln for ln in body.splitlines() if ln.strip()][:3])
        name = heads.get(first) or ("leaflet.js" if "Leaflet" in body[:400] else None)
        if name:
            out.append((start, end, name))
    return out


if __name__ == "__main__":
    main()

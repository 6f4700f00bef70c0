"""Benchmark siberia-map against folium's TimestampedGeoJson and Timeline plugins.

    python benchmarks/run.py [--sizes 100,1000,10000,100000] [--quick] [--peer-max N]

For each size N: write a synthetic data set with `siberia-map synth N`, build it with
`siberia-map build` and with each folium peer (benchmarks/peers.py), all as whole timed
processes, then open every HTML file in headless Chromium (offline: peer CDN links are
served from npm packages in benchmarks/.cache/) and measure load, month steps, contingent
toggles and JS heap, and check the drawn record counts against the data. Prints a table
and writes benchmarks/results/<date>-<host>.json. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import peers  # noqa: E402

WORK = peers.CACHE / "work"
RESULTS = HERE / "results"
METRICS_JS = HERE / "browser_metrics.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 860}
TOOLS = {"siberia-map": "ours", "folium-timestamped": "timestamped",
         "folium-timeline": "timeline"}
DEFAULT_SIZES = (100, 1000, 10000, 100000)
QUICK_SIZES = (100, 1000)
GOALS = (
    # (size, tool metric, comparison, limit, description)
    (10000, "step_work_p95_ms", "<=", 17, "step p95 <= 17 ms (fits a 60 Hz frame)"),
    (10000, "html_vs_timeline", "<=", 0.5, "HTML <= half of folium Timeline's"),
    (10000, "load_ms", "<=", 1000, "load <= 1 s"),
    (100000, "build_s", "<=", 10, "build <= 10 s"),
    (100000, "load_ms", "<=", 4000, "load <= 4 s"),
    (100000, "step_work_p95_ms", "<=", 50, "step p95 <= 50 ms"),
)


def siberia_map_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("siberia-map")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "siberia_map"]


def timed(cmd: list[str], timeout: float = 1800) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"failed ({out.returncode}): {' '.join(cmd)}\n{out.stdout}\n{out.stderr}")
    return seconds, out.stdout


# --- what the data says each month should show ---------------------------------------

def month_span(data_dir: Path) -> list[str]:
    meta = json.loads((data_dir / "dataset.json").read_text(encoding="utf-8"))
    y0, m0 = map(int, meta["first_month"].split("-"))
    y1, m1 = map(int, meta["last_month"].split("-"))
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(y0 * 12 + m0 - 1, y1 * 12 + m1)]


def expected_counts(data_dir: Path, months: list[str]) -> list[int]:
    """Records per month bucket, straight from the CSVs: every record is shown in each month
    its EDTF interval touches (events with no contingent too; all contingents shown)."""
    from siberia_map.data import timeline

    first = timeline.parse_month_key(months[0])
    counts = [0] * len(months)
    for name in ("events.csv", "presence.csv"):
        with open(data_dir / name, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                span = timeline.parse(row["date"])
                for m in range(max(span.first_month, first),
                               min(span.last_month, first + len(months) - 1) + 1):
                    counts[m - first] += 1
    return counts


def month_starts_ms(months: list[str]) -> list[int]:
    return [calendar.timegm((int(k[:4]), int(k[5:]), 1, 0, 0, 0)) * 1000 for k in months]


# --- the browser -------------------------------------------------------------------------

def measure(browser, tool: str, html: Path, months: list[str], expected: list[int],
            warm_up: bool = False) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors, console_errors, blocked, served, stubbed = [], [], [], [], []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            r.continue_()
            return
        found = peers.resolve(url)
        if found is None:
            blocked.append(url)
            r.abort()
            return
        body, ctype = found
        (served if body else stubbed).append((url, len(body)))
        r.fulfill(status=200, body=body, content_type=ctype,
                  headers={"Access-Control-Allow-Origin": "*"})

    context.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)[:300]))
    page.on("console", lambda m: console_errors.append(m.text[:300]) if m.type == "error" else None)
    init = (METRICS_JS.read_text(encoding="utf-8") +
            f"\nwindow.__bench.init({json.dumps(tool)}, {json.dumps(months)}, "
            f"{json.dumps(month_starts_ms(months))});\n")
    page.add_init_script(script=init)
    cdp = context.new_cdp_session(page)
    try:
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=300_000)
        page.wait_for_function("() => window.__bench && window.__bench.loaded === true",
                               timeout=300_000, polling=100)
        info = page.evaluate("() => window.__bench.info()")
        if warm_up:
            return info
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("Performance.enable")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        # Every month forward from the first, then back: 2 * (months - 1) steps.
        order = list(range(1, len(months))) + list(range(len(months) - 2, -1, -1))
        steps = page.evaluate("order => window.__bench.measureSteps(order)", order)
        busiest = max(range(len(months)), key=lambda i: expected[i])
        toggles = page.evaluate("([m, r]) => window.__bench.measureToggles(m, r)", [busiest, 1])
        counts = page.evaluate("n => window.__bench.countPerMonth(n)", len(months))
    finally:
        context.close()
    mismatches = [{"month": months[i], "drawn": c, "expected": e}
                  for i, (c, e) in enumerate(zip(counts, expected)) if c != e]
    return {
        "load_ms": _r(info["loadMs"], 1),
        "load_event_ms": _r(info["loadEventMs"], 1),
        "dom_content_loaded_ms": _r(info["domContentLoadedMs"], 1),
        "heap_mb": _r(metrics.get("JSHeapUsedSize", 0) / 2**20, 1),
        "time_steps_as_shipped": info["steps"],
        "time_steps_first_last": [info["stepLabels"][0], info["stepLabels"][-1]] if info["stepLabels"] else [],
        "step_ms": _dist(steps),
        "toggle_ms": _dist(toggles) if toggles else None,
        "visible_months_matching": f"{len(months) - len(mismatches)}/{len(months)}",
        "visible_mismatches": mismatches[:5],
        "page_errors": errors[:5],
        "console_errors": console_errors[:5],
        "requests_blocked": sorted(set(blocked)),
        "requests_served_from_npm": len(set(served)),
        "requests_served_bytes": sum(dict(served).values()),
        "requests_stubbed_empty": len(set(stubbed)),
    }


def _dist(d: dict) -> dict:
    return {kind: {k: (_r(v, 2) if k != "n" else v) for k, v in d[kind].items()}
            for kind in ("work", "wall", "js")}


def _r(v, digits):
    return None if v is None else round(float(v), digits)


# --- the run -----------------------------------------------------------------------------

def run_size(n: int, args, browser, log) -> dict:
    work = WORK / str(n)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    data = work / "data"
    synth_s, _ = timed(siberia_map_cmd() + ["synth", str(n), "--out", str(data), "--seed",
                                             str(args.seed), "--data", str(args.data)])
    events = sum(1 for _ in open(data / "events.csv", encoding="utf-8")) - 1
    presence = sum(1 for _ in open(data / "presence.csv", encoding="utf-8")) - 1
    months = month_span(data)
    expected = expected_counts(data, months)
    log(f"N={n:,}: synth {synth_s:.1f} s ({events:,} events, {presence:,} presence records, "
        f"{len(months)} months, busiest month {max(expected):,} records)")
    result = {"n": n, "events": events, "presence": presence, "months": len(months),
              "synth_s": _r(synth_s, 2), "expected_max_per_month": max(expected),
              "expected_mean_per_month": _r(sum(expected) / len(expected), 1), "tools": {}}
    for name, tool in TOOLS.items():
        if tool != "ours" and n > args.peer_max:
            result["tools"][name] = {"skipped": f"peers run up to N={args.peer_max:,} (--peer-max)"}
            continue
        html = work / f"{name}.html"
        if tool == "ours":
            build_s, _ = timed(siberia_map_cmd() + ["build", "--data", str(data), "--out", str(html)])
            build_detail = None
        else:
            build_s, out = timed([sys.executable, str(HERE / "peers.py"), "build", "--tool", tool,
                                  "--data", str(data), "--out", str(html)])
            build_detail = json.loads(out.strip().splitlines()[-1])
        size = html.stat().st_size
        if not getattr(args, "warmed", False):
            # The first page a fresh browser opens pays one-off start-up costs; discard one.
            measure(browser, tool, html, months, expected, warm_up=True)
            args.warmed = True
        log(f"  {name}: build {build_s:.1f} s, {size / 1e6:.2f} MB; measuring in Chromium...")
        m = measure(browser, tool, html, months, expected)
        m.update(build_s=_r(build_s, 2), html_bytes=size)
        if build_detail:
            m["build_detail"] = build_detail
        result["tools"][name] = m
        s = m["step_ms"]["work"]
        log(f"    load {m['load_ms']:.0f} ms, step work median {s['median']:.1f} / p95 "
            f"{s['p95']:.1f} ms, heap {m['heap_mb']} MB, visible ok {m['visible_months_matching']}"
            + (f", ERRORS {m['page_errors']}" if m["page_errors"] else ""))
    return result


def growth(runs: list[dict]) -> dict:
    """Build seconds and HTML bytes per 1,000 events at each size, and between sizes."""
    out = {}
    for name in TOOLS:
        pts = [(r["n"], r["tools"][name]) for r in runs
               if name in r["tools"] and "build_s" in r["tools"][name]]
        if not pts:
            continue
        g = {"build_s_per_1000_events": {}, "html_bytes_per_1000_events": {},
             "marginal_build_s_per_1000_events": {}, "marginal_html_bytes_per_1000_events": {}}
        for n, t in pts:
            g["build_s_per_1000_events"][str(n)] = _r(t["build_s"] / n * 1000, 4)
            g["html_bytes_per_1000_events"][str(n)] = round(t["html_bytes"] / n * 1000)
        for (n0, a), (n1, b) in zip(pts, pts[1:]):
            key = f"{n0}-{n1}"
            per = (n1 - n0) / 1000
            g["marginal_build_s_per_1000_events"][key] = _r((b["build_s"] - a["build_s"]) / per, 4)
            g["marginal_html_bytes_per_1000_events"][key] = round((b["html_bytes"] - a["html_bytes"]) / per)
        out[name] = g
    return out


def goals(runs: list[dict]) -> list[dict]:
    by_n = {r["n"]: r for r in runs}
    out = []
    for n, metric, _, limit, text in GOALS:
        r = by_n.get(n)
        ours = r["tools"].get("siberia-map") if r else None
        if not ours:
            out.append({"n": n, "goal": text, "value": None, "holds": None})
            continue
        if metric == "step_work_p95_ms":
            value = ours["step_ms"]["work"]["p95"]
        elif metric == "html_vs_timeline":
            peer = r["tools"].get("folium-timeline", {})
            value = _r(ours["html_bytes"] / peer["html_bytes"], 3) if "html_bytes" in peer else None
        else:
            value = ours[metric]
        entry = {"n": n, "goal": text, "value": value,
                 "holds": None if value is None else value <= limit}
        if metric == "step_work_p95_ms":
            entry["wall_p95_ms"] = ours["step_ms"]["wall"]["p95"]
        out.append(entry)
    return out


def table(runs: list[dict]) -> str:
    head = ("N", "tool", "build s", "HTML MB", "load ms", "step med", "step p95", "wall p95",
            "toggle p95", "heap MB", "steps", "visible ok")
    rows = [head]
    for r in runs:
        for name, t in r["tools"].items():
            if "skipped" in t:
                rows.append((f"{r['n']:,}", name, "skipped", "", "", "", "", "", "", "", "", ""))
                continue
            s = t["step_ms"]
            tog = t["toggle_ms"]["work"]["p95"] if t["toggle_ms"] else None
            rows.append((f"{r['n']:,}", name, f"{t['build_s']:.2f}", f"{t['html_bytes'] / 1e6:.2f}",
                         f"{t['load_ms']:.0f}", f"{s['work']['median']:.1f}", f"{s['work']['p95']:.1f}",
                         f"{s['wall']['p95']:.1f}", "n/a" if tog is None else f"{tog:.1f}",
                         f"{t['heap_mb']:.1f}", str(t["time_steps_as_shipped"]),
                         t["visible_months_matching"]))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    lines = ["  ".join(str(c).rjust(w) if i != 1 else str(c).ljust(w)
                       for i, (c, w) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def environment(browser_version: str) -> dict:
    from importlib.metadata import version

    import folium

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=ROOT).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "src"],
                                    capture_output=True, text=True, cwd=ROOT).stdout.strip())
    except OSError:
        commit, dirty = "", False
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "chromium": browser_version,
        "folium": folium.__version__,
        "siberia_map": version("siberia-map"),
        "git_commit": commit,
        "src_modified_since_commit": dirty,
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                    help="comma-separated event counts (default %(default)s)")
    ap.add_argument("--quick", action="store_true", help="sizes 100,1000 only (a smoke test)")
    ap.add_argument("--peer-max", type=int, default=None,
                    help="largest N the folium peers are built and measured at (default: all "
                         "sizes; at 100,000 they add about 1.5 minutes)")
    ap.add_argument("--seed", type=int, default=1918)
    ap.add_argument("--data", type=Path, default=ROOT / "geodata",
                    help="source data set whose places and railways synth uses")
    ap.add_argument("--json", type=Path, default=None,
                    help="result file (default benchmarks/results/<date>-<host>.json)")
    args = ap.parse_args(argv)
    sizes = list(QUICK_SIZES) if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.peer_max is None:
        args.peer_max = max(sizes)

    def log(msg):
        print(msg, flush=True)

    started = time.time()
    load_before = os.getloadavg()
    log("peer assets: npm pack into benchmarks/.cache/npm (once)")
    integrity = peers.fetch_assets()

    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            env = environment(browser.version)
            for n in sizes:
                runs.append(run_size(n, args, browser, log))
        finally:
            browser.close()
    env["load_average_1min_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    env["wall_clock_s"] = round(time.time() - started)

    result = {
        "schema": 1,
        "date": dt.date.today().isoformat(),
        "host": socket.gethostname(),
        "sizes": sizes,
        "seed": args.seed,
        "environment": env,
        "method": {
            "build_s": "wall-clock seconds of the whole build process (Python start-up, imports, "
                       "load, validate, join, render, write); peers: `benchmarks/peers.py build` "
                       "(our load/validate/join to resolve places and dates, then folium)",
            "html_bytes": "size of the HTML file as written (peers link their JS/CSS from CDNs, "
                          "ours embeds Leaflet, its code and the basemap)",
            "load_ms": "navigation start -> first painted frame after the load event in which "
                       "the map is ready (ours: window.siberiaMap with its months, first month "
                       "drawn; peers: their time control in the DOM and their layer on the map)",
            "step_ms": "tool's own API (ours setMonth, TimestampedGeoJson "
                       "timeDimension.setCurrentTimeIndex, Timeline slider setTime) -> "
                       "requestAnimationFrame + setTimeout(0) (after the frame is painted); "
                       "work excludes the idle wait for the next vsync, wall includes it, js is "
                       "the synchronous call alone; 2*(months-1) sequential steps, forward then back",
            "toggle_ms": "setContingentVisible(id, false) then (id, true) for every contingent at "
                         "the busiest month, timed like a step; peers have no contingent toggle",
            "heap_mb": "CDP Performance.getMetrics JSHeapUsedSize after load and a forced GC",
            "time_steps_as_shipped": "distinct time steps the tool offers: our months; "
                                     "TimestampedGeoJson timeDimension.getAvailableTimes() as "
                                     "built (before the benchmark replaces them with the month "
                                     "starts to time its steps); Timeline slider's distinct times",
            "visible_months_matching": "months whose drawn record count equals the count from "
                                       "the CSVs (records whose EDTF interval touches the month)",
            "points": "peers draw every record as a point (a railway stretch's or river's "
                      "midpoint, an area's representative point) as circle markers on canvas",
            "peer_assets": "served from npm packages via Playwright routing; folium.Map's "
                           "bootstrap/font-awesome/awesome-markers/highlight.js (unused by "
                           "either peer) and the TimeDimension buttons' glyphicons are served "
                           "empty",
        },
        "peer_assets_npm_integrity": integrity,
        "runs": runs,
        "growth": growth(runs),
        "goals": goals(runs),
    }
    host = re.sub(r"[^A-Za-z0-9_.-]+", "-", socket.gethostname()) or "host"
    path = args.json or RESULTS / f"{result['date']}-{host}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)

    log("\n" + table(runs))
    log("\nper 1,000 events (build s | HTML bytes):")
    for name, g in result["growth"].items():
        cells = [f"N={n}: {g['build_s_per_1000_events'][n]:.3f} s | "
                 f"{g['html_bytes_per_1000_events'][n]:,} B" for n in g["build_s_per_1000_events"]]
        log(f"  {name}: " + "; ".join(cells))
        marg = [f"{k}: {v:.3f} s | {g['marginal_html_bytes_per_1000_events'][k]:,} B"
                for k, v in g["marginal_build_s_per_1000_events"].items()]
        if marg:
            log("    marginal: " + "; ".join(marg))
    tgj = [r["tools"].get("folium-timestamped") for r in runs]
    shipped = sorted({t["time_steps_as_shipped"] for t in tgj if t and "time_steps_as_shipped" in t})
    if shipped:
        log(f"\nnote: folium TimestampedGeoJson offers {', '.join(map(str, shipped))} distinct time "
            f"step(s) for this 1918-1922 data as shipped (known defect: Leaflet.TimeDimension "
            f"sorts the negative pre-1970 timestamps as text); its step times above were measured "
            f"after replacing its available times with the {runs[0]['months']} month starts.")
    log("\ngoals (siberia-map):")
    for g in result["goals"]:
        verdict = "n/a" if g["holds"] is None else ("holds" if g["holds"] else "MISSED")
        extra = f" (wall p95 incl. vsync wait {g['wall_p95_ms']} ms)" if "wall_p95_ms" in g else ""
        log(f"  N={g['n']:,}: {g['goal']}: {g['value']} -> {verdict}{extra}")
    log(f"\nwrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
        f"({result['environment']['wall_clock_s']} s)")


if __name__ == "__main__":
    main()

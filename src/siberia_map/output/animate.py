"""The map as a GIF or a video: each month (or each story chapter) rendered in headless
Chromium and written as one frame.

The page is the one `build` writes, opened once from a temporary file with every request
that would leave the machine refused, in its presentation view (`#present`, PresentView.js):
the map edge to edge, the title and the month, a key of the contingents on show and a
caption with the month's events (or the chapter's whole text), and no form controls. Each
frame is one `setMonth` (or `showChapter`) through the page's own API, then a wait for two
animation frames (the layers draw on the next one), then a screenshot of the map element. GIFs are written by Pillow (each frame
quantised on its own, no dithering: the same input gives the same bytes); MP4 (H.264) and
WebM (VP9) by the ffmpeg that the `imageio-ffmpeg` wheel ships. Every output is written
through `outputs.Batch`: a temporary file beside the target, renamed when complete.

The command needs the `animate` extra (`pip install 'siberia-map[animate]'`: Playwright,
Pillow, imageio-ffmpeg); `require_extra` says so in one line when it is missing. The browser
is any Chromium: `find_browser` looks where people keep one (see its docstring).
"""

from __future__ import annotations

import base64
import importlib.util
import io
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArgumentError
from .files.outputs import Batch

EXTRA = "pip install 'siberia-map[animate]'"
# The packages of the animate extra this module imports, by import name.
EXTRA_MODULES = {"playwright": "playwright", "PIL": "pillow", "imageio_ffmpeg": "imageio-ffmpeg"}
BROWSER_VARIABLE = "SIBERIA_MAP_BROWSER"
# Commands and places a Chromium is installed under on Linux, macOS and Windows.
SYSTEM_COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                   "chrome", "microsoft-edge", "msedge")
SYSTEM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                "/usr/bin/google-chrome-stable", "/snap/bin/chromium",
                "/usr/lib/chromium/chromium",
                "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                "/Applications/Chromium.app/Contents/MacOS/Chromium",
                "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                r"C:\Program Files\Google\Chrome\Application\chrome.exe",
                r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
                r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars"]
FORMATS = {".gif": "gif", ".mp4": "mp4", ".webm": "webm"}
CODECS = {"mp4": "libx264", "webm": "libvpx-vp9"}
SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")
MIN_SIDE, MAX_SIDE = 200, 3840
MAP = "#map_siberia"
# Two animation frames: the state change schedules the redraw on the first, so the second
# sees it painted.
NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def require_extra() -> None:
    """ArgumentError (exit 2, one line) unless the animate extra's packages are installed."""
    missing = [dist for module, dist in EXTRA_MODULES.items()
               if importlib.util.find_spec(module) is None]
    if missing:
        raise ArgumentError(f"animate needs the animate extra ({', '.join(missing)} "
                            f"missing): {EXTRA}")


def _runnable(path) -> bool:
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def find_browser(option: str | None = None, environ=None, playwright_path=None) -> str:
    """The Chromium to drive: the first of

    1. `option` (`--browser PATH`), which must be an executable file;
    2. the `SIBERIA_MAP_BROWSER` environment variable, likewise;
    3. Playwright's own Chromium (`playwright install chromium`), if it is installed;
    4. a `chromium`, `chromium-browser`, `google-chrome`, ... command on the PATH, or one of
       the usual install paths (Debian's /usr/bin/chromium, the snap, macOS's and
       Windows' Chrome and Edge).

    `playwright_path` is a callable giving Playwright's Chromium path (default: asks
    Playwright). ArgumentError, one line saying what to do, when there is none."""
    environ = os.environ if environ is None else environ
    if option is not None:
        if not _runnable(option):
            raise ArgumentError(f"--browser {option}: not an executable file; give the path "
                                "of a Chromium or Chrome binary")
        return option
    named = environ.get(BROWSER_VARIABLE)
    if named:
        if not _runnable(named):
            raise ArgumentError(f"{BROWSER_VARIABLE}={named}: not an executable file; set it "
                                "to the path of a Chromium or Chrome binary")
        return named
    own = (playwright_path or _playwright_chromium)()
    if _runnable(own):
        return own
    for name in SYSTEM_COMMANDS:
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return found
    for path in SYSTEM_PATHS:
        if _runnable(path):
            return path
    raise ArgumentError(f"no Chromium found: pass --browser PATH, set {BROWSER_VARIABLE}, run "
                        f"'{sys.executable} -m playwright install chromium', or install one "
                        "(e.g. apt install chromium)")


def _playwright_chromium() -> str | None:
    """Where Playwright keeps its own Chromium (None if it cannot say)."""
    from concurrent.futures import ThreadPoolExecutor

    def ask():
        from playwright.sync_api import sync_playwright
        with sync_playwright() as pw:
            return pw.chromium.executable_path

    try:  # in a thread: the sync API refuses one with a running asyncio loop
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(ask).result()
    except Exception:  # no driver, an unsupported platform: look elsewhere
        return None


@dataclass(frozen=True)
class Plan:
    """What to render: `frames` are months ("1919-05") or chapter ids, `labels` their names."""

    fmt: str
    size: tuple[int, int]
    fps: float
    story: bool
    frames: tuple[str, ...]
    browser: str = ""


def parse_size(text: str) -> tuple[int, int]:
    m = SIZE.match((text or "").strip())
    if not m:
        raise ArgumentError(f"--size {text!r}: expected WIDTHxHEIGHT in pixels, e.g. 1280x720")
    w, h = int(m.group(1)), int(m.group(2))
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise ArgumentError(f"--size {text}: each side must be {MIN_SIDE} to {MAX_SIDE} pixels")
    return w, h


def plan(ds, out: str, start: str | None, end: str | None, fps: float | None, size: str,
         story: bool, browser: str = "") -> Plan:
    """Every argument checked against the data set before any work; ArgumentError if not."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise ArgumentError(f"--out {out}: unknown format {suffix or '(no suffix)'!r}; "
                            "use .gif, .mp4 or .webm")
    fmt = FORMATS[suffix]
    w, h = parse_size(size)
    if fmt != "gif" and (w % 2 or h % 2):
        raise ArgumentError(f"--size {size}: MP4 and WebM need an even width and height")
    months = ds.months
    for flag, value in (("--from", start), ("--to", end)):
        if value is not None and value not in months:
            raise ArgumentError(f"{flag} {value}: not a month of this data set "
                                f"(YYYY-MM from {months[0]} to {months[-1]})")
    lo = months.index(start) if start else 0
    hi = months.index(end) if end else len(months) - 1
    if lo > hi:
        raise ArgumentError(f"--from {months[lo]} is after --to {months[hi]}")
    if fps is not None and not 0 < fps <= 60:
        raise ArgumentError(f"--fps {fps:g}: expected more than 0 and at most 60 frames a second")
    if story:
        chapters = [cid for cid, month in zip(ds.story["id"], ds.story["month"])
                    if lo <= month - ds.first_month <= hi]
        if not len(ds.story):
            raise ArgumentError("--story: this data set has no story.csv")
        if not chapters:
            raise ArgumentError(f"--story: no chapter between {months[lo]} and {months[hi]}")
        frames = tuple(chapters)
    else:
        frames = tuple(months[lo:hi + 1])
    return Plan(fmt, (w, h), fps if fps is not None else (0.25 if story else 2.0), story, frames,
                browser)


def capture(html: str, p: Plan, progress=None, inspect=None) -> list[bytes]:
    """PNG screenshots of the map element, one per frame of the plan. `inspect(page)`, if
    given, is called on the Playwright page as each frame is taken (tests look at it).

    Run in a thread of its own: Playwright's sync API refuses a thread whose asyncio loop is
    running (an embedding program's, or a test session's browser)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_capture, html, p, progress, inspect).result()


def _capture(html: str, p: Plan, progress=None, inspect=None) -> list[bytes]:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="siberia-map-animate-"))
    try:
        page_file = tmp / "map.html"
        page_file.write_text(html, encoding="utf-8")
        shots = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=p.browser or find_browser(), args=ARGS)
            try:
                context = browser.new_context(viewport={"width": p.size[0], "height": p.size[1]},
                                              device_scale_factor=1)
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                    ("file:", "data:", "about:")) else r.abort())
                page = context.new_page()
                page.goto(page_file.as_uri() + "#present")
                page.wait_for_function("() => window.siberiaMap && window.siberiaMap.months().length > 0"
                                       " && document.querySelector('.sm-present-overlay')")
                box = page.locator(MAP).bounding_box()
                clip = {"x": box["x"], "y": box["y"], "width": box["width"],
                        "height": box["height"], "scale": 1}
                # The DevTools call itself, with Chromium's faster PNG encoder (lossless all
                # the same): Playwright's screenshot adds round trips and a slow encoder.
                cdp = context.new_cdp_session(page)
                call = "showChapter" if p.story else "setMonth"
                for frame in p.frames:
                    page.evaluate(f"(v) => window.siberiaMap.{call}(v)", frame)
                    page.evaluate(NEXT_FRAME)
                    shot = cdp.send("Page.captureScreenshot", {"format": "png", "clip": clip,
                                                               "optimizeForSpeed": True})
                    shots.append(base64.b64decode(shot["data"]))
                    if inspect is not None:
                        inspect(page)
                    if progress is not None:
                        progress(1)
            finally:
                browser.close()
        return shots
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write(shots: list[bytes], p: Plan, target: Path) -> int:
    """The frames as the plan's format at `target`, atomically; returns the size in bytes."""
    from PIL import Image

    frames = [Image.open(io.BytesIO(s)).convert("RGB") for s in shots]
    frames = [f if f.size == p.size else f.resize(p.size) for f in frames]
    with Batch() as batch:
        tmp = batch.stage(target)
        if p.fmt == "gif":
            # Fast octree: a tenth of median cut's time at 1280x720, and as deterministic.
            quantised = [f.quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                    dither=Image.Dither.NONE) for f in frames]
            quantised[0].save(tmp, format="GIF", save_all=True, append_images=quantised[1:],
                              duration=round(1000 / p.fps), loop=0, optimize=False)
        else:
            _video(frames, p, tmp)
    return target.stat().st_size


def _video(frames, p: Plan, tmp: Path) -> None:
    try:
        import imageio_ffmpeg
    except ImportError:  # require_extra checks it first; a broken install may lack it still
        raise ArgumentError(f"MP4 and WebM need the animate extra's imageio-ffmpeg: {EXTRA}") \
            from None
    # Bit-exact muxing and no metadata (no encoder version or date in the file); one thread,
    # so the encoder's decisions do not depend on timing.
    params = ["-f", p.fmt, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
              "-threads", "1"]
    if p.fmt == "webm":
        params += ["-row-mt", "0", "-deadline", "good", "-cpu-used", "4"]
    writer = imageio_ffmpeg.write_frames(str(tmp), p.size, fps=p.fps, codec=CODECS[p.fmt],
                                         quality=None, bitrate=None, macro_block_size=2,
                                         pix_fmt_out="yuv420p", ffmpeg_log_level="error",
                                         output_params=params + ["-crf", "28"] +
                                         (["-b:v", "0"] if p.fmt == "webm" else []))
    writer.send(None)
    for f in frames:
        writer.send(f.tobytes())
    writer.close()

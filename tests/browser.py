"""Headless Chromium through Playwright, with the network off.

Debian's chromium is driven through `executable_path`, because Playwright's own browser
download cannot run here. Every request that would leave the machine is aborted and
recorded, so a test can assert that the map needs none.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

CHROMIUM = "/usr/bin/chromium"

# A digest of a canvas's pixels and how many of them are not blank, so that a test compares
# whole bitmaps without moving them out of the page.
PIXELS = """(sel) => {
    const c = document.querySelector(sel);
    const d = new Uint32Array(L.SiberiaMap.CanvasSurface.pixels(c).data.buffer);
    let h = 2166136261, inked = 0;
    for (let i = 0; i < d.length; i++) {
        if (d[i]) { inked++; }
        h = Math.imul(h ^ d[i], 16777619) >>> 0;
    }
    return {size: [c.width, c.height], inked: inked, digest: h};
}"""
# Whether the events list shows what the map shows: every entry of its first page there and
# none inert. (The entries follow a step when the browser is idle after the map's frame, and
# a run of steps once it rests: EventsPanel.) For page.wait_for_function.
LIST_FOLLOWS = """() => { const {controller, sheet} = L.SiberiaMap.current;
    return controller.visibleEvents().slice(0, sheet._tabs[0].panel.options.pageSize).every(r => {
        const b = document.querySelector(`.sm-event-list .sm-event[data-record="${CSS.escape(r.id)}"]`);
        return !!b && !b.closest('li').inert; }); }"""
# A Promise of the next painted frame.
FRAME = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"
# Draws month `m`'s drawing ahead (StepAhead's pieces, RecordCanvas.prepare) up to the
# `stop`th slice of kind `kind` (or whole: kind null), steps there and draws at once, in one
# task: no idle time between for StepAhead to go on. Returns the kinds of the slices drawn
# ahead, whether the drawing was whole ('ready') or not ('part'), how many slices the step
# took over from a drawing under way (`taken`), whether the month counts as made ready after
# the step, and the digest (PIXELS) of the canvas `sel` right after.
STEP_INTO_DRAWING_AHEAD = """([m, kind, stop, sel]) => {
    const r = L.SiberiaMap.current.records, canvas = r.getCanvas(), ctl = r._ctl;
    const scene = r._scenes.ahead(m) || r._scenes.buildAhead(r._sprites, m);
    canvas.forget(scene);
    const kinds = [];
    let seen = 0;
    for (let next = canvas.nextSlice(scene, ctl.at(m)); next !== null; next = canvas.nextSlice(scene, ctl.at(m))) {
        if (next === kind && ++seen === stop) { break; }
        kinds.push(next);
        canvas.prepare(scene, ctl.at(m));
    }
    const found = canvas.isPrepared(scene, ctl.at(m)) ? 'ready' : 'part';
    const take = canvas._ahead.take, taken = [];
    canvas._ahead.take = function () { const t = take.apply(this, arguments); taken.push(t && t.slices.length - t.next); return t; };
    window.siberiaMap.setMonth(window.siberiaMap.months()[m]);
    canvas._redraw();
    canvas._ahead.take = take;
    return {kinds: kinds, found: found, taken: taken, prepared: canvas.isPrepared(scene, null), pixels: (PIXELS)(sel)};
}""".replace("PIXELS", PIXELS)
# The number of records in each month's bucket (Model.bucket), in month order.
MONTH_SIZES = ("() => { const model = L.SiberiaMap.current.controller.model; "
               "return model.months.map((ym, m) => model.bucket(m).length); }")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@dataclass
class Session:
    page: object
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    csp: list = field(default_factory=list)
    _tab: object = field(default=None, repr=False)

    def api(self, expr: str):
        return self.page.evaluate(f"() => window.siberiaMap.{expr}")

    def close(self):
        """Ends the session. Its tab goes back to its browser's pool, on a blank page."""
        tab, self._tab = self._tab, None
        if tab is not None:
            tab.release()


@contextmanager
def launch():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Tab:
    """A context and its one page, kept for the next session with the same context options.

    A new context costs a renderer process and a fresh V8 isolate that compiles the page's
    400 KB of script again: about 1.8 s of CPU per map opened, against 0.7 s for a new
    document in a kept tab (measured on the 2-core VM). Each session still gets a document
    of its own: the tab is sent to about:blank between sessions, its print-media emulation
    and mouse put back, and its listeners report to whichever session holds it.

    The window's size and the reduced-motion preference are set on the page before each
    document loads (`open_map`), so they do not split the pool: only what a page cannot
    change (a phone's touch, mobile viewport and pixel ratio) asks for a context of its own."""

    def __init__(self, browser, options: dict, pool: list | None):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.session = None
        self._pool = pool
        self.context.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.session.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.session.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.session.csp.append(m.text)
                     if "Content Security Policy" in m.text else None)

    def _route(self, r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            self.session.blocked.append(url)
            r.abort()

    def release(self):
        if self._pool is None or self.page.is_closed():
            self.context.close()
            return
        self.page.goto("about:blank")
        self.page.emulate_media(media="no-override")
        self.page.mouse.move(-1, -1)
        self._pool.append(self)


# Context options that open_map sets on the page itself, for each document (Playwright's
# set_viewport_size and emulate_media do what the context's options would).
PER_PAGE = ("viewport", "reduced_motion")


def _tab(browser, options: dict, pooled: bool) -> _Tab:
    if not pooled:
        return _Tab(browser, options, None)
    key = repr(sorted((k, v) for k, v in options.items() if k not in PER_PAGE))
    pool = browser.__dict__.setdefault("_siberia_tabs", {}).setdefault(key, [])
    while pool:
        tab = pool.pop()
        if not tab.page.is_closed():
            return tab
    return _Tab(browser, options, pool)


def open_map(browser, path, hash_: str = "", viewport=(1280, 860), before_load=None,
             **context_options) -> Session:
    """`context_options` go to Playwright's new_context (is_mobile, has_touch, ...);
    `before_load(page)` runs before the map is loaded (to install Playwright's clock, which
    must be in place from the first script on: such a session gets a context of its own).
    End the session with `close()`."""
    size = {"width": viewport[0], "height": viewport[1]}
    motion = context_options.pop("reduced_motion", "no-override")
    tab = _tab(browser, {"viewport": size, **context_options}, pooled=before_load is None)
    page = tab.page
    page.set_viewport_size(size)
    page.emulate_media(reduced_motion=motion)
    s = tab.session = Session(page, _tab=tab)
    if before_load:
        before_load(page)
    page.goto(f"file://{path}{hash_}")
    page.wait_for_function("() => window.siberiaMap && window.siberiaMap.months().length > 0")
    return s


def close_checked(sessions) -> None:
    """Closes every session, then checks that none had a page error or tried the network."""
    sessions = list(sessions)
    for s in sessions:
        s.close()
    for s in sessions:
        assert s.errors == [], s.errors
        assert s.blocked == [], s.blocked


def click_centre(page, locator) -> None:
    """Clicks the middle of what `locator` finds, as a pointer would: once it shows (a search's
    options are in the page a moment before their list is), scrolled into view."""
    locator.wait_for(state="visible")
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@contextmanager
def checked(browser, path, hash_: str = ""):
    """An opened map that must end with no page errors and no attempted requests."""
    s = open_map(browser, path, hash_)
    try:
        yield s
    finally:
        s.close()
    assert s.errors == [], s.errors
    assert s.blocked == [], s.blocked

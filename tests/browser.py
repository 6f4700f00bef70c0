"""Headless Chromium through Playwright, with the network off.

Debian's chromium is driven through `executable_path`, because Playwright's own browser
download cannot run here. Every request that would leave the machine is aborted and
recorded, so a test can assert that the map needs none.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@dataclass
class Session:
    page: object
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    csp: list = field(default_factory=list)

    def api(self, expr: str):
        return self.page.evaluate(f"() => window.siberiaMap.{expr}")


@contextmanager
def launch():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_map(browser, path, hash_: str = "", viewport=(1280, 860), before_load=None,
             **context_options) -> Session:
    """`context_options` go to Playwright's new_context (is_mobile, has_touch, ...);
    `before_load(page)` runs before the map is loaded (to install Playwright's clock, which
    must be in place from the first script on)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  **context_options)
    page = context.new_page()
    s = Session(page)

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            s.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: s.errors.append(str(e)))
    page.on("dialog", lambda d: (s.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: s.csp.append(m.text)
            if "Content Security Policy" in m.text else None)
    if before_load:
        before_load(page)
    page.goto(f"file://{path}{hash_}")
    page.wait_for_function("() => window.siberiaMap && window.siberiaMap.months().length > 0")
    return s


@contextmanager
def checked(browser, path, hash_: str = ""):
    """An opened map that must end with no page errors and no attempted requests."""
    s = open_map(browser, path, hash_)
    try:
        yield s
    finally:
        s.page.context.close()
    assert s.errors == [], s.errors
    assert s.blocked == [], s.blocked

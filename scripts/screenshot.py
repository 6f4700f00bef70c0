"""Build the default map and take the README's screenshots in headless Chromium.

    .venv/bin/python scripts/screenshot.py [--month 1919-06] [--out docs/screenshot.png]
                                           [--phone-out docs/screenshot-phone.png]

The desktop picture is 1400x900 (the side sheet open on the month's events); the phone one is
a 390x844 touch screen at 3x (the sheet folded to its tabs above the time bar), so the README
shows both layouts.

It uses the same Playwright set-up as the browser tests (Debian's /usr/bin/chromium, the
network off), so the picture is what a reader of the offline file sees.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import launch, open_map  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="1919-06")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--size", default="1400x900", help="viewport WIDTHxHEIGHT")
    parser.add_argument("--phone-out", type=Path, default=ROOT / "docs" / "screenshot-phone.png",
                        help="the phone screenshot ('' for none)")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "map.html"
        subprocess.run([sys.executable, "-m", "siberia_map", "build", "--out", str(html)],
                       check=True, cwd=ROOT)
        with launch() as browser:
            s = open_map(browser, html, f"#{args.month}", viewport=(width, height))
            s.page.wait_for_timeout(500)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            s.page.screenshot(path=str(args.out))
            if s.errors or s.blocked:
                sys.exit(f"the page had errors {s.errors} or requests {s.blocked}")
            print(f"wrote {args.out}")
            if str(args.phone_out) not in ("", "."):
                phone(browser, html, args)


def phone(browser, html: Path, args) -> None:
    s = open_map(browser, html, f"#{args.month}", viewport=(390, 844), is_mobile=True,
                 has_touch=True, device_scale_factor=3)
    s.page.wait_for_timeout(500)
    args.phone_out.parent.mkdir(parents=True, exist_ok=True)
    s.page.screenshot(path=str(args.phone_out))
    if s.errors or s.blocked:
        sys.exit(f"the page had errors {s.errors} or requests {s.blocked}")
    print(f"wrote {args.phone_out}")


if __name__ == "__main__":
    main()

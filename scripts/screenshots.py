"""Screenshots of THB from the demo data, for docs/screenshots/ (issue 10).

Builds a throw-away installation (THB_VAR_DIR in a temporary folder: `thb migrate`,
`thb demo`), starts `thb serve` on a free port, and with Playwright in Debian's
Chromium signs in as each demo persona (thb.core.routes.PERSONAS, password
`demo-THB-2020!`) and saves:

- each persona's home page (its dashboard): `home-<persona>-<width>.png`;
- the intake form after submitting it empty, with its errors:
  `intake-errors-<width>.png`;

at 360 px and 1280 px wide (full page). Run from the repository root:

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only caseworker]

Look at the pictures before committing them (docs/development.md, "Screenshots").
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thb.core.routes import PERSONAS  # noqa: E402

DEMO_PASSWORD = "demo-THB-2020!"  # noqa: S105  (thb/core/demo.py; the local demo only)

WIDTHS = (360, 1280)
CHROMIUM = os.environ.get("THB_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def thb(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "thb", *args], env=env, check=True, cwd=ROOT)


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"thb serve stopped with code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"thb serve did not answer at {url} within {seconds} s")


def shoot(base: str, out: Path, personas: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for width in WIDTHS:
            context = browser.new_context(
                base_url=base, locale="lv-LV", viewport={"width": width, "height": 800}
            )
            context.set_default_timeout(60000)
            page = context.new_page()
            for persona in personas:
                context.clear_cookies()
                page.goto("/accounts/login/")
                page.fill("input[name=username]", PERSONAS[persona])
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_url(lambda url: "/accounts/login" not in url)
                page.goto("/")
                page.wait_for_load_state("networkidle")
                path = out / f"home-{persona}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                saved.append(path)
                if persona == "caseworker":
                    page.goto("/cases/new/")
                    # The server's answer is wanted, not the browser's own checks.
                    page.evaluate(
                        "document.querySelectorAll('main form').forEach(f => f.noValidate = true)"
                    )
                    page.click("main form[method=post] button[type=submit]")
                    page.wait_for_load_state("networkidle")
                    path = out / f"intake-errors-{width}.png"
                    page.screenshot(path=str(path), full_page=True)
                    saved.append(path)
            context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", action="append", choices=sorted(PERSONAS), default=None)
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    personas = options.only or list(PERSONAS)

    with tempfile.TemporaryDirectory(prefix="thb-screenshots-") as var:
        env = {
            **os.environ,
            "THB_VAR_DIR": var,
            "DJANGO_SETTINGS_MODULE": "thb.settings",
            "THB_PRODUCTION": "false",
            "THB_REQUIRE_2FA": "false",
        }
        env.pop("DATABASE_URL", None)  # SQLite in the temporary folder
        thb(env, "migrate", "--no-input", "-v", "0")
        thb(env, "demo")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "thb", "serve", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(base, server)
            for path in shoot(base, options.out, personas):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()

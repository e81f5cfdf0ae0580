"""Debian's headless Chromium for the browser tests, or a loud skip when this machine has none."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Without these Chromium reaches for Google's servers at start-up, and this network refuses it.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def require_chromium() -> None:
    """Skip the calling test, visibly, when Chromium or its driver is missing (`make test` installs them)."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        reason = (
            f"BROWSER TEST NOT RUN: {' and '.join(missing)} missing. Install Debian's chromium and "
            "chromium-driver (`apt-get install chromium chromium-driver`; `make test` does it when it can)."
        )
        print(f"\n*** {reason} ***\n", file=sys.stderr)
        pytest.skip(reason)


@contextmanager
def chromium(profile: Path, *, window: tuple[int, int] = (1600, 1100)) -> Iterator[WebDriver]:
    """A headless Chromium with a fresh profile directory, quit when the block ends."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--window-size={window[0]},{window[1]}", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()

"""A real browser for the review site's tests: Debian's chromium, headless, driven by selenium.

Skips where chromium or chromedriver is missing, unless REQUIRE_BROWSER=1
(CI sets it), where a missing browser must fail the tests instead.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@dataclass(frozen=True)
class PageCheck:
    title: str
    console_errors: tuple[str, ...]  # SEVERE browser log entries: script errors, failed loads
    broken_images: tuple[str, ...]  # <img> that did not load


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        message = "Debian's chromium and chromium-driver are not installed"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="vnreports-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def visit(driver, page: Path, screenshot: Path) -> PageCheck:
    """Open a page from disk, wait for it, and report what went wrong in it; save a full-page screenshot."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(page.resolve().as_uri())
    deadline = time.monotonic() + 30
    while driver.execute_script("return document.readyState") != "complete" and time.monotonic() < deadline:
        time.sleep(0.05)
    broken = driver.execute_script(
        "return Array.from(document.images)"
        ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'))"
    )
    errors = tuple(e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    return PageCheck(driver.title, errors, tuple(broken))


def attrs(driver, css: str, name: str) -> list[str]:
    """The attribute `name` of every element matching `css`, as the browser sees it."""
    from selenium.webdriver.common.by import By

    return [e.get_attribute(name) for e in driver.find_elements(By.CSS_SELECTOR, css)]

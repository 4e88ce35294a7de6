"""A real browser for the tests: Debian's headless chromium, driven by playwright.

The browser is the system's ``/usr/bin/chromium`` (``apt-get install chromium``;
the Makefile's test target installs it when missing); playwright's own browser
download (``playwright install``) is never used. Pages are opened with every
network request refused and recorded, so a test proves a page is offline.

Tests that need it use :func:`offline_page`, or :func:`launch_chromium` for a
browser of their own (the map's tests keep one for a module); without
playwright or chromium they are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Headless, no sandbox (tests run as root in CI), nothing started in the background
#: that would reach the network.
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--no-first-run",
)


def chromium_path() -> str | None:
    """Debian's chromium (what ``make test`` installs), or one named by SAHEL_EVENTS_CHROMIUM."""
    for candidate in (os.environ.get("SAHEL_EVENTS_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_browser() -> str:
    """The chromium path, or skip the test saying what is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install 'playwright>=1.40')")
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium: apt-get install -y chromium (make test does it)")
    return path


def launch_chromium(driver: Any) -> Any:
    """The system chromium launched by a playwright driver (skips the test without one)."""
    return driver.chromium.launch(executable_path=require_browser(), args=list(CHROMIUM_ARGS))


@contextmanager
def offline_page(
    url: str, *, width: int = 1280, height: int = 800
) -> Iterator[tuple[Any, list[str]]]:
    """A loaded page and the list of network requests it tried (all refused).

    Only ``file:`` and ``data:`` URLs are served; anything else is aborted and
    recorded, so ``assert requests == []`` proves the page needs no network.
    """
    require_browser()
    from playwright.sync_api import sync_playwright

    requests: list[str] = []

    def route(handle: Any) -> None:
        request_url = handle.request.url
        if request_url.startswith(("file:", "data:")):
            handle.continue_()
        else:
            requests.append(request_url)
            handle.abort()

    with sync_playwright() as driver:
        browser = launch_chromium(driver)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", route)
            page = context.new_page()
            page.goto(url)
            page.wait_for_load_state("load")
            yield page, requests
        finally:
            browser.close()

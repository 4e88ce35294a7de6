"""A real browser for the tests: Debian's headless chromium, driven by playwright.

The browser is the system's ``/usr/bin/chromium`` (``apt-get install chromium``;
the Makefile's test target installs it when missing); playwright's own browser
download (``playwright install``) is never used. Pages are opened with every
network request refused and recorded, so a test proves a page is offline.

Tests that need it use :func:`offline_page`; without playwright or chromium
they are skipped with the reason.
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


def chromium_path() -> str | None:
    """The system chromium, or None."""
    for candidate in (os.environ.get("SAHEL_EVENTS_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


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


@contextmanager
def offline_page(
    url: str, *, width: int = 1280, height: int = 800
) -> Iterator[tuple[Any, list[str]]]:
    """A loaded page and the list of network requests it tried (all refused).

    Only ``file:`` and ``data:`` URLs are served; anything else is aborted and
    recorded, so ``assert requests == []`` proves the page needs no network.
    """
    executable = require_browser()
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
        browser = driver.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", route)
            page = context.new_page()
            page.goto(url)
            page.wait_for_load_state("load")
            yield page, requests
        finally:
            browser.close()

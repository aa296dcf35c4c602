"""A real Chromium (Debian's, via Playwright) on a phone-sized screen against `live_server`.

pytest-django's `live_server` asks for `transactional_db`, whose flush afterwards would empty
the sample catalog (loaded once per test database) that the rest of the suite reads. Here that
fixture is replaced: browser tests commit real rows, which the server thread sees on any
database, and each test removes exactly what it made.
"""

import os
from pathlib import Path

import pytest

from tests.services import need

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    need(
        os.path.exists(chromium_path()),
        f"needs Chromium at {chromium_path()}: run .ci/services/chromium.sh (CHROMIUM_PATH)",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "needs the playwright Python package (pip install -e '.[dev]')")
    # Playwright's sync API keeps an event loop running in this thread; Django would take the
    # test's own ORM calls for async code. They are plain sync calls, so allow them meanwhile.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context (own cookies) and its page."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(phone, request):
    """Save a screenshot of the current page under test-artifacts/e2e/ (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        phone.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker):
    """Database access with real commits and no flush (see the module docstring)."""
    with django_db_blocker.unblock():
        yield

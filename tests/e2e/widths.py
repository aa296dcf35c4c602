"""How wide a page lays out on the phone. One helper, so every browser test measures the same
way: after the page has loaded, never the half-built document a click has just begun."""

from tests.e2e.conftest import PHONE


def page_width(page) -> int:
    """The document's scroll width once it has loaded. A test that clicks a link must still
    wait for the new page (`wait_for_url`, or a locator only it has), or the old one is measured."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page, what: str = "") -> None:
    width = page_width(page)
    assert width <= PHONE["width"], f"{what or page.url} scrolls sideways: {width} px"

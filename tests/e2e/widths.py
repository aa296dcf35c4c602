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


def assert_header_reads(page) -> None:
    """The portal header at its busiest (a badge): its brand on one line of its own height, never
    squeezed to a letter a line, and the whole header in at most two rows of 48 px tap targets."""
    brand = page.locator("header .brand").bounding_box()
    header = page.locator("header").bounding_box()
    assert brand["height"] <= 48.5, f"the brand wraps: {brand['height']} px tall"
    assert header["height"] <= 2 * 48 + 16.5, f"the header takes {header['height']} px"

"""Issue 14 item 9 in Chromium at 360 × 740: every page of the trade office fits the screen (no
sideways scroll; wide tables scroll inside their own box), with the sample register imported;
the map's dots name their ward when tapped, without script."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from fixtures.loader import SAMPLE_DIR
from marketplace.access import office_group
from marketplace.coverage import cache as coverage_cache
from marketplace.coverage.importers import import_external_listings, import_register
from marketplace.coverage.models import ExternalListing, ListingLink, RegisterEntry
from tests.e2e.conftest import ARTIFACTS, PHONE
from tests.e2e.widths import assert_fits, page_width
from tests.marketplace.coverage.conftest import REPORT_DAY

pytestmark = pytest.mark.e2e

WIDTH = PHONE["width"]
OFFICE_PHONE = "+84906000222"
PASSWORD = "So-Cong-Thuong-2026"
DAY = f"ngay={REPORT_DAY:%Y-%m-%d}"
OFFICE_PAGES = [
    f"/office/?{DAY}",
    "/office/nhap-so/",
    "/office/doi-chieu/",
    "/office/chu-the/",
]


@pytest.fixture
def office_with_register(transactional_db):
    """A committed office user and the sample register; everything removed afterwards."""
    office = get_user_model().objects.create_user(OFFICE_PHONE, password=PASSWORD)
    office.groups.add(office_group())
    report = import_register(
        (SAMPLE_DIR / "registry.csv").read_bytes(), "registry.csv", as_of=REPORT_DAY
    )
    assert report.written, report.lines()
    external = import_external_listings(
        (SAMPLE_DIR / "external_listings.csv").read_bytes(), "external_listings.csv"
    )
    assert external.written, external.lines()
    yield office
    ListingLink.objects.all().delete()
    ExternalListing.objects.all().delete()
    RegisterEntry.objects.all().delete()
    office.delete()
    coverage_cache.changed()


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/office/dang-nhap/")
    page.locator("input[name=username]").fill(OFFICE_PHONE)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(base_url + "/office/")


def assert_dashboard_fits(page) -> None:
    """A breakdown's five figures fit the phone without scrolling their table, and no chart
    text runs past its chart's edge (cut off by the SVG)."""
    tables = page.locator("table.breakdown").evaluate_all(
        "ts => ts.map(t => [t.scrollWidth, t.clientWidth])"
    )
    assert tables and all(scroll <= client for scroll, client in tables), tables
    overflowing = page.locator("svg.chart").evaluate_all(
        """svgs => svgs.flatMap(svg => {
             const width = svg.viewBox.baseVal.width;
             return [...svg.querySelectorAll('text')]
               .filter(t => { const b = t.getBBox(); return b.x < 0 || b.x + b.width > width; })
               .map(t => t.textContent);
           })"""
    )
    assert overflowing == [], overflowing


def test_no_office_page_scrolls_sideways_on_a_phone(
    live_server, office_with_register, phone, screenshot
):
    page = phone
    page.goto(live_server.url + "/office/dang-nhap/")
    widths = {"/office/dang-nhap/": page_width(page)}
    screenshot("login")
    sign_in(page, live_server.url)
    for path in OFFICE_PAGES:
        page.goto(live_server.url + path)
        widths[path] = page_width(page)
        screenshot(path.strip("/").split("?")[0].replace("/", "-") or "office")
        if path.startswith("/office/?"):
            assert_dashboard_fits(page)
    # The upload's per-row report, with a row in error, is an office page too.
    page.goto(live_server.url + "/office/nhap-so/")
    bad = (SAMPLE_DIR / "registry.csv").read_bytes().replace(b",1.8,3,001/", b",1.8,6,001/")
    page.locator("input[name=tep]").set_input_files(
        {"name": "registry.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.locator("ul.report").first.wait_for()
    widths["/office/nhap-so/ (report)"] = page_width(page)
    screenshot("upload-report")
    print("office scrollWidth at 360 px:", widths)
    assert all(width <= WIDTH for width in widths.values()), widths


def test_a_tap_on_a_map_dot_names_its_ward(live_server, office_with_register, phone, screenshot):
    page = phone
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/office/?{DAY}")
    # The last dot is drawn over every other one: a tap there cannot land on a neighbour.
    dot = page.locator("svg.map a.dot").last
    code = dot.get_attribute("data-ward")
    label = page.locator(f"#ban-do-{code}")
    assert not label.is_visible()
    dot.tap()
    assert page.url.endswith(f"#ban-do-{code}")
    assert label.is_visible()
    name = dot.get_attribute("aria-label")
    assert label.text_content() == name  # the ward's name, its share and count
    assert page.locator("svg.map .tag:visible").count() == 1
    screenshot("map-tapped")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("section#ban-do").screenshot(path=str(ARTIFACTS / "office-map-tapped.png"))
    # Every dot's colour is one of the legend's, and every legend colour is used.
    fills = set(
        page.locator("svg.map a.dot circle").evaluate_all(
            "cs => cs.map(c => c.getAttribute('fill'))"
        )
    )
    legend = set(
        page.locator("ul.legend circle").evaluate_all("cs => cs.map(c => c.getAttribute('fill'))")
    )
    assert fills <= legend and len(legend) == 4, (fills, legend)


def test_an_import_in_progress_moves_its_bar_then_shows_its_report(
    live_server, office_with_register, phone, screenshot
):
    from marketplace.coverage import register_jobs
    from marketplace.coverage.models import ImportStatus, RegisterImport

    page = phone
    data = (SAMPLE_DIR / "registry.csv").read_bytes()
    job = register_jobs.create(
        office_with_register, data, "registry.csv", as_of=REPORT_DAY, skip_invalid=False
    )  # queued: no worker has it yet
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/office/nhap-so/{job.pk}/")
    assert page.locator("progress").evaluate("p => p.value") == 0
    assert_fits(page)
    screenshot("upload-progress")
    # A worker takes it: the page's script polls the JSON and moves the bar, no reload needed.
    RegisterImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, rows_checked=130, rows_total=261
    )
    expect(page.locator(".job-rows")).to_contain_text("130/261", timeout=15_000)
    assert page.locator("progress").evaluate("p => p.value") == 49
    # Done: the page reloads itself into the report.
    register_jobs.run(job.pk)
    page.get_by_text("Đã nhập 261 dòng").wait_for(timeout=15_000)
    assert page.locator("section.job[data-running]").count() == 0
    assert_fits(page)
    screenshot("upload-progress-done")

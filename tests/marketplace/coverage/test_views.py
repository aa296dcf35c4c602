"""The office pages: who may see them, what they show, the exports and the upload."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from fixtures.loader import SAMPLE_DIR
from marketplace.access import office_group
from marketplace.coverage.models import RegisterEntry
from producers.models import Membership, Producer

pytestmark = pytest.mark.django_db

PAGES = ["/office/", "/office/nhap-so/", "/office/doi-chieu/", "/office/xuat/nhom.csv"]


@pytest.fixture
def office_client(client):
    user = User.objects.create_user("can-bo", password="mat-khau-dai-123")
    user.groups.add(office_group())
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_is_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/office/dang-nhap/?next=")


@pytest.mark.parametrize("path", PAGES)
def test_shoppers_and_producer_members_are_refused(client, path):
    shopper = User.objects.create_user("nguoi-mua")
    client.force_login(shopper)
    assert client.get(path).status_code == 403

    member = User.objects.create_user("chu-htx")
    Membership.objects.create(user=member, producer=Producer.objects.get(code="AG0001"))
    client.force_login(member)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_office_staff_and_superusers_get_in(office_client, client, path):
    assert office_client.get(path).status_code == 200
    admin = User.objects.create_superuser("quan-tri", password="x")
    client.force_login(admin)
    assert client.get(path).status_code == 200


def test_login_page_signs_office_staff_in(client):
    user = User.objects.create_user("can-bo", password="mat-khau-dai-123")
    user.groups.add(office_group())
    response = client.post(
        "/office/dang-nhap/?next=/office/",
        {"username": "can-bo", "password": "mat-khau-dai-123", "next": "/office/"},
    )
    assert response.status_code == 302 and response["Location"] == "/office/"


def test_dashboard_shows_the_figures(sample_register, office_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = office_client.get("/office/?ngay=2026-11-27")
    html = response.content.decode()
    assert response.status_code == 200
    # 160 / 223 = 0.71749 (0.7175 in the API): 71,7 %, rounded once from the exact share
    assert "71,7\u00a0%" in html and "71,8" not in html
    assert "160 trên 223 sản phẩm OCOP còn hiệu lực ngày 27/11/2026" in html
    assert "Cần thêm 19 sản phẩm" in html  # ceil(0.8 × 223) = 179
    assert html.count('class="chart map"') == 1 and html.count("data-ward=") == 102
    assert "<polyline" not in html or "Tỷ lệ theo tháng" in html
    assert "Thủ công mỹ nghệ" in html
    assert "63 sản phẩm chưa bán trực tuyến" in html
    assert "0948092353" not in html or "HTX Thủy sản An Phú" in html


def test_a_bad_date_falls_back_to_today(office_client):
    response = office_client.get("/office/?ngay=31-02-2026", follow=True)
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()


def test_csv_export_of_every_table(sample_register, office_client):
    for slug in [
        "tong-hop",
        "xa-phuong",
        "nhom",
        "sao",
        "loai-chu-the",
        "chua-truc-tuyen",
        "xu-huong",
    ]:
        response = office_client.get(f"/office/xuat/{slug}.csv?ngay=2026-11-27")
        assert response.status_code == 200, slug
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) >= 2, slug
    groups = list(
        csv.reader(
            io.StringIO(
                office_client.get("/office/xuat/nhom.csv?ngay=2026-11-27").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert groups[0] == ["Nhóm", "Tên", "Được chứng nhận", "Trực tuyến", "Tỷ lệ"]
    assert groups[1] == ["1", "Thực phẩm", "139", "103", "74.1%"]
    not_online = office_client.get("/office/xuat/chua-truc-tuyen.csv?ngay=2026-11-27")
    assert len(list(csv.reader(io.StringIO(not_online.content.decode("utf-8-sig"))))) == 64


def test_xlsx_export(sample_register, office_client):
    from openpyxl import load_workbook

    response = office_client.get("/office/xuat/tat-ca.xlsx?ngay=2026-11-27")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 7 + 4  # coverage tables, then the sales tables
    groups = workbook["Theo nhóm sản phẩm"]
    assert [c.value for c in groups[2]] == ["1", "Thực phẩm", 139, 103, 0.741]
    single = office_client.get("/office/xuat/sao.xlsx?ngay=2026-11-27")
    assert load_workbook(io.BytesIO(single.content)).sheetnames == ["Theo số sao"]
    assert office_client.get("/office/xuat/khong-co.xlsx").status_code == 404
    assert office_client.get("/office/xuat/nhom.pdf").status_code == 404


def test_upload_page_imports_the_register_with_the_same_service(
    office_client, django_capture_on_commit_callbacks
):
    data = (SAMPLE_DIR / "registry.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):  # the import task runs at commit
        queued = office_client.post(
            "/office/nhap-so/",
            {"tep": SimpleUploadedFile("registry.csv", data), "ngay": "2026-11-27", "loai": "so"},
        )
    response = office_client.get(queued["Location"])
    assert response.status_code == 200
    assert "Đã nhập 261 dòng" in response.content.decode()
    assert RegisterEntry.objects.count() == 261


def test_upload_page_reports_invalid_rows_and_writes_nothing(
    office_client, django_capture_on_commit_callbacks
):
    bad = (SAMPLE_DIR / "registry.csv").read_bytes().replace(b",1.8,3,001/", b",1.8,6,001/")
    with django_capture_on_commit_callbacks(execute=True):
        queued = office_client.post(
            "/office/nhap-so/", {"tep": SimpleUploadedFile("registry.csv", bad), "loai": "so"}
        )
    response = office_client.get(queued["Location"])
    assert response.status_code == 400
    assert "số sao &#x27;6&#x27; phải là 3, 4 hoặc 5" in response.content.decode()
    assert RegisterEntry.objects.count() == 0


def test_review_page_confirms_a_link(office_client):
    from tests.marketplace.coverage.test_links import _register_with_near_name

    _register_with_near_name()
    page = office_client.get("/office/doi-chieu/").content.decode()
    assert "Đường thốt nốt Bảy Núi Bảy Núi" in page
    from marketplace.coverage.linking import review_queue

    link = review_queue().get()
    response = office_client.post(f"/office/doi-chieu/{link.pk}/", {"quyet_dinh": "dong-y"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == "confirmed"


def test_the_call_list_filters_by_ward_group_and_stars(sample_register, office_client):
    # Group 6 (tourism): 11 certified, 8 online on the report day → 3 to call.
    html = office_client.get("/office/?ngay=2026-11-27&nhom=6").content.decode()
    assert "3 sản phẩm chưa bán trực tuyến" in html
    export = office_client.get("/office/xuat/chua-truc-tuyen.csv?ngay=2026-11-27&nhom=6&sao=3")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) > 1 and all(row[2] == "3" and row[3].startswith("6.") for row in rows[1:])
    ward = office_client.get("/office/xuat/chua-truc-tuyen.csv?ngay=2026-11-27&xa=31078")
    wards = {row[6] for row in csv.reader(io.StringIO(ward.content.decode("utf-8-sig")))}
    assert wards == {"Xã/phường", "Đặc khu Phú Quốc"}

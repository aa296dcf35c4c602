"""The sample catalog loader: counts match the CSVs, re-runs are no-ops, bad files write nothing."""

import csv
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Max

from fixtures.csv_rows import LoadError
from fixtures.loader import SAMPLE_DIR, load_sample_catalog
from marketplace.catalog.models import Product, Stock
from producers.models import OcopCertificate, Producer
from tests.services import zero_setup_environ

pytestmark = pytest.mark.django_db


def sample_rows(name: str) -> list[dict]:
    with (SAMPLE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict], fieldnames: list[str] | None = None) -> None:
    fieldnames = fieldnames or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def new_producers(count: int = 2) -> list[dict]:
    """Sample producer rows under fresh codes, so loading them creates rows."""
    return [
        {**row, "producer_code": f"TST{i:03}", "name": f"{row['name']} thử {i}"}
        for i, row in enumerate(sample_rows("producers.csv")[:count], start=1)
    ]


def new_products(count: int = 3) -> list[dict]:
    """Sample product rows for the fresh producers: new SKUs, certificates, no GTIN clash."""
    rows = []
    for i, row in enumerate(sample_rows("products.csv")[:count], start=1):
        rows.append(
            {
                **row,
                "sku": f"TST-{i:02}",
                "producer_code": "TST001",
                "gtin": "",
                "certificate_no": f"T{i:02}/2026/OCOP-AG",
            }
        )
    return rows


@pytest.fixture
def folder(tmp_path):
    """A catalog folder of two new producers and three of their products.

    The sample's other files are there with their headers only, so each test is about
    producers and products.
    """
    for path in SAMPLE_DIR.glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            (tmp_path / path.name).write_text(handle.readline(), encoding="utf-8")
    write_csv(tmp_path / "producers.csv", new_producers())
    write_csv(tmp_path / "products.csv", new_products())
    return tmp_path


def test_counts_match_the_csvs():
    products = sample_rows("products.csv")
    published = [row for row in products if row["status"] == "published"]
    assert Producer.objects.count() == len(sample_rows("producers.csv")) == 152
    assert Product.objects.count() == len(products) == 197
    assert Stock.objects.count() == 197
    assert Product.objects.published().count() == len(published) == 158
    assert OcopCertificate.objects.count() == len({row["certificate_no"] for row in products})
    assert sum(Stock.objects.values_list("quantity", flat=True)) == sum(
        int(row["stock"]) for row in products
    )


def test_rows_are_stored_as_in_the_csv():
    row = sample_rows("products.csv")[0]
    product = Product.objects.select_related("producer", "certificate", "stock").get(sku=row["sku"])
    assert product.name == row["name"]
    assert product.gtin == row["gtin"]
    assert product.price == int(row["price_vnd"])
    assert product.stock.quantity == int(row["stock"])
    assert product.producer.code == row["producer_code"]
    assert product.certificate.number == row["certificate_no"]
    assert product.certificate.expires_on.isoformat() == row["expires_on"]
    assert product.product_set_id == row["ocop_set"]


def test_second_run_changes_nothing():
    """Through the command, as `make run` calls it: every file reports only unchanged rows."""
    stamps = {
        model: (
            model.objects.count(),
            model.objects.aggregate(Max("updated_at"))["updated_at__max"],
        )
        for model in (Producer, Product, Stock)
    }
    certificates = OcopCertificate.objects.count()

    out = StringIO()
    call_command("load_sample_catalog", "--no-images", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[-1] == "Sample catalog loaded."
    assert "producers.csv: 152 unchanged" in lines
    assert "products.csv: 197 unchanged" in lines
    assert all(line.endswith(" unchanged") for line in lines[:-1]), lines
    for model, (count, latest) in stamps.items():
        assert model.objects.count() == count
        assert model.objects.aggregate(Max("updated_at"))["updated_at__max"] == latest
    assert OcopCertificate.objects.count() == certificates


def test_loads_a_new_folder_and_reports_changes(folder):
    report = load_sample_catalog(folder, images=False)
    assert report.counts["producers.csv"] == {"changed": 2}
    assert report.counts["products.csv"] == {"changed": 3}
    assert set(Product.objects.filter(sku__startswith="TST-").values_list("sku", flat=True)) == {
        "TST-01",
        "TST-02",
        "TST-03",
    }
    again = load_sample_catalog(folder, images=False).counts
    assert again["producers.csv"] == {"unchanged": 2}
    assert again["products.csv"] == {"unchanged": 3}


def _break_product(folder: Path, **cells) -> None:
    rows = new_products()
    rows[-1].update(cells)  # the last row is bad: the good ones before it must not be kept
    write_csv(folder / "products.csv", rows)


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        ({"gtin": "8933810630017"}, "gtin", "số kiểm tra"),
        ({"gtin": "12345"}, "gtin", "13 chữ số"),
        ({"price_vnd": "-1000"}, "price", "âm"),
        ({"price_vnd": "mười nghìn"}, "price_vnd", "số nguyên"),
        ({"stock": "-3"}, "stock", "âm"),
        ({"expires_on": "31/12/2028"}, "expires_on", "YYYY-MM-DD"),
        ({"producer_code": "KHONGCO"}, "producer_code", "KHONGCO"),
        ({"ocop_set": "9.9"}, "ocop_set", "9.9"),
        ({"name": ""}, "name", "trống"),
    ],
)
def test_bad_product_row_names_file_line_field_and_writes_nothing(folder, cells, field, words):
    _break_product(folder, **cells)
    with pytest.raises(LoadError) as error:
        load_sample_catalog(folder, images=False)
    message = str(error.value)
    assert f"products.csv, dòng 4, cột {field}:" in message
    assert words in message
    assert [(e.file, e.row, e.field) for e in error.value.errors] == [("products.csv", 4, field)]
    # The producers file is a separate transaction and loaded; nothing of products.csv is.
    assert Producer.objects.filter(code="TST001").exists()
    assert not Product.objects.filter(sku__startswith="TST-").exists()
    assert not OcopCertificate.objects.filter(number__startswith="T0").exists()


def test_every_bad_row_is_reported(folder):
    rows = new_products()
    rows[0]["price_vnd"] = "-1"
    rows[2]["gtin"] = "0"
    write_csv(folder / "products.csv", rows)
    with pytest.raises(LoadError) as error:
        load_sample_catalog(folder, images=False)
    assert [(e.row, e.field) for e in error.value.errors] == [(2, "price"), (4, "gtin")]


def test_unknown_ward_fails_the_producers_file(folder):
    rows = new_producers()
    rows[1]["ward_code"] = "99999"
    write_csv(folder / "producers.csv", rows)
    with pytest.raises(LoadError, match=r"producers\.csv, dòng 3, cột ward_code: .*99999"):
        load_sample_catalog(folder, images=False)
    assert not Producer.objects.filter(code__startswith="TST").exists()


def test_ward_of_another_province_is_refused(folder):
    rows = new_producers()
    rows[0]["province_code"] = "01"  # Hà Nội; the ward is in An Giang
    write_csv(folder / "producers.csv", rows)
    with pytest.raises(LoadError, match=r"producers\.csv, dòng 2, cột ward_code"):
        load_sample_catalog(folder, images=False)
    assert not Producer.objects.filter(code__startswith="TST").exists()


def test_missing_column_fails_before_any_row(folder):
    rows = new_products()
    fieldnames = [name for name in rows[0] if name != "price_vnd"]
    write_csv(folder / "products.csv", [{k: r[k] for k in fieldnames} for r in rows])
    with pytest.raises(LoadError, match=r"products\.csv, dòng 1: thiếu cột: price_vnd"):
        load_sample_catalog(folder, images=False)
    assert not Product.objects.filter(sku__startswith="TST-").exists()


def test_malformed_row_fails_the_file(folder):
    with (folder / "products.csv").open("a", encoding="utf-8") as handle:
        handle.write("TST-99,,Thừa cột,1.8,a,b,3,,,,TST001,gói,1,1,1,draft,mô tả,THỪA\n")
    with pytest.raises(LoadError, match=r"products\.csv, dòng 5: dòng có nhiều cột hơn tiêu đề"):
        load_sample_catalog(folder, images=False)
    assert not Product.objects.filter(sku__startswith="TST-").exists()


def test_short_row_names_the_first_empty_required_field(folder):
    with (folder / "products.csv").open("a", encoding="utf-8") as handle:
        handle.write("TST-99,,Thiếu cột\n")
    with pytest.raises(
        LoadError, match=r"products\.csv, dòng 5, cột producer_code: không được để trống"
    ):
        load_sample_catalog(folder, images=False)
    assert not Product.objects.filter(sku__startswith="TST-").exists()


def test_command_if_empty_skips_a_loaded_database():
    out = StringIO()
    call_command("load_sample_catalog", "--if-empty", stdout=out)
    assert out.getvalue().strip() == "Database already has a catalog; nothing loaded."


def test_fresh_database_is_loaded_once_with_images(folder, tmp_path):
    """What `make run` does on a fresh machine: migrate, then load only while empty.

    A separate process with its own SQLite file: emptying the shared test database would
    have to know every app that points at products.
    """
    env = {
        **zero_setup_environ(),
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    manage("migrate", "--noinput", "--verbosity", "0")
    first = manage("load_sample_catalog", "--if-empty", "--path", str(folder))
    lines = first.splitlines()
    assert "producers.csv: 2 changed" in lines
    assert "products.csv: 3 changed" in lines
    assert "images: 3 generated" in lines
    assert lines[-1] == "Sample catalog loaded."
    images = list((tmp_path / "var" / "media" / "products").rglob("*_320.webp"))
    assert len(images) == 3
    second = manage("load_sample_catalog", "--if-empty", "--path", str(folder))
    assert second.strip() == "Database already has a catalog; nothing loaded."


def test_command_bad_data_fails_clearly_and_writes_nothing(folder):
    _break_product(folder, price_vnd="-5")
    with pytest.raises(CommandError) as error:
        call_command("load_sample_catalog", "--path", str(folder), "--no-images")
    assert "không có gì được ghi" in str(error.value)
    assert "products.csv, dòng 4, cột price" in str(error.value)
    assert not Product.objects.filter(sku__startswith="TST-").exists()


def test_command_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy thư mục"):
        call_command("load_sample_catalog", "--path", str(tmp_path / "khong-co"))


@pytest.mark.django_db
def test_with_register_also_loads_the_trade_office_sample():
    import datetime
    import io

    from django.core.management import call_command

    from marketplace.coverage.models import ExternalListing, RegisterEntry
    from marketplace.coverage.services import compute_coverage

    out = io.StringIO()
    call_command("load_sample_catalog", "--with-register", "--no-images", stdout=out)

    assert RegisterEntry.objects.count() == 261
    assert ExternalListing.objects.count() == 30
    coverage = compute_coverage(datetime.date(2026, 11, 27))
    assert (coverage.certified, coverage.online) == (223, 160)

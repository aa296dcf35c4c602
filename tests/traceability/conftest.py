import contextlib
import datetime
import io

import pytest
from django.db import connection
from PIL import Image

from marketplace.catalog.models import Product
from traceability import guards
from traceability.events import EventData
from traceability.evidence import Evidence
from traceability.lots import BatchData, create_batch
from traceability.selectors import find_batch

SAMPLE_GTIN = "8933810630018"  # AG0001-01, HTX Thủy sản An Phú
SAMPLE_LOT = "L260726A"
SERIALISED_GTIN = "8935831850017"
SERIALISED_LOT = "L260619A"
VN = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def sample_batch(db):
    return find_batch(SAMPLE_GTIN, SAMPLE_LOT)


@pytest.fixture
def fresh_batch(db):
    """An empty lot of a sample product, for tests that build their own chain."""
    product = Product.objects.get(gtin=SAMPLE_GTIN)
    batch, _ = create_batch(
        BatchData(
            product=product,
            lot="TEST01",
            packed_on=datetime.date(2026, 11, 1),
            best_before=datetime.date(2027, 11, 1),
            units=10,
        )
    )
    return batch


def event_data(moment: datetime.datetime, **overrides) -> EventData:
    values = {
        "event_type": "ObjectEvent",
        "action": "ADD",
        "biz_step": "commissioning",
        "disposition": "active",
        "event_time": moment,
        "actor": "HTX Thủy sản An Phú",
        "ward_code": "30337",
        "quantity": None,
        "uom": "",
        "note": "Thu mua cá",
    }
    values.update(overrides)
    return EventData(**values)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PDF")
    return buffer.getvalue()


@pytest.fixture
def png_evidence():
    return Evidence("phieu-kiem-nghiem.png", png_bytes())


@contextlib.contextmanager
def tamper():
    """A cursor as an attacker with database access has it: the guard triggers dropped first."""
    with guards.lifted(), connection.cursor() as cursor:
        yield cursor

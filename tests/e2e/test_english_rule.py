"""The rule of tests/e2e/english.py, without a browser: data is cut out, UI is caught."""

import pytest

from producers.models import OcopCertificate, Producer
from tests.e2e.english import data_texts, vietnamese_ui

pytestmark = pytest.mark.django_db


class Page:
    """What vietnamese_ui reads of a page: its texts."""

    def __init__(self, *texts: str):
        self.texts = list(texts)

    def evaluate(self, script: str) -> list[str]:
        return self.texts


def test_data_is_not_ui_but_vietnamese_words_are():
    certificate = OcopCertificate.objects.exclude(decision="").first()
    producer = Producer.objects.first()
    data = data_texts()
    page = Page(
        f"Decision {certificate.decision}",  # the database's decision text
        f"Certificate No. {certificate.number}",
        "Decision 935/QĐ-UBND of 12/05/2025",  # the shape of a document number
        f"Made by {producer.name}",
        "Price: 125.000 đồng",
        "Giỏ hàng",  # UI left in Vietnamese
        "Xem more",  # an unmarked Vietnamese UI word
        "Gửi 3/Tỉnh khác",  # not a document number: "Tỉnh" is a word
    )
    assert vietnamese_ui(page, data) == ["Giỏ hàng", "Xem more", "Gửi 3/Tỉnh khác"]

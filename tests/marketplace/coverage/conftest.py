import datetime

import pytest

from fixtures.loader import SAMPLE_DIR
from marketplace.coverage.importers import import_external_listings, import_register

REPORT_DAY = datetime.date(2026, 11, 27)  # the day the sample figures are meant for


@pytest.fixture
def sample_register(db):
    """The sample register and external listings, imported as the commands do."""
    register = import_register(
        (SAMPLE_DIR / "registry.csv").read_bytes(), "registry.csv", as_of=REPORT_DAY
    )
    assert register.written, register.lines()
    external = import_external_listings(
        (SAMPLE_DIR / "external_listings.csv").read_bytes(), "external_listings.csv"
    )
    assert external.written, external.lines()
    return register

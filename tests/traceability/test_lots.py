import datetime

import pytest

from fixtures.loader import load_sample_catalog
from marketplace.catalog.models import Product
from marketplace.errors import DomainError
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT, SERIALISED_GTIN, SERIALISED_LOT
from traceability.lots import SERIAL_ALPHABET, BatchData, create_batch
from traceability.models import Batch, Event, Unit
from traceability.selectors import find_batch, is_genuine_serial, lot_events
from traceability.verification import trace, verify_all


def test_sample_lots_and_events_are_loaded_with_valid_chains(db):
    assert Batch.objects.count() == 148
    assert Event.objects.count() == 697
    assert all(status.valid for _, status in verify_all())


def test_out_of_order_sample_rows_are_chained_in_time_order(db):
    batch = find_batch("8934433780012", "L260925A")
    steps = [e.biz_step for e in lot_events(batch)]
    assert steps.index("packing") < steps.index("inspecting")


def test_loading_the_sample_again_changes_nothing(db):
    report = load_sample_catalog(images=False)
    assert report.counts["batches.csv"] == {"unchanged": 148}
    assert report.counts["trace_events.csv"] == {"unchanged": 697}
    assert Event.objects.count() == 697


def test_only_a_third_party_inspection_counts_as_an_inspector(sample_batch):
    events = lot_events(sample_batch)
    inspectors = [e for e in events if e.actor_is_inspector]
    assert [e.biz_step for e in inspectors] == ["inspecting"]
    assert trace(sample_batch).inspected


def test_serialised_lots_get_one_unguessable_serial_per_unit(db):
    batch = find_batch(SERIALISED_GTIN, SERIALISED_LOT)
    serials = list(batch.unit_serials.values_list("serial", flat=True))
    assert len(serials) == batch.units == 200
    assert len(set(serials)) == 200
    assert all(len(s) == 10 and set(s) <= set(SERIAL_ALPHABET) for s in serials)
    # not sequential: no two serials in creation order share a 6-character prefix
    assert len({s[:6] for s in serials}) == 200
    assert is_genuine_serial(batch, serials[0])
    assert not is_genuine_serial(batch, "AAAAAAAAAA")


def test_gtin_13_and_14_find_the_same_lot_and_bad_check_digits_fail(db):
    assert find_batch(SAMPLE_GTIN, SAMPLE_LOT) == find_batch("0" + SAMPLE_GTIN, SAMPLE_LOT)
    with pytest.raises(DomainError) as error:
        find_batch("8933810630019", SAMPLE_LOT)
    assert error.value.code == "INVALID_GTIN" and "8" in error.value.message
    assert find_batch(SAMPLE_GTIN, "NOPE") is None


def test_creating_a_lot_validates_and_is_idempotent(db):
    product = Product.objects.get(gtin=SAMPLE_GTIN)
    data = BatchData(
        product=product,
        lot="X-1",
        packed_on=datetime.date(2026, 1, 1),
        best_before=datetime.date(2027, 1, 1),
        units=3,
        serialised=True,
    )
    batch, created = create_batch(data)
    assert created and Unit.objects.filter(batch=batch).count() == 3
    assert create_batch(data) == (batch, False)
    data.units = 4
    with pytest.raises(DomainError) as exists:
        create_batch(data)
    assert exists.value.code == "LOT_EXISTS"
    for bad in ("LÔ 1", "A/B", "X" * 21):
        data.lot = bad
        with pytest.raises(DomainError) as invalid:
            create_batch(data)
        assert invalid.value.field == "lot"
    data.lot, data.best_before = "X-2", datetime.date(2025, 1, 1)
    with pytest.raises(DomainError):
        create_batch(data)

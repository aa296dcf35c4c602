import pytest

from marketplace.checkout import shipping
from marketplace.checkout.models import ShippingZone


@pytest.mark.parametrize(
    ("zone", "grams", "fee"),
    [
        (ShippingZone.NONE, 9000, 0),
        (ShippingZone.SAME_WARD, 0, 15_000),
        (ShippingZone.SAME_WARD, 1000, 15_000),
        (ShippingZone.SAME_WARD, 1001, 20_000),
        (ShippingZone.SAME_PROVINCE, 3000, 30_000),
        (ShippingZone.ELSEWHERE, 5000, 58_000),
        (ShippingZone.ELSEWHERE, 5001, 64_000),  # each started 500 g above 5 kg
        (ShippingZone.ELSEWHERE, 6000, 70_000),
    ],
)
def test_fee_table(zone, grams, fee):
    assert shipping.shipping_fee(zone, grams) == fee


def test_fees_grow_with_distance_at_every_weight():
    for grams in (500, 2000, 4000, 8000):
        fees = [
            shipping.shipping_fee(zone, grams)
            for zone in (ShippingZone.SAME_WARD, ShippingZone.SAME_PROVINCE, ShippingZone.ELSEWHERE)
        ]
        assert fees == sorted(fees) and len(set(fees)) == 3

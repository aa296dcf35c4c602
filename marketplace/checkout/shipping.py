"""Shipping fees: a table by zone and parcel weight, one fee per sub-order (per producer)."""

from marketplace.checkout.models import ShippingZone

# (up to grams, fee in đồng) per zone; above the last step each extra 500 g costs EXTRA_PER_500G.
RATES: dict[str, list[tuple[int, int]]] = {
    ShippingZone.SAME_WARD: [(1000, 15_000), (3000, 20_000), (5000, 25_000)],
    ShippingZone.SAME_PROVINCE: [(1000, 22_000), (3000, 30_000), (5000, 38_000)],
    ShippingZone.ELSEWHERE: [(1000, 32_000), (3000, 45_000), (5000, 58_000)],
}
EXTRA_PER_500G: dict[str, int] = {
    ShippingZone.SAME_WARD: 2_500,
    ShippingZone.SAME_PROVINCE: 4_000,
    ShippingZone.ELSEWHERE: 6_000,
}


def zone_between(origin_ward, destination_ward, needs_shipping: bool) -> str:
    if not needs_shipping:
        return ShippingZone.NONE
    if origin_ward.pk == destination_ward.pk:
        return ShippingZone.SAME_WARD
    if origin_ward.province_id == destination_ward.province_id:
        return ShippingZone.SAME_PROVINCE
    return ShippingZone.ELSEWHERE


def shipping_fee(zone: str, weight_g: int) -> int:
    if zone == ShippingZone.NONE:
        return 0
    steps = RATES[zone]
    for limit, fee in steps:
        if weight_g <= limit:
            return fee
    last_limit, last_fee = steps[-1]
    extra_halves = -(-(weight_g - last_limit) // 500)  # ceiling division
    return last_fee + extra_halves * EXTRA_PER_500G[zone]


# Working days a parcel usually takes, by zone (what the product page promises, as a range).
DELIVERY_DAYS: dict[str, tuple[int, int]] = {
    ShippingZone.SAME_WARD: (1, 1),
    ShippingZone.SAME_PROVINCE: (1, 2),
    ShippingZone.ELSEWHERE: (2, 5),
}


def estimate_to_province(origin_ward, province_code: str, weight_g: int) -> tuple[str, int, tuple]:
    """(zone, fee, days) for one item sent to somewhere in a province (the ward not known yet)."""
    zone = (
        ShippingZone.SAME_PROVINCE
        if origin_ward.province_id == province_code
        else ShippingZone.ELSEWHERE
    )
    return zone, shipping_fee(zone, weight_g), DELIVERY_DAYS[zone]

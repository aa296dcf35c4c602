import pytest

from marketplace.addresses import postcodes, vpostcode
from marketplace.addresses.phones import normalize_phone
from marketplace.addresses.services import address_from_vpostcode
from marketplace.errors import DomainError

CHAU_DOC_MARKET = vpostcode.Location(10.7056, 105.1281)
PHU_QUOC_DUONG_DONG = vpostcode.Location(10.2167, 103.9603)
HANOI_HOAN_KIEM = vpostcode.Location(21.0285, 105.8542)


@pytest.mark.parametrize(
    ("postcode", "place"),
    [("90000", CHAU_DOC_MARKET), ("91000", PHU_QUOC_DUONG_DONG), ("10000", HANOI_HOAN_KIEM)],
)
def test_round_trip_within_three_metres(postcode, place):
    provider = vpostcode.OfflineVPostcodeProvider()
    code = provider.encode(postcode, place)
    assert len(code) == 12 and code.startswith(postcode)
    # With the address's ward centre as the hint (how a stored address is decoded): exact.
    near = vpostcode.Location(round(place.latitude, 1), round(place.longitude, 1))
    decoded = provider.decode(code, near=near)
    assert decoded.postcode == postcode
    assert abs(decoded.location.latitude - place.latitude) < 0.00003  # ~3 m
    assert abs(decoded.location.longitude - place.longitude) < 0.00003
    # Without a hint the true place is always among the candidates.
    assert any(
        abs(c.location.longitude - place.longitude) < 0.00003 for c in provider.candidates(code)
    )


def test_without_a_hint_a_compact_province_decodes_to_one_place():
    provider = vpostcode.OfflineVPostcodeProvider()
    code = provider.encode("90000", CHAU_DOC_MARKET)
    decoded = provider.decode(code)
    assert abs(decoded.location.longitude - CHAU_DOC_MARKET.longitude) < 0.00003


def test_decoding_accepts_what_people_type():
    provider = vpostcode.OfflineVPostcodeProvider()
    code = provider.encode("90000", CHAU_DOC_MARKET)
    spaced = f"{code[:5]} {code[5:9].lower()}+{code[9:].lower()}"
    assert provider.decode(spaced).location == provider.decode(code).location


@pytest.mark.parametrize("bad", ["", "9000", "90000ABCDEFG", "00000QPG44CV", "90000QPG44C"])
def test_bad_vpostcodes(bad):
    with pytest.raises(DomainError) as caught:
        vpostcode.OfflineVPostcodeProvider().decode(bad)
    assert caught.value.code == "INVALID_VPOSTCODE"


@pytest.mark.django_db
def test_a_vpostcode_fills_the_address():
    code = vpostcode.OfflineVPostcodeProvider().encode("91000", PHU_QUOC_DUONG_DONG)
    options = address_from_vpostcode(code)
    assert all(decoded.province_code == "91" for decoded, _ in options)
    assert "Đặc khu Phú Quốc" in [ward.name for _, ward in options]


@pytest.mark.parametrize(
    ("postcode", "province", "ok"),
    [("90000", "91", True), ("91500", "91", True), ("10000", "01", True), ("90000", "01", False)],
)
def test_postcode_belongs_to_its_province(postcode, province, ok):
    if ok:
        assert postcodes.validate_postcode(postcode, province) == postcode
    else:
        with pytest.raises(DomainError):
            postcodes.validate_postcode(postcode, province)


def test_every_prefix_belongs_to_one_province():
    prefixes = [p for group in postcodes.PROVINCE_PREFIXES.values() for p in group]
    assert len(prefixes) == len(set(prefixes))
    assert len(postcodes.PROVINCE_PREFIXES) == 34


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0912 345 678", "+84912345678"),
        ("+84 912-345-678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0296.3861.234", "+842963861234"),
    ],
)
def test_phone_numbers_are_normalised(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "12345", "0112345678", "+1 650 253 0000", "09123456789"])
def test_bad_phone_numbers(raw):
    with pytest.raises(DomainError) as caught:
        normalize_phone(raw)
    assert caught.value.code == "INVALID_PHONE"


@pytest.mark.django_db
def test_graphql_vpostcode_places(graphql):
    code = vpostcode.OfflineVPostcodeProvider().encode("90000", CHAU_DOC_MARKET)
    body = graphql(
        "query($v: String!) { vpostcodePlaces(vpostcode: $v) "
        "{ postalCode latitude ward { name } } }",
        {"v": code},
    )
    places = body["data"]["vpostcodePlaces"]
    assert places[0]["postalCode"] == "90000"
    assert abs(places[0]["latitude"] - CHAU_DOC_MARKET.latitude) < 0.00003
    assert places[0]["ward"]["name"] == "Phường Châu Đốc"

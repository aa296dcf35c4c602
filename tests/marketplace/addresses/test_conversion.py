"""Old (pre-July-2025) addresses of An Giang and Kiên Giang converted to the 2025 units."""

import pytest

from marketplace.addresses.conversion import convert_old_address
from marketplace.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new_code", "new_name"),
    [
        (("An Giang", "Châu Đốc", "Châu Phú A"), "30316", "Phường Châu Đốc"),
        (("Tỉnh An Giang", "Thành phố Long Xuyên", "Phường Mỹ Bình"), "30307", "Phường Long Xuyên"),
        (("Kiên Giang", "Thành phố Phú Quốc", "Phường Dương Đông"), "31078", "Đặc khu Phú Quốc"),
        (("kien giang", "rach gia", "vinh thanh van"), "30742", "Phường Rạch Giá"),
    ],
)
def test_whole_old_wards_map_to_one_new_ward(old, new_code, new_name):
    conversion = convert_old_address(*old)
    assert not conversion.ambiguous
    assert (conversion.ward.code, conversion.ward.name) == (new_code, new_name)
    assert conversion.ward.province_id == "91"  # An Giang, merged with Kiên Giang


def test_a_split_ward_asks_the_shopper_default_first():
    conversion = convert_old_address("An Giang", "Huyện An Phú", "Xã Phú Hội")
    assert conversion.ambiguous
    assert [w.name for w in conversion.candidates] == ["Xã An Phú", "Xã Nhơn Hội"]
    assert conversion.old_label == "Xã Phú Hội, Huyện An Phú, Tỉnh An Giang"


@pytest.mark.parametrize(
    "old",
    [
        ("An Giang", "Châu Đốc", "Xã Không Có"),
        ("An Giang", "Huyện Không Có", "Châu Phú A"),
        ("Tỉnh Không Có", "Châu Đốc", "Châu Phú A"),
        ("An Giang", "", "Châu Phú A"),
    ],
)
def test_an_old_address_that_did_not_exist_is_refused(old):
    with pytest.raises(DomainError) as caught:
        convert_old_address(*old)
    assert caught.value.code in {"OLD_ADDRESS_NOT_FOUND", "REQUIRED"}


def test_graphql_old_address_convert(graphql):
    body = graphql(
        """query { oldAddressConvert(province: "Kiên Giang", district: "Phú Quốc",
              ward: "Dương Đông") {
            oldAddress ambiguous candidates { code name provinceCode } } }"""
    )
    result = body["data"]["oldAddressConvert"]
    assert result["ambiguous"] is False
    assert result["candidates"] == [
        {"code": "31078", "name": "Đặc khu Phú Quốc", "provinceCode": "91"}
    ]
    missing = graphql(
        'query { oldAddressConvert(province: "An Giang", district: "Châu Đốc", ward: "Ma") '
        "{ oldAddress } }"
    )
    assert missing["errors"][0]["extensions"]["code"] == "OLD_ADDRESS_NOT_FOUND"

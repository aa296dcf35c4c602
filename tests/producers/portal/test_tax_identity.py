"""The owner's tax profile: tax code and citizen ID, what the tax-withheld list names."""

import pytest

from producers import services
from producers.models import Producer, ProducerKind, validate_national_id

pytestmark = pytest.mark.django_db

PAGE = "/portal/ho-so-thue/"


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("valid", ["089123456789", "001099000001", "096000000000"])
def test_a_citizen_id_is_twelve_digits_starting_with_a_province_code(valid):
    validate_national_id(valid)


@pytest.mark.parametrize(
    "invalid", ["08912345678", "0891234567890", "000123456789", "097123456789", "08912345678a"]
)
def test_anything_else_is_not_a_citizen_id(invalid):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_national_id(invalid)


def test_the_owner_records_a_citizen_id_and_is_told_while_none_is_there(client, owner, producer):
    Producer.objects.filter(pk=producer.pk).update(
        kind=ProducerKind.HO_KINH_DOANH, tax_code="", national_id=""
    )
    page = _client(client, owner).get(PAGE)
    assert page.status_code == 200
    assert "sàn chưa nộp được bảng kê thuế" in page.content.decode()
    response = client.post(PAGE, {"tax_code": "", "national_id": " 0891 2345 6789 "})
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.national_id == "089123456789"
    assert "sàn chưa nộp được" not in client.get(PAGE).content.decode()


def test_a_wrong_number_is_refused_on_its_field_and_nothing_is_saved(client, owner, producer):
    before = Producer.objects.values_list("tax_code", "national_id").get(pk=producer.pk)
    response = _client(client, owner).post(PAGE, {"tax_code": "12345", "national_id": "12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mã số thuế gồm 10 hoặc 13 chữ số" in html and "Số căn cước gồm 12 chữ số" in html
    assert Producer.objects.values_list("tax_code", "national_id").get(pk=producer.pk) == before


def test_a_cooperative_is_told_it_is_not_withheld(client, owner, producer):
    Producer.objects.filter(pk=producer.pk).update(kind=ProducerKind.HOP_TAC_XA)
    assert "sàn không khấu trừ thuế" in _client(client, owner).get(PAGE).content.decode()


@pytest.mark.parametrize("who", ["shopper", "staff_member", "other_owner"])
def test_only_the_owner_changes_it(request, client, producer, who):
    user = request.getfixturevalue(who)
    before = Producer.objects.values_list("national_id", flat=True).get(pk=producer.pk)
    response = _client(client, user).post(PAGE, {"national_id": "089123456789"})
    assert response.status_code in (302, 403)
    if who == "other_owner":  # saves its own producer, never this one
        assert Producer.objects.get(code="AG0003").national_id == "089123456789"
    else:
        assert response.status_code == 403
    assert Producer.objects.values_list("national_id", flat=True).get(pk=producer.pk) == before


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/portal/dang-nhap/" in response["Location"]


def test_the_service_refuses_a_member_who_is_not_the_owner(staff_member, producer):
    from marketplace.errors import DomainError

    with pytest.raises(DomainError):
        services.update_tax_identity(staff_member, producer, tax_code="", national_id="")

"""Admin-unit tables kept in step with `vietnam-provinces`; shipping addresses validated."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from marketplace.addresses import centres, postcodes, units, vpostcode
from marketplace.addresses.errors import AddressError
from marketplace.addresses.models import Province, Ward
from marketplace.addresses.phones import normalize_phone
from marketplace.errors import DomainError, ValidationFailed
from marketplace.text import nfc


@transaction.atomic
def sync_admin_units(province_model=Province, ward_model=Ward) -> tuple[int, int]:
    """Insert or update all provinces and wards; returns their counts.

    The models are parameters so the data migration can pass its historical models.
    """
    provinces = list(units.iter_provinces())
    wards = list(units.iter_wards())
    province_model.objects.bulk_create(
        [
            province_model(
                code=p.code, name=p.name, division_type=p.division_type, codename=p.codename
            )
            for p in provinces
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "division_type", "codename"],
    )
    ward_model.objects.bulk_create(
        [
            ward_model(
                code=w.code,
                name=w.name,
                division_type=w.division_type,
                codename=w.codename,
                province_id=w.parent_code,
            )
            for w in wards
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "division_type", "codename", "province"],
        batch_size=500,
    )
    return len(provinces), len(wards)


@dataclass(frozen=True)
class AddressInput:
    full_name: str
    phone: str
    province_code: str
    ward_code: str
    street_address: str
    postal_code: str = ""
    vpostcode: str = ""
    latitude: float | None = None  # a map pin, when the shopper dropped one
    longitude: float | None = None


@dataclass(frozen=True)
class CleanAddress:
    full_name: str
    phone: str
    province: Province
    ward: Ward
    street_address: str
    postal_code: str
    vpostcode: str


def clean_address(data: AddressInput) -> CleanAddress:
    """Validate a shipping address; fill the postcode and VPostcode when the shopper gave none.

    Raises ValidationFailed listing every bad field at once.
    """
    errors: list[DomainError] = []
    full_name = nfc(data.full_name)
    street = nfc(data.street_address)
    if not full_name:
        errors.append(
            DomainError(
                AddressError.REQUIRED, gettext("Vui lòng nhập họ tên người nhận."), "full_name"
            )
        )
    if not street:
        errors.append(
            DomainError(
                AddressError.REQUIRED, gettext("Vui lòng nhập số nhà, tên đường."), "street_address"
            )
        )
    phone = ""
    try:
        phone = normalize_phone(data.phone, "phone")
    except DomainError as exc:
        errors.append(exc)
    ward = Ward.objects.select_related("province").filter(pk=(data.ward_code or "").strip()).first()
    province_code = (data.province_code or "").strip()
    if ward is None:
        errors.append(
            DomainError(AddressError.INVALID_WARD, gettext("Xã/phường không tồn tại."), "ward_code")
        )
    elif ward.province_id != province_code:
        errors.append(
            DomainError(
                AddressError.INVALID_WARD,
                gettext("%(name)s không thuộc tỉnh/thành đã chọn.") % {"name": ward.name},
                "ward_code",
            )
        )
    postal_code = ""
    vpostcode = ""
    if ward is not None and ward.province_id == province_code:
        try:
            postal_code = (
                postcodes.validate_postcode(data.postal_code, province_code)
                if (data.postal_code or "").strip()
                else postcodes.default_postcode(province_code)
            )
            vpostcode = _vpostcode_for(data, postal_code, ward)
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise ValidationFailed(errors)
    return CleanAddress(full_name, phone, ward.province, ward, street, postal_code, vpostcode)


def _vpostcode_for(data: AddressInput, postal_code: str, ward: Ward) -> str:
    """The shopper's VPostcode if given (it must match the postcode), else one computed here."""
    codes = vpostcode.provider()
    if (data.vpostcode or "").strip():
        centre = centres.ward_centre(ward)
        given = codes.decode(data.vpostcode, near=vpostcode.Location(*centre) if centre else None)
        if given.province_code != ward.province_id:
            raise DomainError(
                AddressError.INVALID_VPOSTCODE,
                gettext("VPostcode không thuộc tỉnh/thành đã chọn."),
                "vpostcode",
            )
        return codes.encode(postal_code, given.location)
    if data.latitude is not None and data.longitude is not None:
        pin = vpostcode.Location(data.latitude, data.longitude)
    else:
        centre = centres.ward_centre(ward)
        if centre is None:
            return ""
        pin = vpostcode.Location(*centre)
    return codes.encode(postal_code, pin)


def address_from_vpostcode(code: str) -> list[tuple[vpostcode.Decoded, Ward | None]]:
    """The places a VPostcode may stand for, each with the ward whose centre is nearest.

    Usually one; a province wider than 1° may give two, and the shopper picks.
    """
    results = []
    for decoded in vpostcode.provider().candidates(code):
        here = (decoded.location.latitude, decoded.location.longitude)
        best = None
        for ward in Ward.objects.filter(province_id=decoded.province_code):
            centre = centres.ward_centre(ward)
            if centre is None:
                continue
            distance = (centre[0] - here[0]) ** 2 + (centre[1] - here[1]) ** 2
            if best is None or distance < best[0]:
                best = (distance, ward)
        results.append((decoded, best[1] if best else None))
    return results

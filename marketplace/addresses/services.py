"""Keeping the administrative-unit tables in step with the `vietnam-provinces` package."""

from django.db import transaction

from marketplace.addresses import units
from marketplace.addresses.models import Province, Ward


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

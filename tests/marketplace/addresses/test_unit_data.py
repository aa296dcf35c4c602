"""`vietnamadminunits` is read one way: through marketplace.addresses.unit_data (conversion.py
also uses the package's address parser, a function, not its data)."""

from marketplace.addresses import unit_data
from marketplace.addresses.conversion import legacy_ward_names
from marketplace.addresses.units import HOME_PROVINCE_CODE
from tests.source_tree import imported_modules, parsed

READERS = {"marketplace/addresses/unit_data.py"}
PARSER_ONLY = {"marketplace/addresses/conversion.py"}


def test_only_unit_data_reads_the_package():
    importing = {
        path: {m for m in imported_modules(tree) if m.split(".")[0] == "vietnamadminunits"}
        for path, tree in parsed()
    }
    importing = {path: modules for path, modules in importing.items() if modules}
    assert set(importing) == READERS | PARSER_ONLY
    assert importing["marketplace/addresses/conversion.py"] == {"vietnamadminunits"}


def test_the_home_province_as_the_package_has_it():
    wards = unit_data.new_units(HOME_PROVINCE_CODE)
    assert len(wards) == 102 and {w["provinceCode"] for w in wards} == {"91"}
    key = wards[0]["provinceKey"]
    old_provinces = {u["provinceKey"] for u in unit_data.legacy_units(key)}
    assert (
        old_provinces == set(unit_data.tables()["DICT_PROVINCE"][key]) and len(old_provinces) == 2
    )
    new_keys = {w["wardKey"] for w in wards}
    went_to = unit_data.new_ward_keys_of(key)
    assert went_to and all(keys <= new_keys for keys in went_to.values())


def test_old_ward_names_lead_to_todays_wards():
    names = legacy_ward_names(HOME_PROVINCE_CODE)
    today = {w["wardCode"] for w in unit_data.new_units(HOME_PROVINCE_CODE)}
    assert len(names) > 500
    assert all(codes and codes <= today for codes in names.values())

"""The models and the migrations agree (the test database itself is built by running them all)."""

import pytest
from django.core.management import call_command
from django.db import connection

from marketplace.taxonomy.models import OcopGroup, ProductSet

pytestmark = pytest.mark.django_db


def test_no_model_change_is_missing_a_migration():
    # --check exits non-zero when makemigrations would write a migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_ocop_taxonomy_moved_apps_without_moving_its_tables():
    tables = set(connection.introspection.table_names())
    assert {OcopGroup._meta.db_table, ProductSet._meta.db_table} <= tables
    assert (OcopGroup._meta.db_table, ProductSet._meta.db_table) == (
        "catalog_ocopgroup",
        "catalog_productset",
    )
    assert ProductSet.objects.count() == 26 and OcopGroup.objects.count() == 6

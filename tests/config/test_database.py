import pytest
from django.db import IntegrityError, connection, transaction

from marketplace.catalog.models import Stock
from tests.services import need_postgres


@pytest.mark.django_db
def test_ci_runs_on_postgres_when_services_are_required():
    need_postgres()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 130000


@pytest.mark.django_db
def test_database_refuses_negative_stock_even_behind_the_services_back():
    stock = Stock.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Stock._meta.db_table} SET quantity = -1 WHERE id = %s", [stock.pk]
            )

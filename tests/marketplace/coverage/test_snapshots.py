"""Monthly snapshots freeze the figures; the trend shows them, then the live month."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from marketplace.coverage.models import CoverageSnapshot
from marketplace.coverage.services import compute_coverage, take_snapshot, trend

pytestmark = pytest.mark.django_db


def test_a_past_month_is_computed_for_its_last_day(sample_register, capsys):
    call_command("coverage_snapshot", "--month", "2026-09")
    snapshot = CoverageSnapshot.objects.get()
    assert snapshot.month == datetime.date(2026, 9, 1)
    assert snapshot.as_of == datetime.date(2026, 9, 30)
    live = compute_coverage(datetime.date(2026, 9, 30))
    assert (snapshot.certified, snapshot.online, snapshot.share) == (
        live.certified,
        live.online,
        live.share,
    )
    assert [r["key"] for r in snapshot.breakdowns["group"]] == ["1", "2", "3", "4", "5", "6"]
    assert "Tháng 09/2026 (ngày 30/09/2026)" in capsys.readouterr().out


def test_snapshots_are_refreshed_not_duplicated(sample_register):
    take_snapshot(datetime.date(2026, 8, 1))
    take_snapshot(datetime.date(2026, 8, 15))
    assert CoverageSnapshot.objects.count() == 1


def test_bad_or_future_months_are_refused():
    with pytest.raises(CommandError, match="không phải tháng"):
        call_command("coverage_snapshot", "--month", "2026-13")
    with pytest.raises(CommandError, match="chưa tới"):
        call_command("coverage_snapshot", "--month", "2999-01")


def test_trend_ends_with_the_live_month(sample_register):
    take_snapshot(datetime.date(2026, 9, 1))
    take_snapshot(datetime.date(2026, 10, 1))
    points = trend()
    assert [p.live for p in points][-1] is True
    frozen = [p.month for p in points if not p.live]
    assert frozen == sorted(frozen)
    assert datetime.date(2026, 9, 1) in frozen or points[-1].month <= datetime.date(2026, 10, 1)

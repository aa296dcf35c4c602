import os

import pytest

from tests.services import need

SECRET = "whsec_test_for_pytest"


@pytest.fixture
def stripe_mock(settings):
    base = os.environ.get("STRIPE_API_BASE", "")
    need(bool(base), "needs stripe-mock: run .ci/services/stripe-mock.sh (sets STRIPE_API_BASE)")
    settings.STRIPE_API_BASE = base
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return base

from tests.producers.portal.conftest import (  # noqa: F401  (the portal's cast of users)
    _fast_password_hashing,
    other_owner,
    other_producer,
    owner,
    producer,
    shopper,
    staff_member,
)

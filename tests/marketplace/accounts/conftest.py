from tests.marketplace.reviews import conftest as reviews
from tests.producers.portal import conftest as portal

_fast_password_hashing = portal._fast_password_hashing
producer, product, owner = portal.producer, portal.product, portal.owner
order = reviews.order

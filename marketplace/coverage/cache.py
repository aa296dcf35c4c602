"""Coverage figures cached per day (marketplace.versioned_cache), dropped whenever what they
count changes: a register entry, a listing link, an external listing, a product, a producer or
an OCOP group is saved or deleted, or the importers and the linker bulk-write (`changed()`)."""

import datetime

from marketplace.versioned_cache import VersionedCache

figures = VersionedCache("coverage", timeout=6 * 3600)
changed = figures.changed


def cached(as_of: datetime.date, variant: str, compute):
    """compute() for this day, from the cache when nothing has changed since it was stored."""
    return figures.cached(f"{variant}:{as_of.isoformat()}", compute)


def connect_signals() -> None:
    from marketplace.catalog.models import Product
    from marketplace.coverage.models import ExternalListing, ListingLink, RegisterEntry
    from marketplace.taxonomy.models import OcopGroup
    from producers.models import Producer

    figures.watch(RegisterEntry, ListingLink, ExternalListing, Product, Producer, OcopGroup)

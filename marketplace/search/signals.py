"""Keep search documents fresh: after commit, whenever what a document shows has changed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.catalog.models import Product
from marketplace.catalog.stock import stock_changed
from marketplace.search.services import ELASTICSEARCH, configured_backend
from marketplace.search.tasks import refresh_after_commit
from producers.models import OcopCertificate, Producer


@receiver(post_save, sender=Product, dispatch_uid="search_product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="search_product_deleted")
def product_changed(sender, instance, **kwargs):
    refresh_after_commit([instance.pk])


@receiver(stock_changed, dispatch_uid="search_stock_changed")
def stock_moved(sender, product_ids, **kwargs):
    # In-stock is a filter in the engine's documents; the database joins Stock directly.
    if configured_backend() == ELASTICSEARCH:
        refresh_after_commit(product_ids)


@receiver(post_save, sender=Producer, dispatch_uid="search_producer_saved")
def producer_changed(sender, instance, created, **kwargs):
    if not created:
        refresh_after_commit(instance.products.values_list("pk", flat=True))


@receiver(post_save, sender=OcopCertificate, dispatch_uid="search_certificate_saved")
def certificate_changed(sender, instance, created, **kwargs):
    if not created:
        refresh_after_commit(instance.products.values_list("pk", flat=True))

from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "marketplace.taxonomy"
    label = "taxonomy"
    verbose_name = "Phân loại sản phẩm OCOP"

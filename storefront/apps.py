from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "storefront"
    verbose_name = "Gian hàng"

    def ready(self):
        from storefront import selectors

        selectors.watch_catalog()

from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "marketplace.invoices"
    label = "invoices"
    verbose_name = "Hóa đơn điện tử"

    def ready(self):
        from marketplace.invoices import receivers  # noqa: F401  (connects the delivery hook)

from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "marketplace.coverage"
    label = "coverage"
    verbose_name = "Tỷ lệ OCOP trực tuyến"

    def ready(self):
        from marketplace.coverage import cache

        cache.connect_signals()

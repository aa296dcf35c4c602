from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "marketplace.search"
    label = "search"
    verbose_name = "Tìm kiếm"

    def ready(self):
        from marketplace.search import signals  # noqa: F401 - connects the receivers

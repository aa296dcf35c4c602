from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "marketplace.search"
    label = "search"
    verbose_name = "Tìm kiếm"

from django.apps import AppConfig


class SettlementsConfig(AppConfig):
    name = "marketplace.settlements"
    label = "settlements"
    verbose_name = "Sổ cái và đối soát"

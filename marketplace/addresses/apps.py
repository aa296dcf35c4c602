from django.apps import AppConfig


class AddressesConfig(AppConfig):
    name = "marketplace.addresses"
    label = "addresses"
    verbose_name = "Địa chỉ hành chính"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "marketplace.accounts"
    label = "shopper_accounts"
    verbose_name = "Tài khoản khách mua"

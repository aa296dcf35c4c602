from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "producers.tokens"
    label = "apitokens"
    verbose_name = "Mã API của cơ sở"

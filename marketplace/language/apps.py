from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "marketplace.language"
    label = "language"
    verbose_name = "Ngôn ngữ"

    def ready(self):
        from marketplace.language import signals  # noqa: F401  (connects the sign-in hook)

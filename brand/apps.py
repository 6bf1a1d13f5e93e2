from django.apps import AppConfig


class BrandConfig(AppConfig):
    name = "brand"
    verbose_name = "Marque MoroccoTech"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from brand import signals

        signals.connect()

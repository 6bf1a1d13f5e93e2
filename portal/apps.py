from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import cache_tags

        cache_tags.connect()

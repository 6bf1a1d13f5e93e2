from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal import checks  # noqa: F401 (checks registers itself)
        from portal.core.cache import tags as cache_tags
        from portal.sitewide import moderation

        cache_tags.connect()
        moderation.connect()
        # A data migration changes content without the signals pages are cached by.
        post_migrate.connect(cache_tags.on_everything_changed, sender=self, dispatch_uid="cache-tags-migrate")

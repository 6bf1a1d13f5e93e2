from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Événements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from events import signals

        signals.connect()

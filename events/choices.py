"""Plain values shared by the event models and the calendar export, which imports no model."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def portal_timezone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("En présentiel")
    ONLINE = "online", _("En ligne")
    HYBRID = "hybrid", _("Hybride")

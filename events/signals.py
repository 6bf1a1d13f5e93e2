from django.db.models import F
from wagtail.signals import page_published

from events.models import EventPage


def bump_ical_sequence(sender, instance, **kwargs):
    # Calendar apps replace their copy of an event only when SEQUENCE grows.
    EventPage.objects.filter(pk=instance.pk).update(ical_sequence=F("ical_sequence") + 1)


def connect():
    page_published.connect(bump_ical_sequence, sender=EventPage, dispatch_uid="events-ical-sequence")

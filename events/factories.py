"""Factories for events, shared by tests and content generators."""

import datetime

import factory

from events.models import EventPage, portal_timezone
from portal.core.factories import TaggedPageFactory


class EventPageFactory(TaggedPageFactory):
    title = factory.Sequence(lambda n: f"Rencontre numérique n°{n}")
    slug = factory.Sequence(lambda n: f"evenement-{n}")
    summary = "Une rencontre de l'écosystème numérique marocain."
    starts_at = factory.LazyFunction(lambda: datetime.datetime(2030, 5, 20, 9, 0, tzinfo=portal_timezone()))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    event_format = "in_person"
    city = "Casablanca"

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

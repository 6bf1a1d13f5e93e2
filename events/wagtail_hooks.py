"""What the events app adds to pages it does not own (see portal/core/extensions.py)."""

from django.db.models import Q
from django.utils.functional import SimpleLazyObject
from wagtail import hooks

from events.models import EventIndexPage, EventPage
from portal.core.cache import cached_value
from portal.core.extensions import NEWS_INDEX_CONTEXT, ORGANISATION_CONTEXT
from portal.core.pagination import cached_list
from portal.core.visibility import public


@hooks.register(NEWS_INDEX_CONTEXT)
def calendar_beside_the_news(page, request):
    """The events section beside this news section, for its calendar feed link."""
    return {
        "events_index": cached_value(
            "events-index",
            (page.pk,),
            lambda: EventIndexPage.objects.sibling_of(page).live().first(),
            shows=(EventIndexPage,),
        )
    }


@hooks.register(ORGANISATION_CONTEXT)
def events_of_an_organisation(page, request, organisation, key):
    """The latest 20 events the organisation organises or supports, newest first."""
    events = SimpleLazyObject(
        lambda: cached_list(
            public(EventPage.objects.live())
            .filter(Q(organisers=organisation) | Q(partners=organisation))
            .distinct()
            .defer("body")
            .order_by("-starts_at")[:20],
            key=("organisation-events", *key),
        )
    )
    return {"organisation_events": events}

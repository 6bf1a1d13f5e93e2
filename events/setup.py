"""Creating the events the seed articles report, idempotently.

An event that exists (same slug in the default language) is left as editors
made it; only links to articles imported since are added.
"""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from wagtail.models import Locale

from brand.models import Organisation
from events.models import EventIndexPage, EventPage, EventRelatedArticle, portal_timezone
from portal.news.models import ArticlePage

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "events" / "events.yaml"


def local_midnight(day):
    return datetime.datetime.combine(day, datetime.time.min, portal_timezone())


def link_articles(event, file_names):
    wanted = ArticlePage.objects.filter(import_file__in=file_names)
    have = set(event.related_articles.values_list("article_id", flat=True))
    missing = [a for a in wanted if a.pk not in have]
    for n, article in enumerate(missing, start=len(have)):
        EventRelatedArticle.objects.create(page=event, article=article, sort_order=n)
    return len(missing)


def setup_events(log=lambda message: None):
    locale = Locale.get_default()
    index = EventIndexPage.objects.filter(locale=locale).first()
    if index is None:
        return
    organisations = {o.slug: o for o in Organisation.objects.filter(locale=locale)}
    created = linked = 0
    for entry in yaml.safe_load(FIXTURE.read_text(encoding="utf-8")):
        event = EventPage.objects.child_of(index).filter(slug=entry["slug"]).first()
        if event is None:
            event = EventPage(
                title=entry["title"],
                slug=entry["slug"],
                summary=" ".join(entry["summary"].split()),
                starts_at=local_midnight(entry["start"]),
                ends_at=local_midnight(entry["end"]),
                all_day=entry.get("all_day", False),
                event_format=entry["format"],
                venue=entry.get("venue", ""),
                city=entry.get("city", ""),
                country=entry.get("country", ""),
                online_url=entry.get("online_url", ""),
                participants=entry.get("participants"),
                countries=entry.get("countries"),
                attendance_note=entry.get("attendance_note", ""),
                edition=entry.get("edition"),
                locale=locale,
            )
            event.organisers = [organisations[slug] for slug in entry["organisers"]]
            event.partners = [organisations[slug] for slug in entry["partners"]]
            event.tags.set(entry.get("tags", []))
            index.add_child(instance=event)
            event.save_revision(log_action=True).publish()
            created += 1
        linked += link_articles(event, entry.get("articles", []))
    if created:
        log(f"created {created} events from fixtures/events/events.yaml")
    if linked and not created:
        log(f"linked {linked} articles to their events")

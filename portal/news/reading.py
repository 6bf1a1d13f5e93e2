"""What an article page offers besides its text: related articles, the previous and next ones, sharing.

Related articles share the article's tags and, through the apps that answer
ARTICLE_RELATED (brand: the organisations it names), more; the most shared
first, then the newest. Previous and next follow the section's own order
(the source's date, newest first). All of it is one cached value per
article, dropped when any article of the listing changes.
"""

import functools
import operator
from urllib.parse import quote, urlencode

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.cache import cached_value
from portal.core.extensions import ARTICLE_RELATED

RELATED_COUNT = 4


def neighbours(article, listing):
    """(previous: older, next: newer) in the section's order, or None at either end."""
    date, pk = article.display_date, article.pk
    if date is None:
        return None, None
    older = listing.filter(Q(sort_date__lt=date) | Q(sort_date=date, pk__lt=pk)).first()
    newer = (
        listing.filter(Q(sort_date__gt=date) | Q(sort_date=date, pk__gt=pk)).order_by("sort_date", "pk").first()
    )
    return older, newer


def related(article, listing):
    tag_ids = [tag.pk for tag in article.tags.all()]
    conditions = [Q(tags__in=tag_ids)] if tag_ids else []
    scores = [Count("tags", filter=Q(tags__in=tag_ids), distinct=True)] if tag_ids else []
    for answer in hooks.get_hooks(ARTICLE_RELATED):
        condition, score = answer(article)
        conditions.append(condition)
        scores.append(score)
    if not conditions:
        return []
    candidates = (
        listing.filter(functools.reduce(operator.or_, conditions))
        .annotate(shared=functools.reduce(operator.add, scores))
        .order_by("-shared", "-sort_date", "-pk")
    )
    return list(candidates[:RELATED_COUNT])


def reading(article):
    """{"related", "previous", "next"} for an article's page."""

    def compute():
        # Titles and dates are all these show: not the tags a card's listing prefetches.
        listing = (
            type(article).objects.listing(locale=article.locale).exclude(pk=article.pk).prefetch_related(None)
        )
        previous, following = neighbours(article, listing)
        return {"related": related(article, listing), "previous": previous, "next": following}

    # The listing's pages are recorded as what the value shows: any article published,
    # unpublished or retagged drops it.
    return cached_value("article-reading", (article.pk,), compute, shows=(type(article),))


def share_links(url, title):
    """Plain links to share a page: no script of theirs on ours, nothing loaded until a visitor clicks."""
    text = quote(title)
    return [
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
        (_("E-mail"), f"mailto:?subject={text}&body={quote(url)}"),
    ]

"""RSS 2.0 feeds of the news, all articles or one tag, with Django's syndication framework."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_ITEMS = 30


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, news_index, articles, tag=None):
        """`articles`: the section's listing (ArticlePage.objects.listing), already filtered by `tag`."""
        super().__init__()
        self.news_index = news_index
        self.articles = articles
        self.tag = tag
        self.language = news_index.locale.language_code

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        if self.tag:
            return _("MoroccoTech — actualités : %(tag)s") % {"tag": self.tag.name}
        return _("MoroccoTech — actualités")

    def link(self):
        url = self.news_index.get_full_url(self.request)
        return f"{url}?tag={self.tag.slug}" if self.tag else url

    def description(self):
        return self.news_index.introduction or _("L'actualité de l'écosystème numérique marocain.")

    def items(self):
        return self.articles[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        if item.published_on:
            # The source gives a day; noon in Casablanca keeps it that day everywhere.
            return datetime.datetime.combine(
                item.published_on, datetime.time(12, 0), timezone.get_default_timezone()
            )
        return item.first_published_at

    def item_author_name(self, item):
        parts = [item.author, item.source_name]
        return " / ".join(p for p in parts if p) or None

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]

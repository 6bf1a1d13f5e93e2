"""Factories for the news pages, shared by tests and content generators."""

import datetime

import factory
import wagtail_factories

from portal.core.factories import TaggedPageFactory
from portal.news.models import ArticlePage, NewsIndexPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Actualités"
    slug = "actualites"

    class Meta:
        model = NewsIndexPage


class ArticlePageFactory(TaggedPageFactory):
    title = factory.Sequence(lambda n: f"Transformation numérique : article n°{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "Le Maroc accélère sa transformation numérique avec l'écosystème MoroccoTech."
    published_on = factory.Sequence(lambda n: datetime.date(2022, 1, 1) + datetime.timedelta(days=n))
    source_name = "L'Opinion"
    author = "Rédaction"
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>Les startups marocaines exposent leurs innovations.</p>")]
    )

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

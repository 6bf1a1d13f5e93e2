"""Factories for the portal's pages, shared by tests and content generators."""

import datetime

import factory
import wagtail_factories

from portal.models import ArticlePage, HomePage, NewsIndexPage


class TaggedPageFactory(wagtail_factories.PageFactory):
    """Pages with a ClusterTaggableManager `tags`: SomeFactory(tags=["IA", "fintech"])."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted:
            self.tags.set(extracted)
            if create:
                self.save()


class HomePageFactory(wagtail_factories.PageFactory):
    title = "MoroccoTech"
    slug = factory.Sequence(lambda n: f"accueil-{n}")

    class Meta:
        model = HomePage


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

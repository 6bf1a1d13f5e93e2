"""Factories for the site-wide pages."""

import factory
import wagtail_factories

from portal.sitewide.models import HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "MoroccoTech"
    slug = factory.Sequence(lambda n: f"accueil-{n}")

    class Meta:
        model = HomePage

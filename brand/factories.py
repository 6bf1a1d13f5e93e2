"""Factories for the brand app, shared by tests and content generators."""

import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Locale

from brand.models import City, Organisation, Sector, StartupPage


def default_locale():
    return Locale.get_default()


class SectorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Secteur {n}")
    slug = factory.Sequence(lambda n: f"secteur-{n}")
    locale = factory.LazyFunction(default_locale)

    class Meta:
        model = Sector
        django_get_or_create = ("slug", "locale")


class CityFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Ville {n}")
    slug = factory.Sequence(lambda n: f"ville-{n}")
    locale = factory.LazyFunction(default_locale)

    class Meta:
        model = City
        django_get_or_create = ("slug", "locale")


class OrganisationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation numéro {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.ASSOCIATION
    locale = factory.LazyFunction(default_locale)

    class Meta:
        model = Organisation


class StartupPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Startup Numéro {n}")
    slug = factory.Sequence(lambda n: f"startup-{n}")
    pitch = "Une solution numérique pour les entreprises marocaines."
    city = factory.SubFactory(CityFactory)
    stage = "seed"
    # A member as a moderator publishes one: checked on the day (brand.membership.freshness).
    verified_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = StartupPage
        skip_postgeneration_save = True

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if extracted:
            self.sectors.set(extracted)
            if create:
                self.save()

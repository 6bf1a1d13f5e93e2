import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from events.setup import setup_events
from portal.news.importers.articles import import_paths
from portal.sitewide.setup import setup_site

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "articles"
# What production settings require besides the secrets, for the tests that start them.
PRODUCTION_ADDRESSES = {
    "PUBLIC_BASE_URL": "https://moroccotech.ma",
    "DATABASE_URL": os.environ.get("DATABASE_URL") or "sqlite:///:memory:",
}
FILES_DIR = Path(__file__).parent / "portal" / "files"


def make_user(name, group):
    """A user in one of the editorial groups setup_portal creates."""
    user = get_user_model().objects.create_user(name, f"{name}@example.ma", "a-long-password-1234")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back database fires no invalidation signal."""
    from django.core.cache import cache

    from portal.sitewide import search_hits

    cache.clear()
    search_hits.discard()
    yield


@pytest.fixture
def portal_site(db):
    """The French site tree as setup_portal builds it, without the articles.

    Without the Arabic and English versions (the multilingual fixture adds
    them): most tests are about one language, and translating costs time.
    """
    home, sections = setup_site(translations=False)
    return {"home": home, "news": sections["NewsIndexPage"], **sections}


@pytest.fixture
def multilingual(seeded):
    """The seeded site with its English and Arabic versions, as setup_portal makes them."""
    from portal.sitewide.translations import ensure_translations

    ensure_translations(seeded["home"], seeded)
    return seeded


@pytest.fixture
def seeded(portal_site):
    """The site with the five seed articles imported."""
    summary = import_paths([SEEDS_DIR])
    assert summary.failed == 0, [(r.name, r.reason) for r in summary.results]
    setup_events()
    return portal_site


@pytest.fixture
def client(client):
    # The default site answers on localhost; Django's "testserver" would be
    # served too (it is the only site), but real requests carry this host.
    client.defaults["HTTP_HOST"] = "localhost"
    return client

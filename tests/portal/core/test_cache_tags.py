"""The cache's door (portal.core.cache): what a cached value depends on, and what drops it.

Each test computes values through the public interface (`cached_value`,
`depends_on`, `invalidate`, `purge`) and watches whether they are computed
again, as a page would show them.
"""

import datetime
import itertools

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from wagtail.models import Locale

from brand.factories import CityFactory, SectorFactory, StartupPageFactory
from brand.models import BrandPartner, City, Sector, StartupPage
from events.factories import EventPageFactory
from portal.core.cache import cached_value, invalidate, purge
from portal.core.cache.tags import LocalEntries
from portal.news.factories import ArticlePageFactory


class Computed:
    """A value that counts how many times it was computed: shows whether the cache answered."""

    def __init__(self, compute=lambda: None):
        self.times = 0
        self.compute = compute

    def __call__(self):
        self.times += 1
        return (self.times, self.compute())


_names = itertools.count()


def reader(shows=(), compute=lambda: None, **options):
    """A cached value of its own, and how many times it was computed."""
    computed, name = Computed(compute), next(_names)

    def read():
        return cached_value("test", (name,), computed, shows=shows, **options)

    return read, computed


def test_a_listing_of_a_kind_is_computed_again_when_a_page_of_that_kind_is_published(portal_site):
    read, computed = reader(shows=(StartupPage,), compute=lambda: list(StartupPage.objects.live()))
    read(), read()
    assert computed.times == 1
    EventPageFactory(parent=portal_site["EventIndexPage"])  # another kind: the listing stays
    read()
    assert computed.times == 1
    StartupPageFactory(parent=portal_site["StartupIndexPage"])
    read()
    assert computed.times == 2


def test_a_record_loaded_while_computing_is_a_dependency_and_no_other(portal_site):
    shown, other = CityFactory(), CityFactory()
    read, computed = reader(compute=lambda: City.objects.get(pk=shown.pk).name)
    read()
    other.name = "Ville voisine"
    other.save()
    read()
    assert computed.times == 1
    shown.name = "Ville renommée"
    shown.save()
    assert read() == (2, "Ville renommée")


def test_a_page_s_inline_rows_stand_for_the_page_s_kind(portal_site):
    brand = portal_site["BrandPage"]
    read, computed = reader(shows=(BrandPartner,), compute=lambda: BrandPartner.objects.count())
    read()
    brand.save_revision().publish()
    read()
    assert computed.times == 2


def test_a_listing_of_something_nothing_would_drop_is_refused_when_declared(db):
    read, _computed = reader(shows=(User,))
    with pytest.raises(ValueError, match=r"auth\.User"):
        read()


def test_a_value_found_in_the_cache_passes_what_it_shows_to_the_value_around_it(portal_site):
    city = CityFactory()
    inner, _ = reader(compute=lambda: City.objects.get(pk=city.pk).name)
    inner()  # computed and kept alone
    outer, computed = reader(compute=inner)  # finds it in the cache
    outer()
    city.name = "Nouveau nom"
    city.save()
    assert outer() == (2, (2, "Nouveau nom"))
    assert computed.times == 2


def test_invalidate_drops_what_shows_a_thing_and_nothing_else_purge_drops_everything(portal_site):
    article, other = (ArticlePageFactory(parent=portal_site["news"]) for _ in range(2))
    read_article, article_computed = reader(shows=(article,))
    read_other, other_computed = reader(shows=(other,))
    read_article(), read_other()
    invalidate(article)
    read_article(), read_other()
    assert (article_computed.times, other_computed.times) == (2, 1)
    purge()
    read_article(), read_other()
    assert (article_computed.times, other_computed.times) == (3, 2)


def test_a_change_in_a_transaction_drops_again_on_commit_what_was_computed_before_it(
    portal_site, django_capture_on_commit_callbacks
):
    sector = SectorFactory()
    read, computed = reader(shows=(sector,))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invalidate(sector)
    read()  # another process renders from what it read before the commit: kept, for now
    read()
    assert computed.times == 1 and len(callbacks) == 1
    callbacks[0]()  # the commit
    read()
    assert computed.times == 2


def test_a_value_computed_while_what_it_shows_changes_elsewhere_is_not_kept(portal_site):
    """Another process publishes while this one computes: what it computed may be stale."""
    sector = SectorFactory()
    changes = [sector]

    def meanwhile():
        if changes:
            invalidate(changes.pop())

    read, computed = reader(shows=(sector,), compute=meanwhile)
    read()
    read()  # not kept: computed again
    read()  # and now kept
    assert computed.times == 2


def test_a_value_first_shown_while_another_process_drops_it_is_not_kept(portal_site, monkeypatch):
    """The first value ever to show a record, while another process saves that record."""
    # Created without signals: nothing has ever shown or changed it.
    fresh = Sector(name="Secteur neuf", slug="secteur-neuf", locale=Locale.get_default())
    sector = Sector.objects.bulk_create([fresh])[0]
    add = cache.add

    def add_after_a_change_elsewhere(key, *args, **kwargs):
        invalidate(sector)
        return add(key, *args, **kwargs)

    read, computed = reader(shows=(sector,))
    monkeypatch.setattr(cache, "add", add_after_a_change_elsewhere)
    read()
    monkeypatch.undo()
    read()
    read()
    assert computed.times == 2


@pytest.mark.parametrize("garbage", [None, "not a value", {"value": 1}, {"deps": "none"}])
def test_whatever_the_shared_cache_answers_a_visitor_gets_the_page(client, portal_site, monkeypatch, garbage):
    """A corrupt or foreign entry is a miss, never an error nor someone else's content."""
    ArticlePageFactory(parent=portal_site["news"], title="Article bien rendu")
    get_many = cache.get_many

    def corrupt(keys, *args, **kwargs):
        found = get_many(keys, *args, **kwargs)
        return {key: garbage if key in found and not isinstance(found[key], int) else found[key] for key in found}

    monkeypatch.setattr(cache, "get_many", corrupt)
    for _ in range(2):
        response = client.get(portal_site["news"].url)
        assert response.status_code == 200
        assert "Article bien rendu" in response.content.decode()


def test_a_short_lived_value_is_computed_again_once_its_time_is_up(db):
    """A 60-second listing (upcoming events) is not served after 60 seconds, from any copy."""
    start = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)
    read, computed = reader(timeout=60)
    with time_machine.travel(start, tick=False):
        read()
    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        read()
        assert computed.times == 1
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        read()
        assert computed.times == 2


def test_the_copies_a_process_keeps_stay_under_their_size_least_recently_used_out_first():
    entries = LocalEntries(max_bytes=16_000)

    def entry(n):
        return {"deps": {}, "value": "x" * 900 + str(n), "expires": 4_000_000_000}

    entries.put_many({f"k{n}": entry(n) for n in range(10)})
    entries.get_many(["k0"])  # used again: the oldest is now k1
    entries.put_many({f"k{n}": entry(n) for n in range(10, 20)})
    assert entries.size <= 16_000
    kept = entries.get_many([f"k{n}" for n in range(20)])
    assert "k0" in kept and "k1" not in kept and "k19" in kept
    assert kept["k19"]["value"].endswith("19")
    entries.put_many({"huge": {"deps": {}, "value": "x" * 2_000, "expires": 4_000_000_000}})
    assert entries.get_many(["huge"]) == {}  # over a sixteenth of the whole: never kept

"""What cached values depend on, and what bumps them (portal/core/cache/tags.py, #8)."""

import pytest
from django.core.cache import cache
from wagtail_factories import ImageFactory

from brand.factories import CityFactory, SectorFactory, StartupPageFactory
from brand.models import ArticleMention, BrandPartner, StartupMention, StartupPage
from events.models import EventPage
from portal.core.cache import tags as cache_tags
from portal.news.models import ArticlePage, ArticlePageTag


def test_each_table_stands_for_the_kinds_whose_changes_change_its_rows():
    tags = cache_tags.build_table_tags()
    assert tags[ArticlePage._meta.db_table] == ("type:portal.articlepage",)
    # Inline rows and tags change when their page is saved, not when the record they name is.
    assert tags[BrandPartner._meta.db_table] == ("type:brand.brandpage",)
    assert tags[ArticlePageTag._meta.db_table] == ("type:portal.articlepage",)
    # Many-to-many links belong to the page that declares them.
    assert tags[EventPage.organisers.through._meta.db_table] == ("type:events.eventpage",)
    # Materialised mentions change when an article or a startup is published.
    assert tags[StartupMention._meta.db_table] == ("type:brand.startuppage", "type:portal.articlepage")
    assert tags[ArticleMention._meta.db_table] == ("type:portal.articlepage",)
    # The records pages show stand for themselves; the generic page table for nothing.
    assert tags["brand_organisation"] == ("type:brand.organisation",)
    assert "wagtailcore_page" not in tags and "wagtailcore_locale" not in tags


def test_a_listing_depends_on_the_kinds_it_reads_and_the_records_it_loads(portal_site):
    startup = StartupPageFactory(parent=portal_site["StartupIndexPage"], sectors=[SectorFactory()])
    with cache_tags.collecting(tables=True) as tags:
        list(StartupPage.objects.live().select_related("city").prefetch_related("sectors"))
    sector = startup.sectors.get()
    assert {"type:brand.startuppage", f"page:{startup.pk}"} <= tags
    assert {f"obj:brand.city:{startup.city_id}", f"obj:brand.sector:{sector.pk}"} <= tags
    # Without tables=True (a page's own queries) only what was loaded counts.
    with cache_tags.collecting() as own:
        StartupPage.objects.get(pk=startup.pk)
    assert own == {f"page:{startup.pk}"}


def test_a_card_depends_on_what_came_loaded_with_its_item(portal_site):
    startup = StartupPageFactory(
        parent=portal_site["StartupIndexPage"], city=CityFactory(), sectors=[SectorFactory()]
    )
    item = StartupPage.objects.select_related("city").prefetch_related("sectors").get(pk=startup.pk)
    sector = item.sectors.all()[0]
    assert cache_tags.loaded_tags(item) == {
        f"page:{item.pk}",
        f"obj:brand.city:{item.city_id}",
        f"obj:brand.sector:{sector.pk}",
    }


def test_a_page_named_by_a_fragment_depends_on_all_it_came_loaded_with(portal_site):
    """The brand page as its route keeps it: partners, their organisations and their logos, three levels down."""
    from brand.models import BrandPage

    organisation = BrandPartner.objects.filter(page=portal_site["BrandPage"]).first().organisation
    organisation.logo = ImageFactory()
    organisation.save()
    # Prefetching sets each partner's page back to this one: loaded relations form a cycle.
    page = BrandPage.objects.prefetch_related("partners__organisation__logo").get(pk=portal_site["BrandPage"].pk)
    every = cache_tags.loaded_tags(page, depth=None)
    assert {f"page:{page.pk}", f"obj:brand.organisation:{organisation.pk}"} <= every
    assert f"obj:wagtailimages.image:{organisation.logo_id}" in every
    assert f"obj:wagtailimages.image:{organisation.logo_id}" not in cache_tags.loaded_tags(page)


def test_tags_found_in_the_cache_pass_to_the_value_around_them(db):
    assert cache_tags.cached("portal:test:inner", lambda: 1, tags=("page:7",)) == 1
    with cache_tags.collecting() as outer:
        assert cache_tags.cached("portal:test:inner", lambda: 2) == 1  # a hit
    assert {"page:7", cache_tags.GLOBAL} <= outer


def test_a_bump_drops_what_depended_on_the_tag_and_nothing_else(db):
    cache_tags.cached("portal:test:a", lambda: "a", tags=("page:1",))
    cache_tags.cached("portal:test:b", lambda: "b", tags=("page:2",))
    cache_tags.bump("page:1")
    assert cache_tags.fetch("portal:test:a") is cache_tags.MISS
    assert cache_tags.fetch("portal:test:b") == "b"
    cache_tags.bump_all()
    assert cache_tags.fetch("portal:test:b") is cache_tags.MISS


def test_a_bump_in_a_transaction_is_made_again_on_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cache_tags.bump("page:1")
    first = cache.get(cache_tags.GENERATION_PREFIX + "page:1")
    assert len(callbacks) == 1
    # What a render stored in between, from a database read before the commit, is dropped then.
    cache_tags.cached("portal:test:between", lambda: "stale", tags=("page:1",))
    callbacks[0]()
    assert cache.get(cache_tags.GENERATION_PREFIX + "page:1") != first
    assert cache_tags.fetch("portal:test:between") is cache_tags.MISS


@pytest.mark.parametrize("broken", [None, "not a dict", {"value": 1}])
def test_a_malformed_entry_is_a_miss(db, broken):
    cache.set("portal:test:broken", broken)
    assert cache_tags.fetch("portal:test:broken") is cache_tags.MISS


def test_a_new_tag_bumped_while_it_is_first_stored_is_not_trusted(db, monkeypatch):
    """Another process bumps a tag between our check of the clock and our first write of it."""
    clock = cache_tags.read_clock()
    original = cache.add

    def add_after_a_bump(key, *args, **kwargs):
        cache_tags._bump({"page:99"})
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache._connections[cache._alias], "add", add_after_a_bump)
    assert cache_tags.stamp({"page:99"}, clock) is None
    monkeypatch.undo()
    assert cache_tags.stamp({"page:99"}, cache_tags.read_clock()) is not None


def test_the_copy_a_process_keeps_expires_with_its_entry(db):
    """A 60-second listing (upcoming events) is not served from the process's copy after 60 seconds."""
    import datetime

    import time_machine

    start = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        assert cache_tags.cached("portal:test:short", lambda: "then", timeout=60) == "then"
        assert "portal:test:short" in cache_tags.local_entries().items
    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        assert cache_tags.fetch("portal:test:short") == "then"
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert cache_tags.fetch("portal:test:short") is cache_tags.MISS
        assert "portal:test:short" not in cache_tags.local_entries().items


def test_the_copies_a_process_keeps_stay_under_their_size_least_recently_used_out_first():
    entries = cache_tags.LocalEntries(max_bytes=16_000)

    def entry(n):
        return {"deps": {}, "value": "x" * 900 + str(n), "expires": 4_000_000_000}

    entries.put_many({f"k{n}": entry(n) for n in range(10)})
    entries.get_many(["k0"])  # used again: the oldest is now k1
    entries.put_many({f"k{n}": entry(n) for n in range(10, 20)})
    assert entries.size <= 16_000
    assert "k0" in entries.items and "k1" not in entries.items and "k19" in entries.items
    assert entries.get_many(["k19"])["k19"]["value"].endswith("19")
    entries.put_many({"huge": {"deps": {}, "value": "x" * 2_000, "expires": 4_000_000_000}})
    assert "huge" not in entries.items  # over a sixteenth of the whole: never kept

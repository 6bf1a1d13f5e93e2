"""Anonymous pages from the shared cache: hits, bypass for sessions, invalidation, revalidation (#8)."""

import datetime
import html
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from brand.factories import OrganisationFactory
from brand.models import BrandPage
from portal.news.factories import ArticlePageFactory
from portal.news.importers.articles import import_paths
from portal.news.models import NEWS_PER_PAGE, ArticlePage
from tests.conftest import SEEDS_DIR


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    response.queries = len(queries)
    return response


def test_an_anonymous_visitor_gets_the_second_request_from_the_cache(client, portal_site):
    ArticlePageFactory(parent=portal_site["news"], title="En cache")
    first = get(client, "/fr/actualites/")
    assert first["X-Cache"] == "miss"
    second = get(client, "/fr/actualites/")
    assert second["X-Cache"] == "hit"
    assert second.queries == 0
    # The same bytes: nothing in a page differs per visitor (no CSP nonce either).
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]


def test_etag_revalidation_answers_304(client, portal_site):
    etag = get(client, "/fr/actualites/")["ETag"]
    assert get(client, "/fr/actualites/")["ETag"] == etag
    assert get(client, "/fr/actualites/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_logged_in_editors_and_sessions_never_get_a_cached_page(client, portal_site, django_user_model):
    get(client, "/fr/actualites/")
    assert get(client, "/fr/actualites/")["X-Cache"] == "hit"
    editor = django_user_model.objects.create_superuser("ed", "ed@example.ma", "a-long-password-1234")
    client.force_login(editor)
    response = get(client, "/fr/actualites/")
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_pages_with_a_form_are_never_stored(client, portal_site):
    url = portal_site["StartupIndexPage"].url + "rejoindre/"
    for _ in range(2):
        response = Client(HTTP_HOST="localhost").get(url)
        assert response.status_code == 200
        assert response.get("X-Cache") is None


def test_publishing_unpublishing_moving_and_deleting_show_at_once(client, portal_site):
    news = portal_site["news"]
    article = ArticlePageFactory(parent=news, title="Premier article")
    get(client, "/fr/actualites/")
    assert get(client, "/fr/actualites/")["X-Cache"] == "hit"

    new = ArticlePageFactory(parent=news, title="Tout nouveau", live=False)
    new.save_revision().publish()
    assert "Tout nouveau" in get(client, "/fr/actualites/").content.decode()

    ArticlePage.objects.get(pk=new.pk).unpublish()
    get(client, "/fr/actualites/")
    assert "Tout nouveau" not in get(client, "/fr/actualites/").content.decode()

    get(client, article.url)
    assert get(client, article.url)["X-Cache"] == "hit"
    article.move(news, pos="last-child")
    article = ArticlePage.objects.get(pk=article.pk)
    assert get(client, article.url)["X-Cache"] == "miss"

    ArticlePage.objects.get(pk=article.pk).delete()
    assert get(client, "/fr/actualites/").content.decode().count("Premier article") == 0


def test_editing_a_snippet_a_page_shows_refreshes_that_page(client, portal_site):
    organisation = OrganisationFactory(name="Ancien nom", slug="orga-test")
    url = portal_site["BrandPage"].url + "organisations/orga-test/"
    assert "Ancien nom" in get(client, url).content.decode()
    assert get(client, url)["X-Cache"] == "hit"
    organisation.name = "Nouveau nom"
    organisation.save()
    assert "Nouveau nom" in get(client, url).content.decode()


def test_a_page_cache_of_zero_seconds_switches_it_off(client, portal_site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(client, "/fr/")
    assert "X-Cache" not in get(client, "/fr/")


def test_personal_newsletter_links_are_never_stored(client, portal_site):
    from django.core import mail

    client.post("/fr/newsletter/", {"email": "a@example.ma", "language": "fr", "website": ""})
    link = re.search(r"(/fr/newsletter/confirmer/[^/\s]+/)", mail.outbox[0].body).group(1)
    for _ in range(2):
        response = get(client, link)
        assert response.status_code == 200 and "X-Cache" not in response
        assert "no-store" in response["Cache-Control"]


def test_http_and_https_pages_are_cached_apart(client, portal_site):
    get(client, "/fr/")
    assert get(client, "/fr/")["X-Cache"] == "hit"
    secure = get(client, "/fr/", secure=True)
    assert secure["X-Cache"] == "miss"
    assert 'href="https://localhost/fr/"' in secure.content.decode()


# --- targeted invalidation: exactly the cached pages that show a change ------


def warm(client, urls):
    for url in urls:
        get(client, url)
        assert get(client, url)["X-Cache"] == "hit", url


def cache_states(client, urls):
    return {url: get(client, url)["X-Cache"] for url in urls}


@pytest.fixture
def small_site(portal_site):
    from brand.factories import SectorFactory, StartupPageFactory
    from events.factories import EventPageFactory

    news = portal_site["news"]
    site = {
        "article": ArticlePageFactory(parent=news, title="Article suivi"),
        "other_article": ArticlePageFactory(parent=news, title="Autre article"),
        "event": EventPageFactory(parent=portal_site["EventIndexPage"], title="Salon suivi"),
        "other_event": EventPageFactory(parent=portal_site["EventIndexPage"], title="Autre salon"),
        "sector": SectorFactory(name="Agritech suivie", slug="agritech-suivie"),
        "other_sector": SectorFactory(name="Fintech autre", slug="fintech-autre"),
    }
    site["startup"] = StartupPageFactory(
        parent=portal_site["StartupIndexPage"], title="Pousse suivie", sectors=[site["sector"]]
    )
    site["other_startup"] = StartupPageFactory(
        parent=portal_site["StartupIndexPage"], title="Autre pousse", sectors=[site["other_sector"]]
    )
    return {**portal_site, **site}


def test_publishing_an_article_drops_its_page_and_the_listings_of_articles_only(client, small_site):
    article = small_site["article"]
    listings = ["/fr/", "/fr/actualites/", "/fr/recherche/?q=article"]
    # The other article is not untouched: its side column shows this one as its newer or
    # older neighbour (portal.news.reading), with its title.
    listings.append(small_site["other_article"].url)
    untouched = [
        small_site["event"].url,
        "/fr/evenements/",
        "/fr/startups/",
        small_site["BrandPage"].url + "organisations/",
    ]
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    warm(client, [article.url, *listings, *untouched])
    assert "Article suivi" in get(client, "/fr/recherche/?q=article").content.decode().replace(
        "<mark>", ""
    ).replace("</mark>", "")

    revision = ArticlePage.objects.get(pk=article.pk)
    revision.title = "Article corrigé"
    revision.save_revision().publish()

    assert cache_states(client, untouched) == dict.fromkeys(untouched, "hit")
    for url in [article.url, *listings]:
        response = get(client, url)
        assert response["X-Cache"] == "miss", url
        assert "corrigé" in response.content.decode(), url  # search marks the word searched: <mark>Article</mark>


@pytest.fixture
def two_pages_of_news(portal_site):
    """An old article alone on the news index's second page, twelve newer ones on the first, each published."""
    news = portal_site["news"]
    old = ArticlePageFactory(parent=news, title="Article ancien", published_on=datetime.date(2015, 1, 1))
    newer = [
        ArticlePageFactory(
            parent=news, published_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=n), tags=["IA"]
        )
        for n in range(NEWS_PER_PAGE)
    ]
    for article in [old, *newer]:
        republish(article)  # as an editor would: a revision, published
    return {**portal_site, "old": old, "newer": newer}


def republish(page, **changes):
    """An editor's edit, published: a revision of the page with these fields changed."""
    revision = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        if name == "tags":
            revision.tags.set(value)
        else:
            setattr(revision, name, value)
    revision.save_revision().publish()


def test_editing_an_article_keeps_every_page_that_does_not_show_it(client, two_pages_of_news):
    """Exact invalidation: a publish that moves the article in no listing drops only what shows it."""
    old, newer = two_pages_of_news["old"], two_pages_of_news["newer"]
    # The newest article neither neighbours the old one nor shares a tag with it; the oldest
    # of the newer ones shows it as its older neighbour (portal.news.reading).
    unrelated = ["/fr/", "/fr/actualites/", "/fr/actualites/?tag=ia", newer[-1].url, "/fr/ecosysteme-en-chiffres/"]
    showing = [old.url, "/fr/actualites/?page=2", newer[0].url]
    warm(client, [*unrelated, *showing])

    republish(old, title="Article ancien corrigé", standfirst="Un chapeau réécrit sur MoroccoTech.")

    assert cache_states(client, unrelated) == dict.fromkeys(unrelated, "hit")
    for url in showing:
        response = get(client, url)
        assert response["X-Cache"] == "miss", url
        assert "Article ancien corrigé" in response.content.decode(), url


def test_a_new_date_or_tag_moves_the_article_in_every_listing(client, two_pages_of_news):
    old = two_pages_of_news["old"]
    warm(client, ["/fr/", "/fr/actualites/", "/fr/actualites/?tag=ia"])
    assert "Article ancien" not in get(client, "/fr/actualites/").content.decode()

    republish(old, published_on=datetime.date(2030, 6, 1), tags=["IA"])

    for url in ["/fr/", "/fr/actualites/", "/fr/actualites/?tag=ia"]:
        response = get(client, url)
        assert response["X-Cache"] == "miss", url
        assert "Article ancien" in response.content.decode(), url


def test_an_article_that_starts_naming_an_organisation_appears_on_its_page(client, two_pages_of_news):
    """Mentions are worked out on publish: a new one drops the organisation's page, whose articles it lists."""
    OrganisationFactory(name="Agence Atlas du Numérique", slug="agence-atlas")
    url = two_pages_of_news["BrandPage"].url + "organisations/agence-atlas/"
    warm(client, [url])
    assert "Article ancien" not in get(client, url).content.decode()

    republish(two_pages_of_news["old"], standfirst="L'Agence Atlas du Numérique lance un appel sur MoroccoTech.")

    response = get(client, url)
    assert response["X-Cache"] == "miss"
    assert "Article ancien" in response.content.decode()


def test_unpublishing_an_article_shifts_the_pages_before_it(client, two_pages_of_news):
    newest = two_pages_of_news["newer"][-1]
    warm(client, ["/fr/actualites/", "/fr/actualites/?page=2"])

    ArticlePage.objects.get(pk=newest.pk).unpublish()

    # The old article moves up onto the first page; the second page is now past the end.
    assert "Article ancien" in get(client, "/fr/actualites/").content.decode()
    assert newest.title not in get(client, "/fr/actualites/").content.decode()


def test_unpublishing_an_event_drops_the_event_listings_not_the_news(client, small_site):
    event = small_site["event"]
    untouched = ["/fr/actualites/", small_site["article"].url, small_site["other_event"].url, "/fr/startups/"]
    warm(client, [event.url, "/fr/evenements/", "/fr/", *untouched])
    assert "Salon suivi" in get(client, "/fr/evenements/").content.decode()

    event.unpublish()

    assert cache_states(client, untouched) == dict.fromkeys(untouched, "hit")
    assert get(client, event.url).status_code == 404
    assert "Salon suivi" not in get(client, "/fr/evenements/").content.decode()


def test_renaming_a_sector_drops_the_startups_showing_it_not_the_others(client, small_site):
    from brand.models import Sector

    startup, other = small_site["startup"], small_site["other_startup"]
    warm(client, [startup.url, other.url, "/fr/startups/", "/fr/actualites/"])

    sector = Sector.objects.get(pk=small_site["sector"].pk)
    sector.name = "Agritech durable"
    sector.save()

    assert cache_states(client, [other.url, "/fr/actualites/"]) == {other.url: "hit", "/fr/actualites/": "hit"}
    assert "Agritech durable" in get(client, startup.url).content.decode()
    assert "Agritech durable" in get(client, "/fr/startups/").content.decode()


def test_editing_an_organisation_drops_the_events_it_organises_not_the_others(client, small_site):
    organiser, other = OrganisationFactory(name="Organisateur ancien"), OrganisationFactory(name="Autre organisme")
    event, other_event = small_site["event"], small_site["other_event"]
    for page, organisation in ((event, organiser), (other_event, other)):
        page.organisers.set([organisation])
        page.save_revision().publish()
    warm(client, [event.url, other_event.url])

    organiser.name = "Organisateur renommé"
    organiser.save()

    assert get(client, other_event.url)["X-Cache"] == "hit"
    response = get(client, event.url)
    assert response["X-Cache"] == "miss" and "Organisateur renommé" in response.content.decode()


def test_a_new_slug_drops_the_pages_below_and_the_menus_linking_to_it(client, small_site):
    from wagtail.models import Page

    article, event = small_site["article"], small_site["event"]
    warm(client, [article.url, event.url])
    news = Page.objects.get(pk=small_site["news"].pk).specific
    news.slug = "nouvelles"
    news.save_revision().publish()

    # Every page's menu links to the news section: the event page shows its new address.
    assert 'href="/fr/nouvelles/"' in get(client, event.url).content.decode()
    assert get(client, article.url).status_code == 404  # the old address
    moved = ArticlePage.objects.get(pk=article.pk)
    assert moved.url.startswith("/fr/nouvelles/") and get(client, moved.url).status_code == 200


def test_publishing_a_translation_updates_the_language_switcher_of_that_page_only(client, multilingual):
    from wagtail.models import Locale

    article = ArticlePageFactory(parent=multilingual["news"], title="Article suivi")
    other = ArticlePageFactory(parent=multilingual["news"], title="Autre article")
    warm(client, [article.url, other.url])

    english = article.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Tracked article"
    english.save_revision().publish()

    # The other article's page is drawn again (its side column lists articles, and an article
    # was published), but its language switcher does not link to this translation.
    assert ArticlePage.objects.get(pk=english.pk).url not in get(client, other.url).content.decode()
    response = get(client, article.url)
    assert response["X-Cache"] == "miss"
    assert ArticlePage.objects.get(pk=english.pk).url in response.content.decode()


def test_a_page_rendered_across_a_publish_elsewhere_is_not_stored(client, small_site, monkeypatch):
    """A render that read the database before another process's publish must not be kept as fresh."""
    from portal.core.cache import invalidate

    url = small_site["other_article"].url
    get_context = ArticlePage.get_context

    def publish_meanwhile(page, request, *args, **kwargs):
        invalidate(small_site["article"])  # any publish, as another process would make
        return get_context(page, request, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "get_context", publish_meanwhile)
    assert get(client, url)["X-Cache"] == "miss"
    monkeypatch.undo()
    assert get(client, url)["X-Cache"] == "miss"  # nothing was stored
    assert get(client, url)["X-Cache"] == "hit"


def test_a_cache_that_lost_everything_serves_no_copy_this_process_kept(client, small_site):
    """Redis restarted or evicted: what this process kept may be older than what others published since."""
    from django.core.cache import cache

    url = small_site["article"].url
    warm(client, [url])
    cache.clear()
    assert get(client, url)["X-Cache"] == "miss"
    assert get(client, url)["X-Cache"] == "hit"


def test_a_copy_kept_by_this_process_is_dropped_by_a_publish_made_elsewhere(client, small_site):
    """Another process publishes: it drops the page in the shared cache, and this process's copy with it."""
    from portal.core.cache import invalidate

    article = small_site["article"]
    warm(client, [article.url])
    ArticlePage.objects.filter(pk=article.pk).update(title="Titre changé ailleurs")
    invalidate(article)  # outside any request here: as another process does
    response = get(client, article.url)
    assert response["X-Cache"] == "miss" and "Titre changé ailleurs" in response.content.decode()
    assert get(client, article.url)["X-Cache"] == "hit"


def test_feeds_and_calendars_show_a_new_item_at_once(client, small_site):
    """Their listings are their own queries: they depend on every kind they read."""
    from events.factories import EventPageFactory

    feeds = ["/fr/actualites/rss/", "/fr/evenements/ical/", "/sitemap.xml"]
    warm(client, feeds)
    article = ArticlePageFactory(parent=small_site["news"], title="Dépêche fraîche", live=False)
    article.save_revision().publish()
    event = EventPageFactory(parent=small_site["EventIndexPage"], title="Forum frais", live=False)
    event.save_revision().publish()
    assert "Dépêche fraîche" in get(client, feeds[0]).content.decode()
    assert "Forum frais" in get(client, feeds[1]).content.decode()
    assert ArticlePage.objects.get(pk=article.pk).full_url in get(client, feeds[2]).content.decode()


# --- #21: nothing unpublished, nothing stale, nothing junk ----------------------


def preview(page, user):
    """What Wagtail's admin does to show an editor's unsaved change (Page.make_preview_request)."""
    request = RequestFactory().get(f"/admin/pages/{page.pk}/edit/preview/")
    request.user = user
    return page.make_preview_request(original_request=request, preview_mode=page.default_preview_mode)


def test_a_preview_never_reaches_a_visitor(client, portal_site, django_user_model):
    brand = BrandPage.objects.get(locale__language_code="fr")
    editor = django_user_model.objects.create_superuser("apercu", "apercu@example.ma", "a-long-password-1234")
    figures = brand.figures.raw_data
    figures[0]["value"]["value"] = "123 456 en aperçu"
    brand.figures = list(figures)
    brand.title = "Titre jamais publié"
    shown = preview(brand, editor).content.decode()
    assert "123 456 en aperçu" in shown and "Titre jamais publié" in shown
    for _attempt in range(2):  # a miss, then what the cache kept
        html = get(client, "/fr/moroccotech/").content.decode()
        assert "123 456 en aperçu" not in html and "Titre jamais publié" not in html
    # And the editor's next preview shows the draft, not what visitors were served.
    brand.figures = list(figures)
    assert "123 456 en aperçu" in preview(brand, editor).content.decode()


def test_security_headers_are_the_same_on_a_hit_and_a_miss(client, portal_site):
    miss = get(client, "/fr/actualites/")
    hit = get(client, "/fr/actualites/")
    assert (miss["X-Cache"], hit["X-Cache"]) == ("miss", "hit")
    varying = {"x-cache", "x-request-id", "content-security-policy", "content-length"}
    assert {k.lower() for k in miss.headers} - varying == {k.lower() for k in hit.headers} - varying
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
                 "Cross-Origin-Opener-Policy"):  # fmt: skip
        assert hit[name] == miss[name], name
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]


def test_query_strings_a_page_does_not_read_make_no_cache_entry(client, portal_site):
    for _attempt in range(2):
        assert get(client, "/fr/actualites/?utm_source=lettre&x=1")["X-Cache"] == "miss"
    for query in ("?junk=1", "?junk=2", "?autre=3"):
        assert get(client, f"/fr/actualites/{query}")["X-Cache"] == "miss"
    # What the page reads is cached per value, as before.
    get(client, "/fr/actualites/?page=1")
    assert get(client, "/fr/actualites/?page=1")["X-Cache"] == "hit"
    get(client, "/fr/actualites/")
    assert get(client, "/fr/actualites/")["X-Cache"] == "hit"


def test_a_change_made_without_signals_shows_after_purge_caches(client, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"], title="Avant la restauration")
    assert "Avant la restauration" in get(client, "/fr/actualites/").content.decode()
    # A data migration, a restore or a script: the database changes behind the signals' back.
    ArticlePage.objects.filter(pk=article.pk).update(title="Après la restauration")
    assert "Avant la restauration" in get(client, "/fr/actualites/").content.decode()  # what #21 found
    call_command("purge_caches", verbosity=0)
    html = get(client, "/fr/actualites/").content.decode()
    assert "Après la restauration" in html and "Avant la restauration" not in html


def test_an_import_shows_at_once(client, portal_site):
    get(client, "/fr/actualites/")
    assert get(client, "/fr/actualites/")["X-Cache"] == "hit"
    import_paths([SEEDS_DIR / "000_032a3364383af6b0.txt"])
    response = get(client, "/fr/actualites/")
    assert response["X-Cache"] == "miss"
    assert ArticlePage.objects.get(import_file="000_032a3364383af6b0.txt").title in html_text(response)


def test_a_migration_drops_what_was_cached(client, portal_site):
    get(client, "/fr/actualites/")
    assert get(client, "/fr/actualites/")["X-Cache"] == "hit"
    call_command("migrate", verbosity=0)  # nothing to apply: still, post_migrate says content may have moved
    assert get(client, "/fr/actualites/")["X-Cache"] == "miss"


def html_text(response):
    return html.unescape(response.content.decode())

"""generate_content: fake content in bulk that behaves like content made through Wagtail (#8)."""

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag
from wagtail.models import Page, Revision

from brand.models import ArticleMention, Organisation, StartupPage
from events.models import EventPage
from portal.news.models import ArticlePage
from portal.tooling.generate import GENERATED_SLUG_PREFIX, RealContentError, generate


@pytest.fixture
def generated(portal_site):
    summary = generate(articles=30, events=12, startups=15, organisations=6, seed=7)
    return portal_site, summary


def test_it_creates_what_was_asked_as_live_pages_in_a_sound_tree(generated):
    _site, summary = generated
    assert (summary.articles, summary.events, summary.startups, summary.organisations) == (30, 12, 15, 6)
    assert ArticlePage.objects.live().filter(slug__startswith=GENERATED_SLUG_PREFIX).count() == 30
    assert EventPage.objects.live().filter(slug__startswith=GENERATED_SLUG_PREFIX).count() == 12
    assert StartupPage.objects.live().filter(slug__startswith=GENERATED_SLUG_PREFIX).count() == 15
    assert Organisation.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).count() == 6
    # Treebeard's own consistency check: paths, depths and child counts.
    assert Page.find_problems() == ([], [], [], [], [])
    news = generated[0]["news"]
    news.refresh_from_db()
    assert news.numchild == news.get_children().count() == 30


def test_every_page_has_one_revision_an_editor_can_open_with_its_tags(generated):
    article = ArticlePage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).first()
    assert Revision.page_revisions.filter(object_id=str(article.pk)).count() == 1
    assert article.latest_revision_id == article.live_revision_id is not None
    from_revision = article.get_latest_revision_as_object()
    assert from_revision.title == article.title
    assert {t.name for t in from_revision.tags.all()} == {t.name for t in article.tags.all()} != set()
    startup = StartupPage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).first()
    assert list(startup.get_latest_revision_as_object().sectors.all()) == list(startup.sectors.all())


def test_the_content_is_french_clearly_fake_spread_over_years_and_linked(generated):
    articles = list(ArticlePage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX))
    assert all(a.title.endswith("(fictif)") for a in articles)
    text = " ".join(a.standfirst for a in articles)
    assert any(letter in text for letter in "éèàçô")
    years = {a.published_on.year for a in articles}
    assert len(years) >= 4
    assert Tag.objects.filter(articlepage__isnull=False).distinct().count() >= 5
    assert ArticleMention.objects.filter(article__in=articles).exists()
    assert all(s.is_sample for s in StartupPage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX))
    assert EventPage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX, organisers__isnull=False).exists()


def test_the_pages_are_served_and_searchable(client, generated):
    article = ArticlePage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).first()
    event = EventPage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).first()
    startup = StartupPage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).first()
    organisation = Organisation.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).first()
    for url in (article.url, event.url, startup.url, f"/fr/moroccotech/organisations/{organisation.slug}/"):
        response = client.get(url)
        assert response.status_code == 200, url
    listing = client.get("/fr/actualites/").content.decode()
    assert "(fictif)" in listing
    # Indexed in bulk at the end: the search finds a generated article by a word of its title.
    found = ArticlePage.objects.live().search(article.title.split()[-2])
    assert len(found) > 0


def test_a_second_run_adds_more_with_new_addresses(generated):
    generate(articles=5, seed=7)
    slugs = list(ArticlePage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 35
    assert Page.find_problems() == ([], [], [], [], [])


def test_it_refuses_a_database_with_real_content_and_writes_nothing(seeded):
    before = Page.objects.count()
    with pytest.raises(RealContentError, match="5 articles"):
        generate(articles=10)
    assert Page.objects.count() == before
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_content", "--articles", "3")
    assert Page.objects.count() == before
    call_command("generate_content", "--articles", "3", "--force")
    assert Page.objects.count() == before + 3


def test_sample_startups_are_not_real_content(portal_site):
    from brand.setup import load_sample_startups

    load_sample_startups(portal_site["StartupIndexPage"], portal_site["home"].locale, log=lambda m: None)
    assert StartupPage.objects.filter(is_sample=True).exists()
    assert generate(startups=2).startups == 2


def test_negative_counts_are_refused_by_the_command(portal_site):
    with pytest.raises(CommandError):
        call_command("generate_content", "--articles", "-1")

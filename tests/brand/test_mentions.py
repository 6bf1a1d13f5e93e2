"""Articles are linked to the organisations and startups they name, recomputed on publish."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from brand.factories import OrganisationFactory, StartupPageFactory
from brand.models import ArticleMention, ArticleOrganisationLink, Organisation, StartupMention
from portal.news.factories import ArticlePageFactory
from portal.news.models import ArticlePage
from tests.portal.core.test_tasks import DATABASE_TASKS, work_the_queues


def linked(article):
    return set(ArticleMention.objects.filter(article=article).values_list("organisation__slug", flat=True))


def publish(article):
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("000_032a3364383af6b0.txt", {"add", "club-des-dirigeants"}),
        (
            "001_8dab914a3b7b85a5.txt",
            {"ministere-transition-numerique", "apebi", "amdie", "add", "cgem", "ausim", "technopark"},
        ),
        ("002_4b9a60903dfe3b56.txt", {"ecole-1337", "youcode"}),
        ("003_e5e38f4e165d1c0e.txt", {"maroc-numeric-cluster"}),
        (
            "004_7fea533aad476c06.txt",
            {
                "ministere-transition-numerique", "add", "dgssi", "cgem", "ausim", "technopark", "apebi",
                "ustda", "us-commercial-service",
            },
        ),
    ],
)  # fmt: skip
def test_seed_articles_are_linked_to_the_organisations_they_name(seeded, file_name, expected):
    assert linked(ArticlePage.objects.get(import_file=file_name)) == expected


def test_add_does_not_match_address_and_links_follow_edits(portal_site):
    article = ArticlePageFactory(
        parent=portal_site["news"], live=False, standfirst="Please add your address: the ADDRESS book is open."
    )
    article = publish(article)
    assert linked(article) == set()

    article.standfirst = "L’agence de developpement du digital (sans accents) publie son rapport."
    article = publish(article)
    assert linked(article) == {"add"}

    article.standfirst = "Plus aucune organisation n'est citée dans cette version."
    article = publish(article)
    assert linked(article) == set()


def test_editors_add_and_remove_links_by_hand(portal_site):
    cgem = Organisation.objects.get(slug="cgem")
    add = Organisation.objects.get(slug="add")
    article = ArticlePageFactory(parent=portal_site["news"], live=False, standfirst="L'ADD et l'APEBI signent.")
    article.organisation_links = [
        ArticleOrganisationLink(organisation=cgem, relation="link"),
        ArticleOrganisationLink(organisation=add, relation="unlink"),
    ]
    article = publish(article)
    assert linked(article) == {"apebi", "cgem"}
    assert ArticleMention.objects.get(article=article, organisation=cgem).named_in_text is False


def test_a_draft_change_does_not_relink_until_published(portal_site):
    article = publish(ArticlePageFactory(parent=portal_site["news"], live=False, standfirst="La CGEM salue."))
    article.standfirst = "L'AUSIM salue."
    article.save_revision()  # draft only
    assert linked(article) == {"cgem"}


def new_organisation(name, slug):
    return {"name": name, "acronym": "", "slug": slug, "kind": "foreign_agency", "city": "Berlin",
            "country": "Allemagne", "website": "", "description": "", "aliases": "",
            "locale": Organisation.objects.first().locale_id, "action-publish": "publish"}  # fmt: skip


@DATABASE_TASKS
def test_a_new_organisation_in_the_admin_relinks_existing_articles_in_the_background(seeded, client):
    admin = get_user_model().objects.create_superuser("admin", "a@example.ma", "pw-1234567890")
    client.force_login(admin)
    data = new_organisation("Centre européen pour la compétitivité numérique", "ecdc")
    with CaptureQueriesContext(connection) as few:
        response = client.post("/admin/snippets/brand/organisation/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    interview = ArticlePage.objects.get(import_file="003_e5e38f4e165d1c0e.txt")
    # The editor's request only queued the work...
    assert "ecdc" not in linked(interview)
    assert DBTaskResult.objects.filter(task_path="brand.tasks.relink_all_articles", status="READY").count() == 1
    # ...which the worker does.
    work_the_queues()
    assert "ecdc" in linked(interview)
    # The request costs the same whatever the number of articles (the relinking is linear in them).
    for n in range(40):
        ArticlePageFactory(parent=seeded["news"], standfirst=f"Article {n} sur l'économie numérique.")
    with CaptureQueriesContext(connection) as many:
        response = client.post("/admin/snippets/brand/organisation/add/", new_organisation("Institut test", "it"))
    assert response.status_code == 302
    assert len(many) == len(few)


@DATABASE_TASKS
def test_an_organisation_saved_as_draft_links_nothing_until_published(seeded, client):
    """An editor's new organisation is a draft: no article links to it before a moderator publishes it."""
    admin = get_user_model().objects.create_superuser("admin", "a@example.ma", "pw-1234567890")
    client.force_login(admin)
    data = new_organisation("Centre européen pour la compétitivité numérique", "ecdc")
    del data["action-publish"]
    assert client.post("/admin/snippets/brand/organisation/add/", data).status_code == 302
    work_the_queues()
    interview = ArticlePage.objects.get(import_file="003_e5e38f4e165d1c0e.txt")
    assert "ecdc" not in linked(interview)
    organisation = Organisation.objects.get(slug="ecdc")
    organisation.save_revision(user=admin).publish()
    work_the_queues()
    assert "ecdc" in linked(interview)


def test_startups_named_in_articles_show_them(portal_site, client):
    startup = StartupPageFactory(parent=portal_site["StartupIndexPage"], title="Dirham Flow", live=False)
    startup.save_revision().publish()
    article = publish(
        ArticlePageFactory(
            parent=portal_site["news"], live=False, standfirst="La fintech Dirham Flow lève des fonds."
        )
    )
    ArticlePageFactory(parent=portal_site["news"], standfirst="Rien à voir avec la startup.")
    assert list(StartupMention.objects.values_list("article_id", "startup_id")) == [(article.pk, startup.pk)]
    response = client.get(startup.url)
    assert [a.pk for a in response.context["related_articles"]] == [article.pk]


def test_a_startup_published_after_the_article_is_still_linked(portal_site):
    article = publish(
        ArticlePageFactory(parent=portal_site["news"], live=False, standfirst="Souk Express recrute à Fès.")
    )
    startup = StartupPageFactory(parent=portal_site["StartupIndexPage"], title="Souk Express", live=False)
    startup.save_revision().publish()
    assert StartupMention.objects.filter(article=article, startup=startup).exists()


def test_an_organisation_snippet_is_translatable(portal_site):
    organisation = OrganisationFactory()
    from wagtail.models import Locale

    arabic = organisation.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.name = "وكالة التنمية الرقمية"
    arabic.save()
    assert arabic.translation_key == organisation.translation_key
    assert organisation.get_translation(Locale.objects.get(language_code="ar")).name == "وكالة التنمية الرقمية"


def test_an_article_published_after_a_startup_is_renamed_links_it_by_its_new_name(portal_site):
    startup = StartupPageFactory(parent=portal_site["StartupIndexPage"], title="Atlas Pay", live=False)
    startup.save_revision().publish()
    news = portal_site["news"]
    publish(ArticlePageFactory(parent=news, live=False, standfirst="Atlas Pay ouvre un bureau."))
    startup.title = "Atlas Payments"
    startup.save_revision().publish()
    old_name = publish(ArticlePageFactory(parent=news, live=False, standfirst="Atlas Pay, encore."))
    new_name = publish(ArticlePageFactory(parent=news, live=False, standfirst="Atlas Payments recrute à Tanger."))
    assert set(StartupMention.objects.filter(startup=startup).values_list("article_id", flat=True)) == {
        new_name.pk
    }
    assert not StartupMention.objects.filter(article=old_name).exists()


def test_an_organisation_in_three_languages_is_linked_once_by_any_of_its_names(multilingual, client):
    # setup_portal translated the fixtures' organisations (fixtures/translations/organisations.yaml).
    assert Organisation.objects.filter(slug="add").count() == 3
    article = ArticlePageFactory(
        parent=multilingual["news"],
        live=False,
        standfirst="L'ADD et وكالة التنمية الرقمية, the Digital Development Agency, are one and the same.",
    )
    article = publish(article)
    assert list(ArticleMention.objects.filter(article=article).values_list("organisation__slug", flat=True)) == [
        "add"
    ]
    # Listed once on the organisation's page in each language.
    for url in ("/fr/moroccotech/organisations/add/", "/ar/moroccotech/organisations/add/"):
        assert client.get(url).content.decode().count(article.url) == 1, url

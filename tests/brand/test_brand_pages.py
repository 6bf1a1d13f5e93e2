"""The brand page, partner organisations and their public pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from wagtail.rich_text import RichText

from brand.factories import OrganisationFactory
from brand.models import BrandPage, Organisation
from brand.setup import load_organisations
from portal.news.models import ArticlePage

PARTNERS = ["Ministère de la Transition numérique", "APEBI", "AMDIE", "ADD", "CGEM", "AUSIM", "Technopark"]


def test_setup_creates_the_brand_page_with_partners_and_figures(seeded, client):
    page = BrandPage.objects.get(locale__language_code="fr")
    assert page.url == "/fr/moroccotech/"
    assert [p.organisation.short_name for p in page.partners.order_by("sort_order")][1:] == PARTNERS[1:]
    response = client.get("/fr/moroccotech/")
    html = response.content.decode()
    assert response.status_code == 200
    # Partners in their editorial order, each linking to its page.
    partners_html = html.split('id="partners-title"', 1)[1]
    slugs = [p.organisation.slug for p in page.partners.order_by("sort_order")]
    positions = [partners_html.index(f'href="/fr/moroccotech/organisations/{slug}/"') for slug in slugs]
    assert positions == sorted(positions) and len(slugs) == len(PARTNERS)
    assert 'href="/fr/moroccotech/organisations/apebi/"' in html
    # Figures with their source and date.
    assert '<p class="figure__value"><bdi>800+</bdi></p>' in html
    assert "<bdi>Club des dirigeants du Maroc (MAP)</bdi>, <bdi>décembre 2020</bdi>" in html
    # Latest news naming the brand: the launch article and the editorial, not the US mission.
    titles = [a.title for a in response.context["brand_news"]]
    assert set(titles) == {
        "L'Opinion : Le défi de la Tech",
        'MoroccoTech : Coup d\'envoi de la marque digitale "made in Morocco"',
    }


def test_organisations_are_loaded_once(seeded):
    count = Organisation.objects.count()
    assert count == 14
    assert load_organisations(Organisation.objects.first().locale, log=lambda m: None) == 0
    assert Organisation.objects.count() == count


def test_organisation_page_lists_its_articles(seeded, client):
    response = client.get("/fr/moroccotech/organisations/apebi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Fédération des Technologies de l&#x27;Information" in html
    titles = {a.title for a in response.context["organisation_articles"]}
    assert titles == {
        'MoroccoTech : Coup d\'envoi de la marque digitale "made in Morocco"',
        "Une délégation marocaine rencontre les géants de la technologie aux États-Unis",
    }
    assert 'href="https://www.apebi.org.ma"' in html


def test_club_des_dirigeants_is_linked_to_the_digital_now_article(seeded, client):
    response = client.get("/fr/moroccotech/organisations/club-des-dirigeants/")
    assert [a.import_file for a in response.context["organisation_articles"]] == ["000_032a3364383af6b0.txt"]


def test_organisation_index_groups_by_kind(seeded, client):
    html = client.get("/fr/moroccotech/organisations/").content.decode()
    assert "<h2>Agence étrangère</h2>" in html
    assert "U.S. Trade and Development Agency" in html


def test_unknown_organisation_is_a_404(seeded, client):
    assert client.get("/fr/moroccotech/organisations/inconnue/").status_code == 404


def test_organisation_page_queries_do_not_grow_with_articles(seeded, client):
    url = "/fr/moroccotech/organisations/add/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # Three more articles naming the ADD.
    news = seeded["news"]
    from portal.news.factories import ArticlePageFactory

    for n in range(3):
        article = ArticlePageFactory(parent=news, standfirst=f"L'ADD lance le programme {n}.", live=False)
        article.save_revision().publish()
    client.get(url)  # publishing invalidated the cached header and footer: warm them again
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(response.context["organisation_articles"]) == 6
    assert len(more.captured_queries) == len(few.captured_queries)
    assert ArticlePage.objects.live().count() == 8


def test_the_organisations_list_in_arabic_shows_the_french_records_marked_as_french(multilingual, client):
    OrganisationFactory(name="Incubateur sans traduction", slug="incubateur-sans-traduction", kind="company")
    html = client.get("/ar/moroccotech/organisations/").content.decode()
    # The fixtures' organisations in Arabic, under their French slugs.
    assert "الوكالة الأمريكية للتجارة والتنمية" in html
    assert "U.S. Trade and Development Agency" not in html
    assert '<section id="kind-foreign_agency">' in html
    assert '<li lang="fr" dir="ltr"><a href="/ar/moroccotech/organisations/incubateur-sans-traduction/">' in html
    # Its facts in Arabic too.
    page = client.get("/ar/moroccotech/organisations/ustda/").content.decode()
    assert "واشنطن، الولايات المتحدة" in page or "واشنطن, الولايات المتحدة" in page


def test_an_organisation_page_cached_as_html_shows_a_new_member_startup_at_once(portal_site, client):
    from brand.factories import StartupPageFactory

    organisation = OrganisationFactory(name="Incubateur de test", slug="incubateur-de-test")
    url = "/fr/moroccotech/organisations/incubateur-de-test/"
    assert "Startup incubée" not in client.get(url).content.decode()
    assert "Startup incubée" not in client.get(url).content.decode()
    startup = StartupPageFactory(parent=portal_site["StartupIndexPage"], title="Startup incubée", live=False)
    startup.organisations.set([organisation])
    startup.save_revision().publish()
    assert "Startup incubée" in client.get(url).content.decode()
    organisation.description = "Accompagne les jeunes pousses."
    organisation.save()
    assert "Accompagne les jeunes pousses." in client.get(url).content.decode()


def test_the_brand_story_kept_as_html_follows_its_page_and_its_partners(portal_site, client):
    """Figures, body and partners are one cached fragment: an edit of any of them shows at once."""
    url = "/fr/moroccotech/"
    page = BrandPage.objects.get(locale__language_code="fr")
    apebi = Organisation.objects.get(acronym="APEBI", locale__language_code="fr")
    assert escape(apebi.name) in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert escape(apebi.name) in html
    assert not [q for q in queries if "brand_organisation" in q["sql"]], "the partners were loaded again"

    apebi.name = "Fédération des technologies de l'information (nouveau nom)"
    apebi.save()
    assert "(nouveau nom)" in client.get(url).content.decode()

    page.body = [("paragraph", RichText("<p>Une phrase ajoutée par la rédaction.</p>"))]
    page.figures = [("figure", {"value": "1 200+", "label": "startups", "source": "Essai", "date": "2026"})]
    page.save_revision().publish()
    html = client.get(url).content.decode()
    assert "Une phrase ajoutée par la rédaction." in html
    assert '<p class="figure__value"><bdi>1 200+</bdi></p>' in html
    assert "800+" not in html

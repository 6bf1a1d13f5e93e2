"""Reading an article (#26): related articles, the next and previous ones, the source and sharing links."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

from lxml import html as lxml_html

from brand.factories import OrganisationFactory
from brand.models import ArticleMention
from portal.news.factories import ArticlePageFactory


def aside(response):
    document = lxml_html.fromstring(response.content)
    (column,) = document.xpath("//aside[contains(@class, 'article-aside')]")
    return column


def related_titles(response):
    return [a.text_content() for a in aside(response).xpath(".//ul[@class='related-list']//a")]


def test_related_articles_share_tags_or_organisations_most_shared_first(client, portal_site):
    news = portal_site["news"]
    day = datetime.date(2025, 5, 1)
    article = ArticlePageFactory(parent=news, title="Le sujet", tags=["cloud", "souveraineté"], published_on=day)
    both = ArticlePageFactory(parent=news, title="Les deux thèmes", tags=["cloud", "souveraineté"])
    one = ArticlePageFactory(parent=news, title="Un thème", tags=["cloud"], published_on=day)
    ArticlePageFactory(parent=news, title="Sans rapport", tags=["agriculture"])
    ArticlePageFactory(parent=news, title="Brouillon lié", tags=["cloud"], live=False)
    named = ArticlePageFactory(parent=news, title="Même organisation", tags=[], published_on=day)
    agency = OrganisationFactory(name="Agence du numérique")
    for page in (article, named):
        ArticleMention.objects.create(article=page, organisation=agency)

    titles = related_titles(client.get(article.url))
    assert titles[0] == both.title  # two tags shared
    assert set(titles[1:]) == {one.title, named.title}  # one tag, one organisation
    assert "Sans rapport" not in titles and "Brouillon lié" not in titles and "Le sujet" not in titles


def test_the_next_and_previous_articles_follow_the_sections_order(client, portal_site):
    news = portal_site["news"]
    older = ArticlePageFactory(parent=news, title="Plus ancien", published_on=datetime.date(2025, 1, 10))
    middle = ArticlePageFactory(parent=news, title="Au milieu", published_on=datetime.date(2025, 2, 10))
    newer = ArticlePageFactory(parent=news, title="Plus récent", published_on=datetime.date(2025, 3, 10))
    pager = lxml_html.fromstring(client.get(middle.url).content).xpath("//nav[@class='article-pager']")[0]
    links = {a.get("class"): (a.get("href"), a.xpath("string(.//strong)")) for a in pager.xpath(".//a")}
    assert links == {
        "article-pager__next": (newer.url, "Plus récent"),
        "article-pager__previous": (older.url, "Plus ancien"),
    }
    # At the ends, one link only; a new article published becomes the next one.
    assert "article-pager__next" not in client.get(newer.url).content.decode()
    newest = ArticlePageFactory(parent=news, title="Tout nouveau", published_on=datetime.date(2025, 4, 1))
    newest.save_revision().publish()
    assert "Tout nouveau" in client.get(newer.url).content.decode()


def test_sharing_links_are_plain_urls_with_the_pages_address(client, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"], title="Une levée de fonds à Rabat")
    response = client.get(article.url)
    links = aside(response).xpath(".//ul[@class='share-links']//a")
    by_name = {a.text_content(): a.get("href") for a in links}
    assert set(by_name) == {"X", "LinkedIn", "Facebook", "WhatsApp", "E-mail"}
    full_url = article.full_url
    assert parse_qs(urlsplit(by_name["LinkedIn"]).query) == {"url": [full_url]}
    assert parse_qs(urlsplit(by_name["X"]).query) == {"url": [full_url], "text": [article.title]}
    assert by_name["E-mail"].startswith("mailto:?subject=Une%20lev")
    # No third party's script, frame or pixel: the links load nothing until followed.
    html = response.content.decode()
    assert not re.search(r"<(script|iframe|img)[^>]+(x\.com|facebook|linkedin|whatsapp|wa\.me)", html)


def test_the_source_is_in_the_side_column(client, portal_site):
    article = ArticlePageFactory(
        parent=portal_site["news"],
        source_name="Le Quotidien du Souss",
        original_url="https://quotidien-souss.example/article",
        published_on=datetime.date(2025, 6, 3),
    )
    text = aside(client.get(article.url)).text_content()
    assert "Le Quotidien du Souss, 3 juin 2025" in " ".join(text.split())
    assert "Lire l'article original" in text

"""Text answers leave the app gzipped for clients that ask; pictures do not (portal.core.compression)."""

import gzip

from portal.news.factories import ArticlePageFactory


def test_pages_and_feeds_are_compressed_for_clients_that_accept_it(client, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"], title="Un article compressé")
    plain = client.get(article.url)
    assert "Content-Encoding" not in plain
    for url in (article.url, f"{portal_site['news'].url}rss/"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        text = gzip.decompress(response.content).decode()
        assert "Un article compressé" in text
    # The cached copy is served compressed as well, and still plain to a client that did not ask.
    assert client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
    again = client.get(article.url)
    assert "Content-Encoding" not in again and "Un article compressé" in again.content.decode()


def test_pictures_are_not_compressed_again(client, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"], title="Une image partagée")
    html = client.get(article.url).content.decode()
    card = html.split('property="og:image" content="', 1)[1].split('"', 1)[0]
    response = client.get(card.replace("http://localhost", ""), HTTP_ACCEPT_ENCODING="gzip", follow=True)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "Content-Encoding" not in response

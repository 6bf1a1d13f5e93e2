"""The sharing image drawn for each article and event (#26, item 3)."""

import datetime
import io
import re

from django.core.files.storage import default_storage
from PIL import Image, ImageFont, features
from wagtail_factories import ImageFactory

from events.factories import EventPageFactory
from portal.core import social_cards
from portal.news.factories import ArticlePageFactory

INK = social_cards.INK


def og(html, prop):
    match = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
    return match.group(1) if match else None


def served_image(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).convert("RGB")


def text_columns(image, x_range):
    """The columns, within x_range, where the title's white ink is (rows below the kicker)."""
    columns = []
    for x in range(*x_range):
        if any(image.getpixel((x, y)) == (255, 255, 255) for y in range(300, 560, 3)):
            columns.append(x)
    return columns


def cards_of(page):
    if not default_storage.exists("social-cards"):
        return []
    return [name for name in default_storage.listdir("social-cards")[1] if name.startswith(f"{page.pk}-")]


def test_an_article_is_shared_with_its_own_card_which_follows_its_title(client, portal_site):
    article = ArticlePageFactory(
        parent=portal_site["news"],
        title="Une startup de Fès lève deux millions",
        published_on=datetime.date(2025, 4, 2),
    )
    # Cards an earlier test left for another page with this id (the database rolls back, the media stay).
    earlier = set(cards_of(article))
    html = client.get(article.url).content.decode()
    image_url = og(html, "og:image")
    assert re.fullmatch(rf"http://localhost/partage/{article.pk}/[0-9a-f]{{16}}\.png", image_url)
    assert (og(html, "og:image:width"), og(html, "og:image:height")) == ("1200", "630")
    assert og(html, "og:image:alt") == article.title
    assert '<meta name="twitter:card" content="summary_large_image">' in html

    path = image_url.removeprefix("http://localhost")
    image = served_image(client, path)
    assert image.size == (1200, 630)
    assert image.getpixel((400, 20)) == INK  # the brand's ink behind the text
    # French reads from the left: the title starts at the margin, the pattern is on the right.
    ink = text_columns(image, (0, 900))
    assert ink and abs(ink[0] - social_cards.MARGIN) <= 8
    stored = set(cards_of(article)) - earlier
    assert len(stored) == 1
    served_image(client, path)  # served again from storage, not drawn twice
    assert set(cards_of(article)) - earlier == stored

    # A new title is a new image at a new address; the old address leads to it.
    article.title = "Une startup de Fès lève trois millions"
    article.save_revision().publish()
    new_url = og(client.get(article.url).content.decode(), "og:image")
    assert new_url != image_url
    old = client.get(path)
    assert old.status_code == 302 and old["Location"] == new_url.removeprefix("http://localhost")


def test_an_arabic_card_is_shaped_and_laid_right_to_left(portal_site):
    assert features.check("raqm"), "Pillow without libraqm cannot shape Arabic"
    assert social_cards.font("arabic", 40).layout_engine == ImageFont.Layout.RAQM
    card = {"title": "وكالة التنمية الرقمية تطلق برنامجًا جديدًا", "kicker": "الأخبار", "date": "2 أبريل 2025"}
    image = Image.open(io.BytesIO(social_cards.draw_card(card, "ar"))).convert("RGB")
    ink = text_columns(image, (social_cards.BAND, 1200))
    # Right-aligned at the margin, the pattern on the left.
    assert abs(ink[-1] - (1200 - social_cards.MARGIN)) <= 8  # the last glyph's side bearing
    assert image.getpixel((100, 300)) != INK
    # Shaped: joined letters draw a connected word, narrower than its isolated forms side by side.
    face = social_cards.font("arabic", 64)
    word = "التنمية"
    isolated = sum(face.getlength(letter, direction="rtl") for letter in word)
    assert face.getlength(word, direction="rtl") < isolated


def test_a_long_title_is_set_smaller_then_cut_after_four_lines():
    width = 1200 - 2 * social_cards.MARGIN - social_cards.BAND
    assert social_cards.title_layout("Une startup de Fès lève deux millions", width)[0] == 64
    long = "Les incubateurs marocains accompagnent des jeunes pousses de Fès, de Tanger et d'Agadir vers leurs premiers clients"
    size, lines = social_cards.title_layout(long, width)
    assert size < 64 and len(lines) <= social_cards.MAX_LINES
    assert " ".join(" ".join(line) for line in lines) == long  # all of it, smaller
    endless = " ".join(["Une phrase qui ne tient pas sur une carte de partage"] * 8)
    size, lines = social_cards.title_layout(endless, width)
    assert size == min(social_cards.TITLE_SIZES) and len(lines) == social_cards.MAX_LINES
    assert lines[-1][-1].endswith("…")


def test_words_of_another_direction_keep_their_order_inside_a_line():
    assert social_cards.runs(["برنامج", "MoroccoTech", "Tech", "لدعم"], rtl=True) == [
        "لدعم",
        "MoroccoTech",
        "Tech",
        "برنامج",
    ]
    assert social_cards.runs(["Le", "programme", "المغرب", "الرقمي", "2030"], rtl=False) == [
        "Le",
        "programme",
        "الرقمي",
        "المغرب",
        "2030",
    ]


def test_an_event_has_a_card_with_its_day_and_city(client, portal_site):
    event = EventPageFactory(
        parent=portal_site["EventIndexPage"],
        title="Forum des startups de Tanger",
        city="Tanger",
        starts_at=datetime.datetime(2026, 5, 14, 9, tzinfo=datetime.UTC),
    )
    html = client.get(event.url).content.decode()
    assert event.social_card() == {"title": event.title, "kicker": "Événement", "date": "14 mai 2026 · Tanger"}
    assert served_image(client, og(html, "og:image").removeprefix("http://localhost")).size == (1200, 630)


def test_no_card_for_drafts_or_pages_without_one_and_an_editors_image_wins(client, portal_site):
    draft = ArticlePageFactory(parent=portal_site["news"], live=False)
    assert client.get(f"/partage/{draft.pk}/0123456789abcdef.png").status_code == 404
    home = portal_site["home"]
    assert client.get(f"/partage/{home.pk}/0123456789abcdef.png").status_code == 404
    assert client.get("/partage/99999999999999999999/0123456789abcdef.png").status_code == 404
    assert client.get("/partage/1/%00.png").status_code in (400, 404)

    # An editor's sharing image is used instead of the drawn card.
    chosen = ArticlePageFactory(parent=portal_site["news"], social_image=ImageFactory())
    image_url = og(client.get(chosen.url).content.decode(), "og:image")
    assert "/partage/" not in image_url and "/media/images/" in image_url

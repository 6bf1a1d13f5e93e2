"""Lead images (#26, item 2): under the title and on cards, described, cropped and sized the Wagtail way."""

import io

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html as lxml_html
from PIL import Image as PILImage
from wagtail.test.utils.form_data import querydict_from_html

from brand.models import ContentPage
from events.factories import EventPageFactory
from portal.core.artwork import PLACEHOLDER_TONES
from portal.core.factories import PhotoFactory
from portal.news.factories import ArticlePageFactory
from tests.portal.sitewide.test_admin import body_form_data


def document(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def widths(srcset):
    return sorted(int(candidate.split()[1].rstrip("w")) for candidate in srcset.split(","))


@pytest.fixture
def photo(db):
    return PhotoFactory(title="Salle de conférence")


def test_an_article_shows_its_lead_image_described_sized_and_credited(client, portal_site, photo):
    article = ArticlePageFactory(
        parent=portal_site["news"],
        lead_image=photo,
        lead_image_alt="Des développeuses devant un tableau blanc couvert de schémas",
        lead_image_caption="L'atelier d'ouverture, à Rabat.",
        lead_image_credit="Photo : équipe MoroccoTech",
    )
    (figure,) = document(client.get(article.url)).xpath("//article[@class='article']//figure[@class='lead-image']")
    # libxml2 does not know <source> is empty and nests the <img> in it: hence //img.
    (img,) = figure.xpath(".//picture//img")
    assert img.get("alt") == "Des développeuses devant un tableau blanc couvert de schémas"
    # Its size is known before it arrives (no layout shift), and it is fetched first, not lazily.
    assert int(img.get("width")) * 9 == int(img.get("height")) * 16
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    # A WebP source for every width, a JPEG fallback: the browser picks by the screen.
    (webp,) = figure.xpath(".//picture/source[@type='image/webp']")
    assert widths(webp.get("srcset")) == [480, 800, 1200, 1600]
    assert widths(img.get("srcset")) == [480, 800, 1200, 1600]
    assert all(".webp" in candidate for candidate in webp.get("srcset").split(","))
    assert "100vw" in img.get("sizes")
    caption = figure.xpath("./figcaption")[0].text_content()
    assert "L'atelier d'ouverture, à Rabat." in caption and "Photo : équipe MoroccoTech" in caption


def test_the_image_library_description_is_the_alternative_when_the_page_gives_none(client, portal_site):
    photo = PhotoFactory(description="Le port de Tanger Med au lever du jour")
    article = ArticlePageFactory(parent=portal_site["news"], lead_image=photo)
    (img,) = document(client.get(article.url)).xpath("//figure[@class='lead-image']//img")
    assert img.get("alt") == "Le port de Tanger Med au lever du jour"


def test_an_image_without_any_description_is_refused_with_a_message_for_the_editor(portal_site, photo):
    article = ArticlePageFactory(parent=portal_site["news"])
    article.lead_image = photo
    article.lead_image_alt = "   "
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "lead_image_alt" in error.value.message_dict
    assert "ne la voient pas" in error.value.message_dict["lead_image_alt"][0]
    article.lead_image_alt = "Deux fondatrices présentent leur robot agricole"
    article.full_clean()


def test_the_editor_sees_the_refusal_in_the_admin_and_nothing_is_saved(admin_client, portal_site, photo):
    article = ArticlePageFactory(parent=portal_site["news"], title="Avant", standfirst="Le chapeau.")
    edit = f"/admin/pages/{article.pk}/edit/"
    data = querydict_from_html(admin_client.get(edit).content.decode(), form_id="page-edit-form")
    data.update(body_form_data(article.body))
    data.update({"title": "Après", "lead_image": str(photo.pk), "lead_image_alt": "", "action-publish": "publish"})
    response = admin_client.post(edit, data)
    assert response.status_code == 200  # the form again, not a redirect
    assert "ne la voient pas" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Avant" and article.lead_image is None
    assert not article.revisions.exists()


def test_cards_show_the_lead_image_lazily_or_a_brand_placeholder(client, portal_site, photo):
    news = portal_site["news"]
    with_image = ArticlePageFactory(parent=news, title="Avec image", lead_image=photo, lead_image_alt="Une salle")
    without = ArticlePageFactory(parent=news, title="Sans image")
    page = document(client.get(news.url))
    cards = {
        card.xpath(".//h3")[0].text_content(): card for card in page.xpath("//article[contains(@class, 'card')]")
    }

    (img,) = cards[with_image.title].xpath(".//div[@class='card__media']//img")
    assert img.get("loading") == "lazy" and img.get("alt") == ""  # the title below names it
    assert img.get("width") and img.get("height")
    assert widths(img.get("srcset")) == [400, 640, 800]

    (placeholder,) = cards[without.title].xpath(".//div[@class='card__media']/img")
    assert placeholder.get("alt") == "" and placeholder.get("loading") == "lazy"
    assert f"placeholder-{without.pk % len(PLACEHOLDER_TONES)}" in placeholder.get("src")
    served = placeholder.get("src").removeprefix(settings.STATIC_URL)
    assert finders.find(served), served


def test_events_and_content_pages_show_theirs_too(client, portal_site, photo):
    event = EventPageFactory(
        parent=portal_site["EventIndexPage"], lead_image=photo, lead_image_alt="Un amphithéâtre"
    )
    (img,) = document(client.get(event.url)).xpath("//figure[@class='lead-image']//img")
    assert img.get("alt") == "Un amphithéâtre"
    cards = document(client.get(portal_site["EventIndexPage"].url)).xpath("//div[@class='card__media']//img")
    assert any(".jpg" in (card.get("srcset") or "") for card in cards)

    brand = portal_site["BrandPage"]
    page = brand.add_child(
        instance=ContentPage(
            title="Gouvernance", slug="gouvernance-test", lead_image=photo, lead_image_alt="Le conseil"
        )
    )
    (img,) = document(client.get(page.url)).xpath("//figure[@class='lead-image']//img")
    assert img.get("alt") == "Le conseil"


def test_a_page_without_image_shows_no_empty_figure(client, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"])
    assert not document(client.get(article.url)).xpath("//figure[@class='lead-image']")


def test_replacing_the_photo_in_the_library_shows_on_the_cached_pages(client, admin_client, portal_site, photo):
    news = portal_site["news"]
    article = ArticlePageFactory(parent=news, lead_image=photo, lead_image_alt="Une salle")

    def shown():
        article_img = document(client.get(article.url)).xpath("//figure[@class='lead-image']//img")[0]
        card_img = document(client.get(news.url)).xpath("//div[@class='card__media']//img")[0]
        return article_img.get("src"), card_img.get("src")

    before = shown()
    assert shown() == before  # now from the cache
    buffer = io.BytesIO()
    PILImage.new("RGB", (1800, 1200), "orange").save(buffer, "JPEG")
    upload = SimpleUploadedFile("nouvelle-photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = admin_client.post(
        f"/admin/images/{photo.pk}/",
        {"title": photo.title, "file": upload, "collection": photo.collection_id, "tags": "", "description": ""},
    )
    assert response.status_code == 302
    after = shown()
    # Wagtail shortens the file name in the rendition's.
    assert all("/nouvel" in src for src in after) and after != before, after


def test_the_api_gives_the_image_and_its_text(client, portal_site, photo):
    article = ArticlePageFactory(
        parent=portal_site["news"], lead_image=photo, lead_image_alt="Une salle", lead_image_credit="Photo : A. B."
    )
    item = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert item["lead_image"]["width"] == 1200 and item["lead_image"]["height"] == 675
    assert item["lead_image"]["url"].endswith(".jpg")
    assert item["lead_image_alt_text"] == "Une salle" and item["lead_image_credit"] == "Photo : A. B."

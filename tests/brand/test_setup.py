import io
import re

from django.core.management import call_command
from PIL import Image
from wagtail.images import get_image_model

from brand import monograms
from brand.models import BrandPage, City, Organisation, Sector, StartupApplicationPage, StartupPage
from brand.setup import ensure_monograms
from tests.portal.sitewide.test_setup import snapshot


def test_setup_without_demo_never_loads_sample_startups(db):
    call_command("setup_portal", stdout=io.StringIO())
    assert not StartupPage.objects.exists()
    assert StartupApplicationPage.objects.get(locale__language_code="fr").url == "/fr/startups/rejoindre/"
    assert BrandPage.objects.get(locale__language_code="fr").url == "/fr/moroccotech/"
    assert Organisation.objects.filter(locale__language_code="fr").count() == 14
    # Translated into English and Arabic (tests/portal/sitewide/test_no_french_left.py reads them).
    assert Organisation.objects.filter(locale__language_code="ar").count() == 14
    assert Organisation.objects.get(slug="add", locale__language_code="en").name == "Digital Development Agency"
    assert Sector.objects.filter(locale__language_code="fr").count() == 13
    assert City.objects.filter(locale__language_code="fr").count() == 11
    # Translated into English, Arabic and Amazigh, with the same slugs.
    assert sorted(Sector.objects.filter(slug="fintech").values_list("locale__language_code", flat=True)) == [
        "ar",
        "en",
        "fr",
        "zgh",
    ]


def test_demo_loads_marked_samples_once(db):
    out = io.StringIO()
    call_command("setup_portal", "--demo", stdout=out)
    assert "loaded 12 SAMPLE startups" in out.getvalue()
    samples = StartupPage.objects.live()
    assert samples.count() == 12
    assert all(s.is_sample and s.title.endswith("(exemple)") for s in samples)
    before = snapshot()
    call_command("setup_portal", "--demo", stdout=io.StringIO())
    assert snapshot() == before


def test_brand_page_belongs_to_editors_after_setup(db, django_user_model):
    call_command("setup_portal", stdout=io.StringIO())
    page = BrandPage.objects.get(locale__language_code="fr")
    page.introduction = "Texte réécrit par la rédaction."
    page.save_revision().publish()
    call_command("setup_portal", stdout=io.StringIO())
    assert BrandPage.objects.get(locale__language_code="fr").introduction == "Texte réécrit par la rédaction."


def test_setup_draws_a_monogram_for_each_organisation_never_a_third_party_logo(client, portal_site):
    from_setup = Organisation.objects.all()
    assert from_setup.count() >= 14 and not from_setup.filter(logo__isnull=True).exists()
    for organisation in from_setup.select_related("logo"):
        assert organisation.logo.title.startswith("Monogramme ")
        with organisation.logo.file.open() as file:
            drawn = Image.open(file)
            assert drawn.format == "PNG" and drawn.size == (monograms.SIZE, monograms.SIZE)
    # Translations share their original's monogram; setup again draws nothing new.
    images = get_image_model().objects.count()
    ensure_monograms(lambda message: None)
    assert get_image_model().objects.count() == images
    # Shown as responsive images: WebP with a PNG fallback, sized, lazy below the fold.
    html = client.get("/fr/").content.decode()
    picture = re.search(r"<ul class=\"partner-logos\">.*?</ul>", html, re.S).group(0)
    assert 'type="image/webp"' in picture and "80w" in picture and "160w" in picture
    assert 'loading="lazy"' in picture and 'width="80"' in picture and 'height="80"' in picture

"""Loading the brand's fixtures: organisations, taxonomy, the brand page, sample startups.

Idempotent, keyed on slugs in the default language. Records that exist are
left as editors made them; only missing ones are created.
"""

from pathlib import Path

import yaml
from anyascii import anyascii
from django.conf import settings
from django.utils.text import slugify
from wagtail.models import Locale
from wagtail.rich_text import RichText

from brand import mentions, monograms
from brand.models import (
    BrandPage,
    BrandPartner,
    City,
    DeclineReason,
    Organisation,
    Sector,
    StartupApplicationPage,
    StartupIndexPage,
    StartupPage,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "brand"


def read_yaml(name):
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


def load_organisations(locale, log):
    created = 0
    for entry in read_yaml("organisations.yaml"):
        _organisation, was_created = Organisation.objects.get_or_create(
            slug=entry["slug"],
            locale=locale,
            defaults={
                "name": entry["name"],
                "acronym": entry.get("acronym", ""),
                "kind": entry["kind"],
                "city": entry.get("city", ""),
                "country": entry.get("country", "Maroc"),
                "website": entry.get("website", ""),
                "description": " ".join(entry.get("description", "").split()),
                "aliases": "\n".join(entry.get("aliases", [])),
            },
        )
        created += was_created
    if created:
        log(f"loaded {created} partner organisations")
    return created


def ensure_monograms(log):
    """A monogram for each organisation without a logo (brand.monograms), shared by its translations.

    Set on the published record without a revision: it is a placeholder, which an
    editor replaces by uploading the organisation's own logo.
    """
    missing = Organisation.objects.filter(logo__isnull=True).order_by("pk")
    images = {}
    for organisation in missing:
        key = organisation.translation_key
        if key not in images:
            original = Organisation.objects.filter(translation_key=key, logo__isnull=False).first()
            images[key] = original.logo if original else monograms.monogram_image(organisation)
        Organisation.objects.filter(pk=organisation.pk).update(logo=images[key])
    if images:
        log(f"drew monograms for {len(images)} organisations without a logo (editors upload the real ones)")


def load_taxonomy(locale, log):
    data = read_yaml("taxonomy.yaml")
    created = 0
    for model, key in ((Sector, "sectors"), (City, "cities")):
        for entry in data[key]:
            defaults = {k: v for k, v in entry.items() if k != "slug"}
            created += model.objects.get_or_create(slug=entry["slug"], locale=locale, defaults=defaults)[1]
    if created:
        log(f"loaded {created} sectors and cities")


def load_decline_reasons(locale, log):
    """The reasons for declining, in every language the founders' mails are in; once only."""
    if DeclineReason.objects.exists():
        return  # the moderators' own list from then on
    locales = {lo.language_code: lo for lo in Locale.objects.all()}
    for entry in read_yaml("decline_reasons.yaml"):
        reason = DeclineReason.objects.create(locale=locale, **entry[locale.language_code])
        for language, texts in entry.items():
            if language in locales and language not in ("slug", locale.language_code):
                translation = reason.copy_for_translation(locales[language])
                translation.title, translation.text = texts["title"], texts["text"]
                translation.save()
    log("loaded the reasons for declining an application")


def body_stream(items):
    stream = []
    for item in items:
        ((block_type, value),) = item.items()
        if block_type == "paragraph":
            value = RichText(f"<p>{' '.join(value.split())}</p>")
        stream.append((block_type, value))
    return stream


def fill_brand_page(page, locale):
    data = read_yaml("brand_page.yaml")
    page.title = data["title"]
    page.introduction = " ".join(data["introduction"].split())
    page.figures = [("figure", figure) for figure in data["figures"]]
    page.body = body_stream(data["body"])
    organisations = {o.slug: o for o in Organisation.objects.filter(locale=locale)}
    page.partners = [
        BrandPartner(organisation=organisations[p["organisation"]], role=p.get("role", ""), sort_order=n)
        for n, p in enumerate(data["partners"])
    ]
    page.save_revision(log_action=True).publish()


def ensure_application_page(directory, log):
    if StartupApplicationPage.objects.child_of(directory).exists():
        return
    page = StartupApplicationPage(
        title="Rejoindre MoroccoTech",
        slug="rejoindre",
        introduction="Votre startup est marocaine et innovante ? Présentez-la : l'équipe MoroccoTech "
        "examine chaque candidature avant de l'ajouter à l'annuaire.",
        locale=directory.locale,
    )
    directory.add_child(instance=page)
    page.save_revision(log_action=True).publish()
    log(f"created the application form at {page.url}")


def load_sample_startups(directory, locale, log):
    sectors = {s.slug: s for s in Sector.objects.filter(locale=locale)}
    cities = {c.slug: c for c in City.objects.filter(locale=locale)}
    existing = set(StartupPage.objects.child_of(directory).values_list("slug", flat=True))
    created = 0
    for entry in read_yaml("sample_startups.yaml"):
        slug = "exemple-" + slugify(anyascii(entry["name"].split(" (")[0]))
        if slug in existing:
            continue
        page = StartupPage(
            title=entry["name"],
            slug=slug,
            pitch=entry["pitch"],
            description=f"<p>{entry['pitch']} Cette entreprise est fictive : c'est un exemple de fiche.</p>",
            city=cities[entry["city"]],
            founded_year=entry["founded"],
            stage=entry["stage"],
            team_size=entry["team"],
            is_sample=True,
            locale=locale,
        )
        directory.add_child(instance=page)
        page.sectors.set([sectors[s] for s in entry["sectors"]])
        page.save_revision(log_action=True).publish()
        created += 1
    if created:
        log(f"loaded {created} SAMPLE startups (fictitious, marked as such)")


def setup_brand(home, sections, created_sections, log=lambda message: None, demo=False):
    locale = Locale.get_default()
    new_organisations = load_organisations(locale, log)
    load_taxonomy(locale, log)
    load_decline_reasons(locale, log)
    ensure_monograms(log)
    brand_page = sections.get("BrandPage")
    if brand_page is not None and "BrandPage" in created_sections:
        fill_brand_page(BrandPage.objects.get(pk=brand_page.pk), locale)
        log("wrote the brand page from fixtures/brand/brand_page.yaml")
    directory = sections.get("StartupIndexPage")
    if directory is not None:
        ensure_application_page(directory, log)
        if demo:
            load_sample_startups(StartupIndexPage.objects.get(pk=directory.pk), locale, log)
    if new_organisations:
        count = mentions.refresh_all_articles()
        if count:
            log(f"linked {count} existing articles to the organisations they name")

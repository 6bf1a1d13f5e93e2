"""English and Arabic versions of the site's skeleton, created once by setup_portal.

The French pages are translated with Wagtail's copy_for_translation and
filled from fixtures/translations/; a page that already has a translation
is left as editors (or wagtail-localize) made it.
"""

from pathlib import Path

import yaml
from django.conf import settings
from wagtail.models import Locale
from wagtail.rich_text import RichText

from brand.models import BrandPartner, City, ContentPage, Organisation, Sector, StartupApplicationPage

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "translations"
# The fixtures translate the skeleton into these; a page they leave out (the brand page in
# Amazigh) shows in French, marked as such, until editors translate it.
TRANSLATED_LANGUAGES = ("en", "ar", "zgh")


def read(name):
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


def stream(items):
    result = []
    for item in items:
        ((block_type, value),) = item.items()
        if block_type == "paragraph":
            value = RichText(f"<p>{' '.join(value.split())}</p>")
        result.append((block_type, value))
    return result


def translate_page(page, locale, fields, extra=None):
    """`page`'s `locale` version from the fixture's `fields`, unless it exists already.

    extra: more fields to set, or a function giving them, called only when the
    translation is made (the brand page's partners cost queries to build).
    """
    if page.get_translation_or_none(locale) is not None:
        return None
    if callable(extra):
        extra = extra()
    translated = page.copy_for_translation(locale)
    translated.title = fields["title"]
    translated.slug = fields["slug"]
    for name in ("introduction", "thank_you_text"):
        if name in fields and hasattr(translated, name):
            setattr(translated, name, " ".join(fields[name].split()))
    for name, value in (extra or {}).items():
        setattr(translated, name, value)
    translated.save_revision(log_action=True).publish()
    return translated


def translate_taxonomy(locale):
    names = read("taxonomy.yaml")
    for model, key in ((Sector, "sectors"), (City, "cities")):
        for source in model.objects.filter(locale=Locale.get_default()):
            name = names[key].get(source.slug, {}).get(locale.language_code)
            if name is None or source.has_translation(locale):
                continue
            copy = source.copy_for_translation(locale)
            copy.name = name
            copy.save()


def translate_organisations(locale):
    """The partner organisations in `locale`, under their French slugs; True if any was created."""
    texts = read("organisations.yaml")
    created = False
    for source in Organisation.objects.filter(locale=Locale.get_default(), slug__in=texts):
        fields = texts[source.slug].get(locale.language_code)
        if not fields or source.has_translation(locale):
            continue
        copy = source.copy_for_translation(locale)
        copy.name, copy.city, copy.country = fields["name"], fields["city"], fields["country"]
        copy.description = " ".join(fields["description"].split())
        # Articles name an organisation by its French names: they stay on the French record,
        # which brand.mentions links for the whole translation group.
        copy.aliases = ""
        copy.save()
        created = True
    return created


def translated_partners(brand_page, locale, roles):
    """The brand page's partners for its `locale` version: that language's organisations and roles."""
    partners = list(brand_page.partners.select_related("organisation"))
    translated = {
        o.translation_key: o
        for o in Organisation.objects.filter(
            locale=locale, translation_key__in=[p.organisation.translation_key for p in partners]
        )
    }
    return [
        BrandPartner(
            organisation=translated.get(p.organisation.translation_key, p.organisation),
            role=roles.get(p.organisation.slug, p.role),
            sort_order=p.sort_order,
        )
        for p in partners
    ]


def ensure_translations(home, sections, log=lambda message: None):
    texts = read("sections.yaml")
    brand_texts = read("brand_page.yaml")
    order = ["NewsIndexPage", "BrandPage", "EventIndexPage", "StartupIndexPage", "FiguresPage"]
    for code in TRANSLATED_LANGUAGES:
        locale = Locale.objects.get(language_code=code)
        created = []
        # Before the brand page, whose partners are these records.
        if translate_organisations(locale):
            created.append("organisations")
        if translate_page(home.specific, locale, texts[code]["HomePage"]):
            created.append("home")
        for name in order:
            page = sections.get(name)
            if page is None or name not in texts[code]:
                continue
            extra = None
            if name == "BrandPage":
                brand = brand_texts[code]

                def extra(page=page, brand=brand, locale=locale):
                    return {
                        "introduction": " ".join(brand["introduction"].split()),
                        "figures": [("figure", figure) for figure in brand["figures"]],
                        "body": stream(brand["body"]),
                        "partners": translated_partners(page.specific, locale, brand.get("partners", {})),
                    }

            if translate_page(page.specific, locale, texts[code][name], extra):
                created.append(name)
        application = StartupApplicationPage.objects.filter(locale=Locale.get_default()).first()
        if application and translate_page(application, locale, texts[code]["StartupApplicationPage"]):
            created.append("StartupApplicationPage")
        created += translate_legal_pages(home, locale)
        translate_taxonomy(locale)
        if created:
            log(f"created the {code} versions of: {', '.join(created)}")


def translate_legal_pages(home, locale):
    """The legal pages' placeholders in `locale`, for the editors to complete there too."""
    texts = read("legal_pages.yaml").get(locale.language_code, {})
    created = []
    for page in ContentPage.objects.child_of(home).filter(slug__in=texts):
        fields = texts[page.slug]
        body = [("paragraph", RichText(" ".join(fields["body"].split())))]
        if translate_page(page, locale, fields, {"body": body}):
            created.append(f"“{fields['title']}” (a placeholder editors must complete)")
    return created

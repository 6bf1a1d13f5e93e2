"""Legal pages and the per-language navigation, created once by setup_portal.

The legal pages are placeholders the editors must complete: their text says
so in capitals and they are kept out of the menus and the search engines'
sitemap until an editor rewrites them. The navigation of each language links
to the French pages; the site shows each link in the visitor's language
(portal.sitewide.navigation maps a page to its translation), so labels are left empty
and come from the translated page titles.
"""

from wagtail.models import Locale
from wagtail.rich_text import RichText

from brand.models import ContentPage
from portal.sitewide.navigation import SiteNavigation

PLACEHOLDER = (
    "<p><strong>[À COMPLÉTER PAR L’ÉQUIPE ÉDITORIALE]</strong> Ce texte est provisoire et n’a aucune "
    "valeur juridique. {what}</p>"
)
LEGAL_PAGES = [
    (
        "mentions-legales",
        "Mentions légales",
        "Éditeur du site, directeur de la publication, hébergeur, propriété intellectuelle.",
        "Indiquez ici l’éditeur du portail, le directeur de la publication, l’hébergeur et les conditions "
        "de réutilisation des contenus.",
    ),
    (
        "donnees-personnelles",
        "Données personnelles",
        "Quelles données le portail recueille, pourquoi, combien de temps, et vos droits.",
        # What the portal does is written here (docs/membership.md); who answers for it is the team's.
        "Le responsable du traitement, son adresse, le numéro de déclaration à la CNDP (loi 09-08) et le "
        "contact pour exercer ses droits sont à écrire par l’équipe ; ce qui suit décrit ce que fait le portail."
        "</p><p><strong>Candidatures des startups.</strong> Nous conservons le nom, l’adresse e-mail et le "
        "téléphone de la personne qui présente une startup, et ses messages, pour examiner la candidature, lui "
        "répondre, lui envoyer les liens de mise à jour de la fiche et, une fois par an, lui demander de la "
        "confirmer. Ils ne sont jamais publiés : la fiche publique décrit l’entreprise, pas la personne. Ils "
        "sont conservés tant que la startup est membre ; ceux d’une candidature refusée sont effacés un an "
        "après la décision."
        "</p><p><strong>Lettre d’information.</strong> Nous conservons l’adresse e-mail et la langue choisie, "
        "de la confirmation de l’inscription à la désinscription, possible depuis chaque e-mail."
        "</p><p><strong>Vos droits.</strong> Vous pouvez demander l’accès à vos données, leur rectification "
        "ou leur effacement. La personne qui a présenté une startup peut effacer elle-même ses données : "
        '<a href="/fr/membres/donnees/">effacer mes données personnelles</a>. Pour toute autre demande : '
        "<strong>[CONTACT À COMPLÉTER PAR L’ÉQUIPE]</strong>.",
    ),
]
TAGLINES = {
    "fr": "La marque nationale du numérique marocain.",
    "ar": "العلامة الوطنية للرقمي المغربي.",
    "en": "Morocco's national tech brand.",
    "zgh": "ⵜⴰⵎⴰⵜⴰⵔⵜ ⵜⴰⵏⴰⵎⵓⵔⵜ ⵏ ⵓⵏⵓⵎⴰⵏ ⴰⵎⵖⵔⴰⴱⵉ.",
}
COLUMN_HEADINGS = {
    "fr": ("Le portail", "L’écosystème"),
    "ar": ("البوابة", "المنظومة"),
    "en": ("The portal", "The ecosystem"),
    "zgh": ("ⴰⵙⵙⵓⵜⵍ", "ⴰⵏⴰⴳⵔⴰⵡ"),
}


def ensure_legal_pages(home, log):
    pages = {}
    for slug, title, introduction, what in LEGAL_PAGES:
        page = ContentPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = ContentPage(
                title=title,
                slug=slug,
                locale=home.locale,
                introduction=introduction,
                show_in_menus=False,
                body=[("paragraph", RichText(PLACEHOLDER.format(what=what)))],
            )
            home.add_child(instance=page)
            page.save_revision(log_action=True).publish()
            log(f"created the placeholder page “{title}” at {page.url}: editors must complete it")
        pages[slug] = page
    return pages


def link(page):
    return {"label": "", "page": page, "url": ""}


def ensure_navigation(home, sections, legal, log):
    order = ["BrandPage", "NewsIndexPage", "EventIndexPage", "StartupIndexPage"]
    menu = [("link", link(sections[name])) for name in order if name in sections]
    for locale in Locale.objects.filter(language_code__in=TAGLINES):
        if SiteNavigation.objects.filter(locale=locale).exists():
            continue
        portal_heading, ecosystem_heading = COLUMN_HEADINGS[locale.language_code]
        SiteNavigation.objects.create(
            locale=locale,
            tagline=TAGLINES[locale.language_code],
            main_menu=menu,
            footer_columns=[
                (
                    "column",
                    {
                        "heading": portal_heading,
                        "links": [link(sections[n]) for n in ("NewsIndexPage", "EventIndexPage") if n in sections],
                    },
                ),
                (
                    "column",
                    {
                        "heading": ecosystem_heading,
                        "links": [
                            link(sections[n])
                            for n in ("StartupIndexPage", "FiguresPage", "BrandPage")
                            if n in sections
                        ],
                    },
                ),
            ],
            legal_links=[("link", link(page)) for page in legal.values()],
        )
        log(f"created the navigation for {locale.language_code}")

"""Site-wide settings and navigation that editors change in the admin.

PortalSettings (one per site): logo, default sharing image, contact details,
social links. SiteNavigation (one per language, a translatable snippet): the
tagline, the main menu, the footer columns and the legal links.

Every page shows them, so what a page needs (labels, URLs, logo) is computed
once and kept in the cache (portal.core.cache.tags) until one of the pages it
links to, the sections under the home page, these two models or the site
change: the header and footer then cost no SQL query, and are never stale.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, TranslatableMixin

from portal.core.cache import cached_value, children_of, depends_on, translations_of
from portal.core.visibility import public

SOCIAL_NETWORKS = [
    ("linkedin", "LinkedIn"),
    ("x", "X"),
    ("facebook", "Facebook"),
    ("youtube", "YouTube"),
    ("instagram", "Instagram"),
]


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=60, required=False, help_text="Text of the link. Empty: the page's title.")
    page = blocks.PageChooserBlock(required=False, help_text="A page of the site…")
    url = blocks.URLBlock(required=False, help_text="…or an address outside it.")

    class Meta:
        icon = "link"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not value.get("page") and not value.get("url"):
            errors["page"] = ValidationError(_("Choisissez une page ou saisissez une adresse."))
        if value.get("url") and not value.get("label"):
            errors["label"] = ValidationError(_("Un lien vers une adresse extérieure a besoin d’un texte."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class FooterColumnBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=60, help_text="The column's title, e.g. “Le portail”.")
    links = blocks.ListBlock(LinkBlock(), help_text="The column's links, in order.")

    class Meta:
        icon = "list-ul"


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The logo in the header. Empty: the site name in text."),
    )
    default_share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default sharing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when a page without its own image is shared (1200×630 works best)."),
    )
    contact_email = models.EmailField(
        verbose_name=_("contact e-mail"),
        blank=True,
        help_text=_("The public contact address, shown in the footer."),
    )
    contact_address = models.TextField(
        verbose_name=_("postal address"), blank=True, help_text=_("The postal address, shown in the footer.")
    )
    linkedin = models.URLField(verbose_name=_("LinkedIn"), blank=True, help_text=_("The brand's LinkedIn page."))
    x = models.URLField(verbose_name=_("X"), blank=True, help_text=_("The brand's X (Twitter) account."))
    facebook = models.URLField(verbose_name=_("Facebook"), blank=True, help_text=_("The brand's Facebook page."))
    youtube = models.URLField(verbose_name=_("YouTube"), blank=True, help_text=_("The brand's YouTube channel."))
    instagram = models.URLField(
        verbose_name=_("Instagram"), blank=True, help_text=_("The brand's Instagram account.")
    )

    panels = [
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("default_share_image")], heading=_("Identité")),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("contact_address")], heading=_("Contact")),
        MultiFieldPanel([FieldPanel(name) for name, _label in SOCIAL_NETWORKS], heading=_("Réseaux sociaux")),
    ]

    class Meta:
        verbose_name = _("portal settings")


class SiteNavigation(TranslatableMixin, models.Model):
    """The header menu and the footer of one language's site."""

    tagline = models.CharField(
        verbose_name=_("tagline"),
        max_length=160,
        blank=True,
        help_text=_("A short line under the site name in the footer, in this language."),
    )
    main_menu = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("main menu"),
        blank=True,
        help_text=_("The header's menu, in order. Empty: the sections marked “show in menus”."),
    )
    footer_columns = StreamField(
        [("column", FooterColumnBlock())],
        verbose_name=_("footer columns"),
        blank=True,
        help_text=_("Columns of links in the footer."),
    )
    legal_links = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("legal links"),
        blank=True,
        help_text=_("The legal pages (mentions légales, données personnelles), at the very bottom."),
    )

    panels = [
        FieldPanel("tagline"),
        FieldPanel("main_menu"),
        FieldPanel("footer_columns"),
        FieldPanel("legal_links"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("site navigation")
        verbose_name_plural = _("site navigation")

    def __str__(self):
        return f"{_('Navigation')} ({self.locale.language_code})"


# --- what the templates get ---------------------------------------------------


def raw_links(stream_field):
    for item in stream_field.raw_data:
        yield item["value"]


def build_chrome(site, home, request):
    """The header and footer data for one language's home: plain dicts, safe to cache."""
    locale = home.locale
    settings = PortalSettings.for_site(site)
    # The settings row may be created just now, unsaved when it was loaded (no
    # tag of its own); a navigation created for this language replaces the fallback menu.
    depends_on(PortalSettings, SiteNavigation)
    navigation = SiteNavigation.objects.filter(locale=locale).first()

    # Every page a link points to, mapped to its live version in this language (or the original).
    raw = []
    if navigation:
        raw += list(raw_links(navigation.main_menu)) + list(raw_links(navigation.legal_links))
        for column in navigation.footer_columns.raw_data:
            raw += [link.get("value", link) for link in column["value"].get("links", [])]
    ids = {link.get("page") for link in raw if link.get("page")}
    pages = {}
    if ids:
        sources = Page.objects.filter(pk__in=ids).values_list("pk", "translation_key")
        keys = {key: pk for pk, key in sources}
        # A link shows the linked page's translation once there is one.
        depends_on(*(translations_of(key) for key in keys))
        candidates = public(Page.objects.live()).filter(translation_key__in=keys).select_related("locale")
        for page in candidates.only("id", "path", "url_path", "title", "translation_key", "locale"):
            source = keys[page.translation_key]
            # The page in this language wins over the original.
            if source not in pages or page.locale_id == locale.pk:
                pages[source] = page

    def link(value):
        page = pages.get(value.get("page"))
        if value.get("page") and page is None:
            return None  # unpublished or deleted: the link disappears
        url = page.get_url(request) if page else value.get("url")
        # A page not translated yet is linked in its own language, and says so (lang, hreflang).
        lang = page.locale.language_code if page and page.locale_id != locale.pk else ""
        return {"label": value.get("label") or (page.title if page else url), "url": url, "lang": lang}

    def links(values):
        return [item for item in map(link, values) if item]

    menu = links(raw_links(navigation.main_menu)) if navigation and navigation.main_menu.raw_data else None
    if menu is None:
        depends_on(children_of(home))
        children = public(home.get_children().live()).in_menu().only("id", "path", "url_path", "title", "locale")
        menu = [{"label": page.title, "url": page.get_url(request)} for page in children]
    logo = None
    if settings.logo_id:
        rendition = settings.logo.get_rendition("height-64")
        logo = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    share_image = None
    if settings.default_share_image_id:
        share_image = settings.default_share_image.get_rendition("fill-1200x630").url
    return {
        "site_name": site.site_name or "MoroccoTech",
        "home_url": home.get_url(request),
        "tagline": navigation.tagline if navigation else "",
        "menu": menu,
        "columns": [
            {
                "heading": column["value"].get("heading", ""),
                "links": links(v.get("value", v) for v in column["value"].get("links", [])),
            }
            for column in (navigation.footer_columns.raw_data if navigation else [])
        ],
        "legal": links(raw_links(navigation.legal_links)) if navigation else [],
        "social": [(label, getattr(settings, name)) for name, label in SOCIAL_NETWORKS if getattr(settings, name)],
        "contact_email": settings.contact_email,
        "contact_address": settings.contact_address,
        "logo": logo,
        "share_image": share_image,
    }


def chrome_for(request, site, language_code, page=None):
    """build_chrome's result from the cache when nothing changed since it was built: no query then."""

    def compute():
        # A home page is the root of its language; elsewhere Page.localized gives
        # the home in the active language, or the site's own if untranslated.
        home = page if page is not None and page.depth == 2 else site.root_page.localized
        depends_on(home, translations_of(home))
        return build_chrome(site, home, request)

    return cached_value("chrome", (site.pk, language_code, request.get_host()), compute)

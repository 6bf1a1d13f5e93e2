"""The site-wide pages: each language's home page and the ecosystem in figures.

The tree is constrained: one HomePage per language under Wagtail's root; the
sections (news, brand, startups, events, figures, content pages) under it.
The other models of this room live beside their use and are registered with
the app by portal/models.py.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from portal.core import seo
from portal.core.cache import cached_value
from portal.core.csv_export import csv_response
from portal.core.pages import IntroductionMixin, PortalPage
from portal.core.search_analysis import SearchText
from portal.sitewide import figures
from portal.sitewide.home import HomeSectionsBlock, build_sections, home_sections


class HomePage(IntroductionMixin, PortalPage):
    """The front page of one language's site (/fr/, /ar/, /en/): a hero, then the sections editors choose."""

    search_result_group = None

    hero_headline = models.CharField(
        verbose_name=_("headline"),
        max_length=120,
        blank=True,
        help_text=_("The big line at the top of the home page. Empty: the page title."),
    )
    hero_cta_label = models.CharField(
        verbose_name=_("button label"),
        max_length=60,
        blank=True,
        help_text=_("Text of the hero's button, e.g. “Découvrir les startups”."),
    )
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the hero's button leads (a page of the site)…"),
    )
    hero_cta_url = models.URLField(
        verbose_name=_("button address"),
        blank=True,
        help_text=_("…or an address outside the site, if no page is chosen."),
    )
    sections = StreamField(
        HomeSectionsBlock(),
        verbose_name=_("sections"),
        blank=True,
        help_text=_("The home page's sections, in order. Untick “show” to hide one; remove it to drop it."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_headline"),
                *IntroductionMixin.introduction_panels,
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_cta_page"),
                FieldPanel("hero_cta_url"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("sections"),
    ]
    search_fields = (
        PortalPage.search_fields + IntroductionMixin.introduction_search_fields + [SearchText("hero_headline")]
    )

    # Wagtail counts max_count across every locale, so one home per language
    # cannot be expressed with it; the tree position is what is constrained.
    parent_page_types = ["wagtailcore.Page"]
    # No subpage_types: each section says it goes under a home (its parent_page_types),
    # so a new section is declared in its own module only. Every page type names its
    # parents, which keeps the tree constrained (tests/portal/news/test_pages.py).

    class Meta:
        verbose_name = _("home page")

    def clean(self):
        super().clean()
        if self.hero_cta_label and not (self.hero_cta_page_id or self.hero_cta_url):
            raise ValidationError({"hero_cta_label": _("Choisissez une page ou une adresse pour ce bouton.")})

    def hero_cta_href(self, request):
        if self.hero_cta_page_id:
            # The chosen page in this home's language when it is translated.
            page = self.hero_cta_page.get_translation_or_none(self.locale) or self.hero_cta_page
            return page.get_url(request) if page.live else ""
        return self.hero_cta_url

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when shown: the template caches the sections' HTML around them
        # (60 s at most, for the upcoming events).
        context["home_sections"] = SimpleLazyObject(lambda: build_sections(self))
        context["section_urls"] = SimpleLazyObject(
            lambda: {page.specific_class.__name__: page.get_url(request) for page in home_sections(request, self)}
        )
        context["hero_cta_href"] = self.hero_cta_href(request) if self.hero_cta_label else ""
        return context

    def structured_data(self, request):
        return seo.website(self, request, reverse("search"))


class FiguresPage(RoutablePageMixin, IntroductionMixin, PortalPage):
    """The ecosystem in figures: charts computed from live content, cached until content changes."""

    search_result_group = None

    content_panels = Page.content_panels + IntroductionMixin.introduction_panels
    search_fields = PortalPage.search_fields + IntroductionMixin.introduction_search_fields
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("ecosystem in figures page")

    def charts(self, request):
        def compute():
            home = self.get_parent()
            urls = {page.specific_class.__name__: page.get_url(request) for page in home_sections(request, home)}
            if urls.get("BrandPage"):
                urls["organisations"] = urls["BrandPage"] + "organisations/"
            return figures.collect(self.locale, urls)

        # Eleven grouped counts over all content: computed again only after a change of what they count.
        return cached_value(
            "figures", (request.get_host(), self.pk, translation.get_language()), compute, shows=figures.COUNTED
        )

    def charts_with_svg(self, request):
        def compute():
            rtl = translation.get_language_bidi()
            # svg() escapes every text it writes: the markup is safe to insert as is.
            return [(chart, mark_safe(figures.svg(chart, rtl=rtl))) for chart in self.charts(request)]  # noqa: S308

        return cached_value("figures-svg", (request.get_host(), self.pk, translation.get_language()), compute)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when shown: the template caches the charts' HTML around them.
        context["charts"] = SimpleLazyObject(lambda: self.charts_with_svg(request))
        return context

    @path("csv/", name="csv")
    def csv_export(self, request):
        """Every number on the page, one row per bar."""
        rows = ((chart.key, label, count) for chart in self.charts(request) for label, count, _url in chart.rows)
        return csv_response("moroccotech-chiffres.csv", ["graphique", "libelle", "nombre"], rows)


class SearchIndexState(models.Model):
    """The word analysis the search index was last built with (portal.core.search_analysis.ANALYSIS_VERSION).

    One row. setup_portal rebuilds the index when the code's analysis is
    another one: pages indexed the old way would not match the new queries.
    """

    analysis = models.CharField(max_length=20, verbose_name=_("word analysis"))
    built_at = models.DateTimeField(auto_now=True, verbose_name=_("built at"))

    class Meta:
        verbose_name = _("search index state")

    def __str__(self):
        return f"{self.analysis} ({self.built_at:%Y-%m-%d %H:%M})"

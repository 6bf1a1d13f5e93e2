"""The brand's own pages: the label's page and its generic sub-pages."""

from django.db import models
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, Page

from brand.models.organisations import Organisation
from brand.models.startups import StartupPage
from portal.core import seo
from portal.core.blocks import BodyBlock
from portal.core.cache import cached_value, children_of, depends_on
from portal.core.extensions import ORGANISATION_CONTEXT, extra_context
from portal.core.i18n import in_language
from portal.core.pages import IntroductionMixin, LeadImageMixin, PortalPage
from portal.core.pagination import cached_list
from portal.core.search_analysis import SearchText
from portal.core.visibility import public
from portal.news.models import ArticlePage


class BrandFigureBlock(blocks.StructBlock):
    """A key figure with where it comes from: a number without a source is not a fact."""

    value = blocks.CharBlock(max_length=30, help_text="The figure as shown, e.g. “800+” or “75 000”.")
    label = blocks.CharBlock(
        max_length=120, help_text="What it counts, e.g. “participants au congrès Digital Now”."
    )
    source = blocks.CharBlock(
        max_length=200, help_text="Who published the figure, e.g. “Club des dirigeants du Maroc”."
    )
    date = blocks.CharBlock(
        max_length=40, help_text="When the figure was true or published, e.g. “décembre 2020”."
    )

    class Meta:
        icon = "table"
        template = "brand/blocks/figure_block.html"


class BrandBodyBlock(BodyBlock):
    figure = BrandFigureBlock()


class BrandPage(RoutablePageMixin, IntroductionMixin, PortalPage):
    """The MoroccoTech label (/fr/moroccotech/): mission, pillars, governance, figures, partners.

    Also serves the partner organisations' public pages, under
    /fr/moroccotech/organisations/.
    """

    body = StreamField(
        BrandBodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("The label's mission, pillars and governance: headings, paragraphs, quotes."),
    )
    figures = StreamField(
        [("figure", BrandFigureBlock())],
        verbose_name=_("key figures"),
        blank=True,
        help_text=_("Key figures shown as a row of numbers, each with its source and date."),
    )

    content_panels = (
        Page.content_panels
        + IntroductionMixin.introduction_panels
        + [FieldPanel("figures"), FieldPanel("body"), InlinePanel("partners", heading=_("Partner organisations"))]
    )

    search_fields = (
        PortalPage.search_fields
        + IntroductionMixin.introduction_search_fields
        + [SearchText("body"), SearchText("figures")]
    )
    api_fields = [APIField("introduction"), APIField("body"), APIField("figures")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["brand.ContentPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("brand page")

    # Served from the cached route with these loaded (portal.core.cache.routing.prepare_for_display).
    display_prefetch = ("partners__organisation__logo__renditions",)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def sub_pages():
            depends_on(children_of(self))
            return list(public(self.get_children().live()).specific())

        # Lazy: the organisation pages served by this page render with this
        # context too, and show none of it (no query, nor a dependency on news).
        # A partner whose organisation was never published is not shown yet.
        context["partners"] = SimpleLazyObject(lambda: [p for p in self.partners.all() if p.organisation.live])
        context["brand_news"] = SimpleLazyObject(
            lambda: cached_list(
                ArticlePage.objects.listing(locale=self.locale).filter(mentions_brand=True)[:4],
                key=("brand-news", self.pk),
            )
        )
        context["sub_pages"] = SimpleLazyObject(sub_pages)
        return context

    def organisations_in_locale(self):
        # This language's records, and the French ones not translated into it (most of them).
        return in_language(Organisation.objects.live(), self.locale)

    @path("organisations/", name="organisations")
    def organisation_index(self, request):
        organisations = cached_list(
            self.organisations_in_locale().order_by("kind", "name"), key=("organisations", self.pk)
        )
        groups = {}
        for organisation in organisations:
            # Keyed by (kind, label): the kind is the anchor the figures page links to.
            groups.setdefault((organisation.kind, organisation.get_kind_display()), []).append(organisation)
        return self.render(
            request,
            context_overrides={
                "organisation_groups": groups,
                "organisation_count": len(organisations),
                "breadcrumb_current": _("Organisations"),
            },
            template="brand/organisation_index.html",
        )

    @path("organisations/<str:slug>/", name="organisation")
    def organisation_detail(self, request, slug):
        # Unknown slugs are not kept: anyone can make them up.
        organisation = cached_value(
            "organisation",
            (self.locale_id, slug),
            lambda: self.organisations_in_locale().filter(slug=slug).first(),
            shows=(Organisation,),
            keep=lambda found: found is not None,
        )
        if organisation is None:
            # Shown until a record in this language takes the slug.
            depends_on(Organisation)
            # Not translated yet: show the default language's record.
            organisation = cached_value(
                "organisation",
                ("default", slug),
                lambda: Organisation.objects.live().filter(slug=slug, locale=Locale.get_default()).first(),
                shows=(Organisation,),
                keep=lambda found: found is not None,
            )
            if organisation is None:
                raise Http404
        # Keyed by what each listing is built from: this page (its language) and the
        # organisation. Read when shown: the template caches their HTML around them.
        key = (self.pk, organisation.pk)
        articles = SimpleLazyObject(
            lambda: cached_list(
                ArticlePage.objects.listing(locale=self.locale).filter(
                    organisation_mentions__organisation__translation_key=organisation.translation_key
                )[:20],
                key=("organisation-articles", *key),
            )
        )
        startups = SimpleLazyObject(
            lambda: cached_list(
                public(StartupPage.objects.live()).filter(organisations=organisation).select_related("city")[:50],
                key=("organisation-startups", *key),
            )
        )

        return self.render(
            request,
            context_overrides={
                "structured_data": seo.organisation_data(
                    organisation, request, url=request.build_absolute_uri(request.path)
                ),
                "seo_title_override": organisation.name,
                "seo_description_override": organisation.description,
                "organisation": organisation,
                "breadcrumb_trail": [
                    {"title": _("Organisations"), "url": self.url + self.reverse_subpage("organisations")}
                ],
                "breadcrumb_current": organisation.name,
                "organisation_articles": articles,
                "organisation_startups": startups,
                # The events it organises or supports, from the events app (events/wagtail_hooks.py).
                **extra_context(ORGANISATION_CONTEXT, self, request, organisation=organisation, key=key),
            },
            template="brand/organisation_page.html",
        )


class BrandPartner(Orderable):
    page = ParentalKey(BrandPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A partner of the label."),
    )
    role = models.CharField(
        verbose_name=_("role"),
        max_length=200,
        blank=True,
        help_text=_("Optional: its part in the label, e.g. “porteur de la marque avec le ministère”."),
    )

    panels = [FieldPanel("organisation"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner")


class ContentPage(LeadImageMixin, IntroductionMixin, PortalPage):
    """A plain content page under the brand page: governance, financing, talents, diaspora..."""

    body = StreamField(BrandBodyBlock(), verbose_name=_("body"), blank=True, help_text=_("The page's content."))

    content_panels = (
        Page.content_panels
        + IntroductionMixin.introduction_panels
        + LeadImageMixin.lead_image_panels
        + [FieldPanel("body")]
    )
    search_fields = (
        PortalPage.search_fields
        + IntroductionMixin.introduction_search_fields
        + LeadImageMixin.lead_image_search_fields
        + [SearchText("body")]
    )

    api_fields = [APIField("introduction"), *LeadImageMixin.lead_image_api_fields, APIField("body")]

    parent_page_types = ["portal.HomePage", "brand.BrandPage", "brand.ContentPage"]
    subpage_types = ["brand.ContentPage"]

    class Meta:
        verbose_name = _("content page")

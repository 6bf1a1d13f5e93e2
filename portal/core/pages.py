"""Small page mixins, each owning its fields and its panels.

Imported by every app; imports no app models.
"""

from http import HTTPMethod

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from portal.core.search_analysis import SearchText
from portal.core.slugs import ascii_slug
from portal.core.visibility import restricted_paths


class ReadOnlyPageMixin:
    """Pages that only display answer GET and HEAD (and OPTIONS); anything else is 405.

    Wagtail accepts every method by default and would render the page for a
    DELETE. A page that takes a form lists POST in its own allowed_http_methods.
    """

    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]


class CachedViewRestrictionsMixin:
    """The view restriction check asks the database only when a page above this one is restricted.

    Wagtail runs it before serving every page (two queries); the restricted
    paths come from the cache instead (portal.core.visibility).
    """

    def get_view_restrictions(self):
        # An alias takes its source's restrictions: left to Wagtail.
        if self.alias_of_id is None and not any(self.path.startswith(path) for path in restricted_paths()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class IntroductionMixin(models.Model):
    introduction = models.TextField(
        verbose_name=_("introduction"),
        blank=True,
        help_text=_("One short paragraph shown under the page title and when the page is listed elsewhere."),
    )

    introduction_panels = [FieldPanel("introduction")]
    introduction_search_fields = [SearchText("introduction")]

    class Meta:
        abstract = True


class LeadImageMixin(models.Model):
    """An optional picture at the head of the page and on its card, described for those who cannot see it.

    The text alternative is the page's (what the picture says here), else the
    image's own description from the library; one of the two is required.
    """

    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown under the title and on the page's card. A landscape photo of 1600 pixels or more "
            "works best; set its focal point in the image library so that the crops keep it."
        ),
    )
    lead_image_alt = models.CharField(
        verbose_name=_("alternative text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it (read aloud by screen readers). "
            "Required with an image, unless the image library already describes it."
        ),
    )
    lead_image_caption = models.CharField(
        verbose_name=_("caption"),
        max_length=250,
        blank=True,
        help_text=_("Optional: a sentence shown under the image."),
    )
    lead_image_credit = models.CharField(
        verbose_name=_("credit"),
        max_length=150,
        blank=True,
        help_text=_("Who took or owns the image, e.g. “Photo: Amina B. / MoroccoTech”."),
    )

    lead_image_panels = [
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading=_("Lead image"),
        )
    ]
    # What the picture shows and its caption are the page's words too; its credit is not.
    lead_image_search_fields = [SearchText("lead_image_alt"), SearchText("lead_image_caption")]
    lead_image_api_fields = [
        APIField("lead_image", serializer=ImageRenditionField("fill-1200x675")),
        APIField("lead_image_alt_text"),
        APIField("lead_image_caption"),
        APIField("lead_image_credit"),
    ]

    class Meta:
        abstract = True

    @property
    def lead_image_alt_text(self):
        if self.lead_image is None:
            return ""
        return self.lead_image_alt.strip() or self.lead_image.description.strip()

    def clean(self):
        super().clean()
        if self.lead_image_id and not self.lead_image_alt_text:
            raise ValidationError(
                {
                    "lead_image_alt": _(
                        "Décrivez ce que montre l’image pour les personnes qui ne la voient pas, "
                        "ou retirez l’image."
                    )
                }
            )


class SocialMixin(models.Model):
    """What a page looks like when shared: an image, on top of Wagtail's SEO title and description.

    Pages also define social_text() (the description used when the editor
    left "search description" empty) and structured_data(request) (JSON-LD).
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("sharing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Image shown when the page is shared on social networks (1200×630 works best)."),
    )

    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]

    class Meta:
        abstract = True

    def social_text(self):
        return getattr(self, "introduction", "") or ""

    def social_image_fallback(self):
        return None

    def structured_data(self, request):
        return None


class PortalPage(ReadOnlyPageMixin, CachedViewRestrictionsMixin, SocialMixin, Page):
    """What every page of the portal is: read-only unless it says otherwise (405 for the rest),
    its view restrictions from the cache, and its sharing card. A page type adds only what is
    its own (IntroductionMixin, RoutablePageMixin, its fields)."""

    # The group the site search lists this page type under (portal/sitewide/search.py):
    # every page type is found, as a "page", unless it names its own group or, for
    # sections and listings whose content is found on its own, None.
    search_result_group = "pages"
    # The fields listings select, filter or sort this page type by (portal.core.cache.tags,
    # "exact invalidation"): a publish that changes none of them drops the pages that
    # show this page, not every listing of its kind. None: every publish drops them all.
    listed_by = None
    # The title through the portal's word analysis (portal.core.search_analysis), Wagtail's
    # filter and autocomplete fields as they are; a page type adds the texts of its own.
    search_fields = [
        SearchText("title", boost=2),
        *(field for field in Page.search_fields if not isinstance(field, index.SearchField)),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        # Wagtail's slug field takes any letter; the admin's suggestion is ASCII
        # (WAGTAIL_ALLOW_UNICODE_SLUGS), a typed one must be too (docs/languages.md).
        if self.slug and not self.slug.isascii():
            raise ValidationError(
                {
                    "slug": _("Une adresse s’écrit sans accents ni autre alphabet, par exemple « %(slug)s ».")
                    % {"slug": ascii_slug(self.slug) or "mon-adresse"}
                }
            )

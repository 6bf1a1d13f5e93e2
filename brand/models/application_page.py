"""The page that takes founders' applications; the form and its handling live in brand.applications."""

from http import HTTPMethod

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from brand.applications import handle_application
from portal.core.pages import IntroductionMixin, PortalPage


class StartupApplicationPage(IntroductionMixin, PortalPage):
    """“Rejoindre MoroccoTech”: founders submit their startup; moderators review it."""

    search_result_group = None

    thank_you_text = models.TextField(
        verbose_name=_("thank-you text"),
        default="Merci ! Votre candidature a bien été reçue. L'équipe MoroccoTech l'examinera et vous "
        "répondra par e-mail.",
        help_text=_("Shown after a successful submission."),
    )

    content_panels = Page.content_panels + IntroductionMixin.introduction_panels + [FieldPanel("thank_you_text")]
    search_fields = PortalPage.search_fields + IntroductionMixin.introduction_search_fields

    parent_page_types = ["brand.StartupIndexPage"]
    subpage_types = []
    max_count_per_parent = 1
    # The one page that takes a form post.
    allowed_http_methods = [*PortalPage.allowed_http_methods, HTTPMethod.POST]

    class Meta:
        verbose_name = _("startup application page")

    def serve(self, request, *args, **kwargs):
        return handle_application(self, request)

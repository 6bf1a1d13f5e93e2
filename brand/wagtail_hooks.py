import django_filters
from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from brand.membership import decisions, erasure, freshness, mails, updates
from brand.models import (
    ArticleMention,
    City,
    DeclineReason,
    FounderMail,
    Organisation,
    Sector,
    StartupApplication,
    StartupPage,
)
from portal.core.csv_export import safe_cell
from portal.core.extensions import ARTICLE_RELATED


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "acronym", "kind", "city", "locale"]
    list_filter = ["kind", "locale"]
    search_fields = ["name", "acronym", "description"]
    ordering = ["name"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Secteurs")
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    menu_label = _("Villes")
    list_display = ["name", "region", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "region"]


class ApplicationFilterSet(WagtailFilterSet):
    """The moderators' questions: what is waiting for me, which profiles are out of date, what was declined."""

    TO_REVIEW, STALE, DECLINED, ERASED = "to_review", "stale", "declined", "erased"
    state = django_filters.ChoiceFilter(
        label=_("À traiter"),
        choices=[
            (TO_REVIEW, _("À examiner (candidature ou mise à jour)")),
            (STALE, _("Fiche à revérifier")),
            (DECLINED, _("Refusées")),
            (ERASED, _("Données effacées")),
        ],
        method="filter_state",
        empty_label=_("Toutes"),
    )
    language = django_filters.ChoiceFilter(label=_("Langue"), choices=settings.LANGUAGES, empty_label=_("Toutes"))

    class Meta:
        model = StartupApplication
        fields = ["state", "status", "language"]

    def filter_state(self, queryset, name, value):
        Status = StartupApplication.Status
        if value == self.TO_REVIEW:
            return queryset.filter(Q(status=Status.PENDING) | Q(update_submitted_at__isnull=False))
        if value == self.STALE:
            return queryset.filter(
                status=Status.APPROVED, page__live=True, page__in=freshness.stale(StartupPage.objects.all())
            )
        if value == self.DECLINED:
            return queryset.filter(status=Status.REJECTED)
        if value == self.ERASED:
            return queryset.filter(erased_at__isnull=False)
        return queryset


class ApplicationIndexView(IndexView):
    # What founders typed, written so that a spreadsheet shows it and never runs it.
    custom_field_preprocess = {
        name: {IndexView.FORMAT_CSV: safe_cell, IndexView.FORMAT_XLSX: safe_cell}
        for name in ("startup_name", "founder_name", "email", "phone")
    }


class StartupApplicationViewSet(SnippetViewSet):
    model = StartupApplication
    icon = "form"
    menu_label = _("Candidatures")
    index_view_class = ApplicationIndexView
    list_display = [
        "startup_name",
        "status",
        "language",
        "submitted_at",
        "last_mail",
        "last_mail_at",
        "verified_on",
        "page",
    ]
    filterset_class = ApplicationFilterSet
    search_fields = ["startup_name", "founder_name", "email"]
    ordering = ["-submitted_at"]
    inspect_view_enabled = True
    # Applications come from the public form only.
    add_to_admin_menu = False
    list_export = [
        "startup_name",
        "status",
        "language",
        "founder_name",
        "email",
        "phone",
        "submitted_at",
        "decided_at",
        "last_mail",
        "last_mail_at",
        "verified_on",
        "update_submitted_at",
        "erased_at",
        "public_url",
    ]
    export_headings = {name: name for name in list_export}
    export_filename = "moroccotech-candidatures"

    def get_queryset(self, request):
        return StartupApplication.objects.select_related("page", "decline_reason")


class DeclineReasonViewSet(SnippetViewSet):
    model = DeclineReason
    icon = "comment"
    menu_label = _("Raisons de refus")
    list_display = ["title", "locale"]
    list_filter = ["locale"]


class EcosystemGroup(SnippetViewSetGroup):
    menu_label = _("Écosystème")
    menu_icon = "group"
    menu_order = 250
    items = (OrganisationViewSet, SectorViewSet, CityViewSet, StartupApplicationViewSet, DeclineReasonViewSet)


register_snippet(EcosystemGroup)


@hooks.register("after_edit_snippet")
def application_decided(request, instance):
    if isinstance(instance, StartupApplication):
        decisions.application_saved(instance)


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    @actions.register_action(mails.LOG_ACTION)
    class FounderMailLog(LogFormatter):
        label = _("Mail to the founder")

        def format_message(self, log_entry):
            kind = dict(FounderMail.choices).get(log_entry.data.get("kind"), log_entry.data.get("kind"))
            return _("Mail sent to the founder: %(kind)s (%(language)s)") % {
                "kind": kind,
                "language": log_entry.data.get("language", ""),
            }

    @actions.register_action(updates.LOG_ACTION)
    class FounderUpdateLog(LogFormatter):
        label = _("Update proposed by the founder")
        message = _("The founder proposed an update (draft, in moderation)")

    @actions.register_action(erasure.LOG_ACTION)
    class PersonalDataErasedLog(LogFormatter):
        label = _("Personal data erased")

        def format_message(self, log_entry):
            if log_entry.data.get("reason") == "retention":
                return _("Personal data erased at the end of the retention period")
            return _("Personal data erased at the founder's request")


@hooks.register(ARTICLE_RELATED)
def articles_naming_the_same_organisations(article):
    """Another article is related to this one by each organisation both name (portal.news.reading)."""
    named = ArticleMention.objects.filter(article=article).values("organisation")
    shared = Q(organisation_mentions__organisation__in=named)
    return shared, Count("organisation_mentions__organisation", filter=shared, distinct=True)

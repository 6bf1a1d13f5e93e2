"""Admin dashboard panels: what needs an editor's or a moderator's attention.

Pages waiting for moderation are Wagtail's own panels (workflow tasks to review,
the user's pages in moderation); these add the portal's own work queues. Each
panel costs a fixed number of queries and shows only what the user may act on.
"""

import datetime

from django.db.models import Count
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.ui.components import Component
from wagtail.permissions import page_permission_policy

from brand.membership import freshness
from brand.models import StartupApplication, StartupPage
from events.models import EventPage
from portal.news.models import ArticleImportRun

# Enough to act on without turning the dashboard into a listing.
PANEL_LIMIT = 8


class PendingApplicationsPanel(Component):
    name = "pending_applications"
    template_name = "portal/dashboard/pending_applications.html"
    order = 110

    def __init__(self, user):
        self.user = user

    @classmethod
    def for_user(cls, user):
        return cls(user) if user.has_perm("brand.change_startupapplication") else None

    def get_context_data(self, parent_context):
        pending = StartupApplication.objects.filter(status=StartupApplication.Status.PENDING).order_by(
            "submitted_at", "pk"
        )
        return {"applications": list(pending[:PANEL_LIMIT]), "total": pending.count()}


class StaleProfilesPanel(Component):
    """Member profiles nobody has confirmed for a year and the grace period (brand.membership.freshness)."""

    name = "stale_profiles"
    template_name = "portal/dashboard/stale_profiles.html"
    order = 115

    @classmethod
    def for_user(cls, user):
        return cls() if user.has_perm("brand.change_startupapplication") else None

    def get_context_data(self, parent_context):
        stale = freshness.stale(StartupPage.objects.live().filter(is_sample=False)).order_by("verified_at", "pk")
        return {
            "startups": list(stale.only("pk", "title", "verified_at")[:PANEL_LIMIT]),
            "total": stale.count(),
            "months": (freshness.REVIEW_DAYS + freshness.GRACE_DAYS) // 30,
        }


class LastImportPanel(Component):
    name = "last_import"
    template_name = "portal/dashboard/last_import.html"
    order = 120

    @classmethod
    def for_user(cls, user):
        # Imported articles are pages: whoever may edit pages wants to know what arrived.
        return (
            cls() if page_permission_policy.user_has_any_permission(user, {"add", "change", "publish"}) else None
        )

    def get_context_data(self, parent_context):
        run = ArticleImportRun.objects.select_related("user").first()
        failures = [entry for entry in run.report if entry.get("status") == "failed"] if run else []
        return {
            "run": run,
            "to_check": sum(1 for entry in run.report if entry.get("to_check")) if run else 0,
            "failures": failures[:PANEL_LIMIT],
            "more_failures": max(0, len(failures) - PANEL_LIMIT),
        }


class EventsWithoutRegistrationPanel(Component):
    name = "events_without_registration"
    template_name = "portal/dashboard/events_without_registration.html"
    order = 130

    @classmethod
    def for_user(cls, user):
        return (
            cls() if page_permission_policy.user_has_any_permission(user, {"add", "change", "publish"}) else None
        )

    def get_context_data(self, parent_context):
        # Drafts count too: an editor should add the link before the event goes live.
        events = (
            EventPage.objects.filter(ends_at__gte=timezone.now(), registration_url="")
            .select_related("locale")
            .order_by("starts_at", "pk")
        )
        return {"events": list(events[:PANEL_LIMIT]), "total": events.count()}


class BackgroundTasksPanel(Component):
    """For the people who run the site: the queue's backlog and the last week's failed tasks."""

    name = "background_tasks"
    template_name = "portal/dashboard/background_tasks.html"
    order = 140

    @classmethod
    def for_user(cls, user):
        return cls() if user.is_superuser else None

    def get_context_data(self, parent_context):
        since = timezone.now() - datetime.timedelta(days=7)
        counts = dict(
            DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=since).order_by(
            "-finished_at"
        )
        return {
            "waiting": counts.get(TaskResultStatus.READY, 0),
            "running": counts.get(TaskResultStatus.RUNNING, 0),
            "failures": [
                {"task": r.task_path.rsplit(".", 1)[-1], "at": r.finished_at, "error": r.exception_class_path}
                for r in failed[:PANEL_LIMIT]
            ],
            "failed": failed.count(),
        }


def construct_panels(request, panels):
    for panel_class in (
        PendingApplicationsPanel,
        StaleProfilesPanel,
        LastImportPanel,
        EventsWithoutRegistrationPanel,
        BackgroundTasksPanel,
    ):
        panel = panel_class.for_user(request.user)
        if panel is not None:
            panels.append(panel)

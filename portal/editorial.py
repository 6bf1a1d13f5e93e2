"""Editorial roles and moderation, set up by setup_portal (idempotently).

Editors write: they create and edit news, events, startups and organisations
and submit pages for moderation, but cannot publish, unpublish or delete a
published page. Moderators approve and publish, and handle the startup
applications. News, events and startups go through a two-step workflow:
a second editor reads the page, then a moderator publishes it.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Relecture puis publication"
TASKS = [("Relecture par un second éditeur", EDITORS), ("Validation et publication", MODERATORS)]

PAGE_PERMISSIONS = {
    EDITORS: {"add_page", "change_page"},
    MODERATORS: {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"},
}
# app_label.codename, besides Wagtail's own (admin access, images, documents).
MODEL_PERMISSIONS = {
    EDITORS: {
        "wagtailadmin.access_admin",
        "brand.add_organisation",
        "brand.change_organisation",
        "brand.view_organisation",
    },
    MODERATORS: {
        "wagtailadmin.access_admin",
        "brand.add_organisation",
        "brand.change_organisation",
        "brand.delete_organisation",
        "brand.view_organisation",
        "brand.add_sector",
        "brand.change_sector",
        "brand.view_sector",
        "brand.add_city",
        "brand.change_city",
        "brand.view_city",
        "brand.view_startupapplication",
        "brand.change_startupapplication",
        "brand.delete_startupapplication",
        "portal.view_subscriber",
        "portal.delete_subscriber",
        "portal.add_sitenavigation",
        "portal.change_sitenavigation",
        "portal.view_sitenavigation",
        "portal.change_portalsettings",
    },
}


def permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_group(name, root, log):
    group, created = Group.objects.get_or_create(name=name)
    if created:
        log(f"created the {name} group")
    wanted = PAGE_PERMISSIONS[name]
    existing = GroupPagePermission.objects.filter(group=group, page=root)
    # Editors must never hold publish or bulk-delete rights, whatever was granted before.
    existing.exclude(permission__codename__in=wanted).delete()
    have = set(existing.values_list("permission__codename", flat=True))
    for codename in sorted(wanted - have):
        GroupPagePermission.objects.create(
            group=group,
            page=root,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    group.permissions.add(*[permission(dotted) for dotted in sorted(MODEL_PERMISSIONS[name])])
    return group


def ensure_workflow(groups, sections, log):
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if created:
        for order, (task_name, group_name) in enumerate(TASKS):
            task, _ = GroupApprovalTask.objects.get_or_create(name=task_name)
            task.groups.set([groups[group_name]])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        log(f"created the workflow “{WORKFLOW_NAME}”")
    for page in sections:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def ensure_editorial_roles(log=lambda message: None):
    from brand.models import StartupIndexPage
    from events.models import EventIndexPage
    from portal.models import NewsIndexPage

    with transaction.atomic():
        root = Page.get_first_root_node()
        groups = {name: ensure_group(name, root, log) for name in (EDITORS, MODERATORS)}
        # Every language's section, so the Arabic and English news are moderated too.
        sections = [
            page for model in (NewsIndexPage, EventIndexPage, StartupIndexPage) for page in model.objects.all()
        ]
        workflow = ensure_workflow(groups, sections, log)
        return groups, workflow

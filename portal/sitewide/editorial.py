"""Editorial roles and moderation, set up by setup_portal (idempotently).

Editors write: they create and edit news, events, startups and organisations
and submit them for moderation, but cannot publish, unpublish or delete what
is published. Moderators approve and publish, and handle the startup
applications. Every page and every organisation goes through a two-step
workflow: a second editor, never the author, reads it, then a moderator
publishes it (portal.sitewide.moderation has the rules Wagtail leaves open).
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    AbstractGroupApprovalTask,
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    TaskState,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from brand.models import StartupIndexPage
from events.models import EventIndexPage
from portal.news.models import NewsIndexPage

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Relecture puis publication"
SECOND_READING = "Relecture par un second éditeur"
TASKS = [(SECOND_READING, EDITORS), ("Validation et publication", MODERATORS)]

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
        "brand.publish_organisation",
    },
}
# Images and documents, on the root collection. Editors upload and choose;
# replacing or deleting a file is the moderators' (see portal.sitewide.moderation).
COLLECTION_PERMISSIONS = {
    EDITORS: {"wagtailimages.add_image", "wagtailimages.choose_image",
              "wagtaildocs.add_document", "wagtaildocs.choose_document"},
    MODERATORS: {"wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.delete_image",
                 "wagtailimages.choose_image", "wagtaildocs.add_document", "wagtaildocs.change_document",
                 "wagtaildocs.delete_document", "wagtaildocs.choose_document"},
}  # fmt: skip
# Snippets moderated like pages: an editor's change is a draft until published.
MODERATED_SNIPPETS = [("brand", "organisation")]


class SecondReaderTask(AbstractGroupApprovalTask):
    """Approval by a member of the chosen groups other than the page's own author."""

    @staticmethod
    def authors(obj):
        """Who submitted obj for moderation and who wrote its latest revision."""
        state = obj.current_workflow_state
        revision = obj.get_latest_revision()
        return {state.requested_by_id if state else None, revision.user_id if revision else None} - {None}

    def get_actions(self, obj, user):
        if user.pk in self.authors(obj):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail's views only offer get_actions(); this holds for any other caller too.
        if action_name == "approve" and user.pk in self.authors(task_state.workflow_state.content_object):
            raise PermissionDenied("The author of a page cannot give its second reading.")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    @classmethod
    def get_description(cls):
        return _(
            "Un membre des groupes choisis approuve, mais jamais la personne qui a soumis la page "
            "ou écrit sa dernière version."
        )

    class Meta:
        verbose_name = _("relecture par un second éditeur")
        verbose_name_plural = _("relectures par un second éditeur")


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
    ensure_collection_permissions(group, COLLECTION_PERMISSIONS[name])
    return group


def ensure_collection_permissions(group, wanted):
    collection = Collection.get_first_root_node()
    wanted = {permission(dotted) for dotted in wanted}
    existing = GroupCollectionPermission.objects.filter(group=group, collection=collection)
    # Wagtail's own setup gives its Editors group change and delete: taken back here.
    existing.exclude(permission__in=wanted).delete()
    for perm in wanted - {row.permission for row in existing.select_related("permission")}:
        GroupCollectionPermission.objects.create(group=group, collection=collection, permission=perm)


def ensure_workflow(groups, sections, log):
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if created:
        for order, (task_name, group_name) in enumerate(TASKS):
            model = SecondReaderTask if task_name == SECOND_READING else GroupApprovalTask
            task, _ = model.objects.get_or_create(name=task_name)
            task.groups.set([groups[group_name]])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        log(f"created the workflow “{WORKFLOW_NAME}”")
    else:
        upgrade_second_reading(workflow, log)
    for page in sections:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    for app_label, model in MODERATED_SNIPPETS:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    return workflow


def upgrade_second_reading(workflow, log):
    """A workflow made before SecondReaderTask: its plain group approval is replaced, pages in it kept."""
    link = WorkflowTask.objects.filter(workflow=workflow, task__name=SECOND_READING).select_related("task").first()
    if link is None or isinstance(link.task.specific, SecondReaderTask):
        return
    old = link.task.specific
    new = SecondReaderTask.objects.create(name=old.name, active=True)
    new.groups.set(old.groups.all())
    # Pages waiting at this step stay there, now under the new rule.
    TaskState.objects.filter(task=old, status=TaskState.STATUS_IN_PROGRESS).update(task=new)
    WorkflowTask.objects.filter(pk=link.pk).update(task=new)
    type(old).objects.filter(pk=old.pk).update(active=False)
    log(f"the step “{SECOND_READING}” can no longer be approved by the page's own author")


def ensure_editorial_roles(log=lambda message: None):
    with transaction.atomic():
        root = Page.get_first_root_node()
        groups = {name: ensure_group(name, root, log) for name in (EDITORS, MODERATORS)}
        # Every language's section, so the Arabic and English news are moderated too.
        # The whole tree (legal pages, the brand page, translations), and each
        # language's sections explicitly, so that no other workflow can take them over.
        sections = [root] + [
            page for model in (NewsIndexPage, EventIndexPage, StartupIndexPage) for page in model.objects.all()
        ]
        workflow = ensure_workflow(groups, sections, log)
        return groups, workflow

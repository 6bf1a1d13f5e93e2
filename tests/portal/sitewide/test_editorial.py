"""Roles, moderation and scheduled publishing (issue #7)."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageViewRestriction, Workflow, WorkflowPage

from portal.news.factories import ArticlePageFactory
from portal.news.models import ArticlePage
from portal.sitewide.editorial import EDITORS, MODERATORS, WORKFLOW_NAME, ensure_editorial_roles
from tests.conftest import make_user


@pytest.fixture
def roles(portal_site):
    return {"editor": make_user("editrice", EDITORS), "moderator": make_user("moderateur", MODERATORS)}


def test_setup_configures_groups_and_the_two_step_workflow_idempotently(portal_site):
    counts = (GroupPagePermission.objects.count(), Workflow.objects.count(), WorkflowPage.objects.count())
    ensure_editorial_roles()
    assert (GroupPagePermission.objects.count(), Workflow.objects.count(), WorkflowPage.objects.count()) == counts
    editors = set(
        GroupPagePermission.objects.filter(group__name=EDITORS).values_list("permission__codename", flat=True)
    )
    assert editors == {"add_page", "change_page"}
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert [task.specific.groups.get().name for task in workflow.tasks] == [EDITORS, MODERATORS]
    for section in ("news", "EventIndexPage", "StartupIndexPage"):
        assert portal_site[section].get_workflow() == workflow
    moderators = Group.objects.get(name=MODERATORS)
    assert moderators.permissions.filter(codename="change_startupapplication").exists()
    assert not Group.objects.get(name=EDITORS).permissions.filter(codename__contains="startupapplication").exists()


def test_an_editor_can_edit_but_not_publish_unpublish_or_delete(roles, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"])
    editor = article.permissions_for_user(roles["editor"])
    assert editor.can_edit() and not editor.can_publish()
    assert not editor.can_unpublish() and not editor.can_delete()
    moderator = article.permissions_for_user(roles["moderator"])
    assert moderator.can_publish() and moderator.can_unpublish()


def test_the_admin_refuses_an_editors_unpublish_and_accepts_a_moderators(client, roles, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"])
    url = f"/admin/pages/{article.pk}/unpublish/"
    client.force_login(roles["editor"])
    client.post(url)
    assert ArticlePage.objects.get(pk=article.pk).live
    client.force_login(roles["moderator"])
    response = client.post(url)
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_an_editors_submission_stays_a_draft_until_a_moderator_approves(roles, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"], live=False)
    workflow = article.get_workflow()
    revision = article.save_revision(user=roles["editor"])
    state = workflow.start(article, roles["editor"])
    # Step 1: a second editor reads it. Step 2: a moderator publishes.
    # The second reading is another editor's: the author cannot give it (portal.sitewide.editorial.SecondReaderTask).
    second = make_user("relecteur", EDITORS)
    state.current_task_state.task.specific.on_action(state.current_task_state, second, "approve")
    state.refresh_from_db()
    assert not ArticlePage.objects.get(pk=article.pk).live
    task_state = state.current_task_state
    # The second step is the moderators': the editor is offered no action on it.
    assert task_state.task.specific.get_actions(article, roles["editor"]) == []
    assert task_state.task.specific.get_actions(article, roles["moderator"])
    task_state.task.specific.on_action(task_state, roles["moderator"], "approve")
    article.refresh_from_db()
    assert article.live
    assert article.live_revision.user == roles["editor"]
    assert revision.pk == article.live_revision.pk


def test_scheduled_publishing_puts_the_page_live_at_its_time(portal_site):
    article = ArticlePageFactory(parent=portal_site["news"], live=False)
    go_live = timezone.now() + datetime.timedelta(days=2)
    article.go_live_at = go_live
    article.save_revision().publish()  # with a future go-live date this schedules instead
    article.refresh_from_db()
    assert not article.live
    call_command("publish_scheduled")
    assert not ArticlePage.objects.get(pk=article.pk).live
    with time_machine.travel(go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
    assert ArticlePage.objects.get(pk=article.pk).live


def test_anonymous_visitors_never_see_drafts_private_pages_previews_or_revisions(client, portal_site):
    draft = ArticlePageFactory(parent=portal_site["news"], live=False, title="Brouillon secret")
    private = ArticlePageFactory(parent=portal_site["news"], title="Note interne")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/fr/actualites/{draft.slug}/").status_code == 404
    response = client.get(private.url)
    assert response.status_code == 302 and "login" in response["Location"]
    for url in (
        f"/admin/pages/{draft.pk}/edit/preview/",
        f"/admin/pages/{draft.pk}/revisions/",
        f"/admin/pages/{draft.pk}/history/",
        f"/admin/pages/{draft.pk}/view_draft/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    listing = client.get("/fr/actualites/").content.decode()
    assert "Brouillon secret" not in listing and "Note interne" not in listing


def test_shared_password_restrictions_are_not_offered(client, portal_site):
    from wagtail.admin.forms.pages import PageViewRestrictionForm

    all_options = [value for value, _label in PageViewRestriction.RESTRICTION_CHOICES]
    form = PageViewRestrictionForm(private_page_options=all_options)
    choices = [value for value, _label in form.fields["restriction_type"].choices]
    assert PageViewRestriction.PASSWORD not in choices
    assert "password" not in form.fields
    assert PageViewRestriction.LOGIN in choices

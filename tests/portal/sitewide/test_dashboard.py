"""The admin dashboard shows editors and moderators what needs them (issue #7)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageLogEntry

from brand.models import StartupApplication
from events.factories import EventPageFactory
from portal.news.factories import ArticlePageFactory
from portal.news.importers.articles import import_paths
from portal.sitewide.editorial import EDITORS, MODERATORS
from tests.conftest import FILES_DIR, SEEDS_DIR, make_user
from tests.portal.core.test_tasks import DATABASE_TASKS, work_the_queues


@pytest.fixture
def editor(portal_site):
    return make_user("editrice", EDITORS)


@pytest.fixture
def moderator(portal_site):
    return make_user("moderateur", MODERATORS)


def panel(html, panel_id):
    """The HTML of one dashboard panel, or None when the dashboard does not show it."""
    match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.S)
    return match.group(0) if match else None


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def application(name, status=StartupApplication.Status.PENDING):
    return StartupApplication.objects.create(
        startup_name=name, founder_name="Salma Idrissi", email="salma@example.ma", status=status
    )


def test_moderators_see_the_applications_waiting_for_review(client, moderator):
    application("Atlas Pay")
    application("Sahara Data")
    application("Déjà acceptée", status=StartupApplication.Status.APPROVED)
    html = panel(dashboard(client, moderator), "pending-applications")
    assert html is not None
    assert "Atlas Pay" in html and "Sahara Data" in html
    assert "Déjà acceptée" not in html
    assert "?status=pending" in html
    # The founder's e-mail stays in the application, not on the dashboard.
    assert "salma@example.ma" not in html


def test_editors_do_not_see_the_applications(client, editor):
    application("Atlas Pay")
    assert panel(dashboard(client, editor), "pending-applications") is None


def test_the_last_import_summary_counts_files_created_updated_and_failed(client, editor, tmp_path):
    import_paths([SEEDS_DIR])
    # A second run: one broken file, and the seeds again (unchanged).
    (tmp_path / "vide.txt").write_bytes((FILES_DIR / "empty.txt").read_bytes())
    import_paths([SEEDS_DIR, tmp_path / "vide.txt"])
    html = panel(dashboard(client, editor), "last-import")
    cells = re.search(r"<tr data-import-summary>(.*?)</tr>", html, re.S).group(1)
    numbers = [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]
    files = len(list(SEEDS_DIR.glob("*.txt"))) + 1
    # files, created, updated, unchanged, failed
    assert numbers == [files, 0, 0, files - 1, 1]
    assert "vide.txt" in html


def test_the_import_panel_says_when_nothing_was_imported(client, editor):
    html = panel(dashboard(client, editor), "last-import")
    assert "Aucun import" in html


def test_upcoming_events_without_a_registration_link_are_listed_drafts_included(client, editor, portal_site):
    events = portal_site["EventIndexPage"]
    soon = timezone.now() + datetime.timedelta(days=10)
    EventPageFactory(parent=events, title="Sans inscription", starts_at=soon)
    EventPageFactory(parent=events, title="Brouillon sans lien", starts_at=soon, live=False)
    EventPageFactory(
        parent=events, title="Avec inscription", starts_at=soon, registration_url="https://example.ma/r"
    )
    past = timezone.now() - datetime.timedelta(days=10)
    EventPageFactory(parent=events, title="Déjà passé", starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    html = panel(dashboard(client, editor), "events-without-registration")
    assert "Sans inscription" in html and "Brouillon sans lien" in html
    assert "Avec inscription" not in html and "Déjà passé" not in html


def test_pages_waiting_for_moderation_reach_the_next_reviewer(client, editor, portal_site):
    """Wagtail's own panel: the second editor sees what the first submitted."""
    author = make_user("auteur", EDITORS)
    article = ArticlePageFactory(parent=portal_site["news"], live=False, title="Article à relire")
    article.save_revision(user=author)
    article.get_workflow().start(article, author)
    html = dashboard(client, editor)
    assert "Article à relire" in panel(html, "awaiting-review")


def test_the_dashboard_costs_the_same_queries_with_more_work_waiting(client, moderator, portal_site):
    def count():
        client.force_login(moderator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        return len(queries)

    events = portal_site["EventIndexPage"]
    soon = timezone.now() + datetime.timedelta(days=5)
    application("Une")
    EventPageFactory(parent=events, starts_at=soon)
    count()  # the site, found once, then cached (a publish elsewhere does not drop it)
    few = count()
    for n in range(6):
        application(f"Startup {n}")
        EventPageFactory(parent=events, starts_at=soon)
    assert count() == few


def test_a_publish_through_the_admin_is_attributed_to_the_moderator(client, editor, moderator, portal_site):
    author = make_user("auteur", EDITORS)
    article = ArticlePageFactory(parent=portal_site["news"], live=False)
    article.save_revision(user=author)
    state = article.get_workflow().start(article, author)
    for reviewer in (editor, moderator):
        task_state = state.current_task_state
        client.force_login(reviewer)
        response = client.post(
            f"/admin/pages/workflow/action/{article.pk}/approve/{task_state.pk}/", {"comment": ""}
        )
        assert response.status_code in (200, 302), response.status_code
        state.refresh_from_db()
    article.refresh_from_db()
    assert article.live
    entry = PageLogEntry.objects.get(page=article, action="wagtail.publish")
    assert entry.user == moderator
    assert entry.revision.user == author


def test_the_import_panel_counts_the_articles_to_check_and_links_to_the_record(client, editor, tmp_path):
    (tmp_path / "impossible_day.txt").write_bytes((FILES_DIR / "impossible_day.txt").read_bytes())
    (tmp_path / "wrong_weekday.txt").write_bytes((FILES_DIR / "wrong_weekday.txt").read_bytes())
    summary = import_paths([tmp_path])
    html = panel(dashboard(client, editor), "last-import")
    assert "2 articles à vérifier" in html
    assert f'href="/admin/articles/import/runs/{summary.run.pk}/"' in html


@DATABASE_TASKS
def test_administrators_see_the_task_queue_and_the_tasks_that_failed(client, editor, portal_site, monkeypatch):
    admin = get_user_model().objects.create_superuser("ops", "ops@example.ma", "a-long-password-1234")
    assert "background-tasks" not in dashboard(client, editor)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    client.logout()
    client.post("/fr/newsletter/", {"email": "a@example.ma", "language": "fr"})
    html = panel(dashboard(client, admin), "background-tasks")
    assert "1 tâche en attente" in html and "aucune ne tourne" in html
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    work_the_queues()
    html = panel(dashboard(client, admin), "background-tasks")
    # The failure, and its retry waiting for later.
    assert "1 échec en 7 jours" in html and "<code>send</code>" in html and "ConnectionRefusedError" in html
    assert "1 tâche en attente" in html

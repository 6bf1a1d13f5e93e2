"""The admin's "Import articles": upload or paste, preview, create drafts; as an editor, an outsider, an attacker."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from portal.news import import_batches
from portal.news.admin_import import MAX_FILES, safe_name
from portal.news.importers.articles import ImportSetupError, import_paths
from portal.news.models import ArticleImportBatch, ArticleImportRun, ArticlePage, ArticleUpload
from portal.sitewide.editorial import EDITORS, MODERATORS, ensure_editorial_roles
from tests.conftest import FILES_DIR, SEEDS_DIR, make_user
from tests.portal.core.test_tasks import DATABASE_TASKS, work_the_queues

CORPUS = FILES_DIR.parent / "news" / "corpus"
PASTED = (
    "Une plateforme de covoiturage lancée à Agadir relie les étudiants de l'université aux habitants "
    "qui font le même trajet chaque matin.\n\n"
    "Les trajets sont payés à l'avance dans l'application, et les conducteurs sont notés par leurs passagers.\n"
)


def upload(name, source=CORPUS, rename=None):
    return SimpleUploadedFile(rename or name, (source / name).read_bytes())


@pytest.fixture
def editor(client, portal_site):
    ensure_editorial_roles()
    client.force_login(make_user("nadia", EDITORS))
    return client


def preview(client, files=(), text=""):
    response = client.post("/admin/articles/import/", {"files": list(files), "text": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"], client.get(response["Location"]).content.decode()


def test_an_editor_previews_then_creates_drafts_linked_to_their_import_record(editor, portal_site):
    url, page = preview(
        editor, [upload("fr_quotidien_cloud.txt"), upload("fr_nordtech_robotique.html")], text=PASTED
    )
    # The preview shows each file's fields and what is missing, and writes no article.
    assert escape("Un opérateur marocain inaugure un centre de données à Benslimane") in page
    assert "2021-11-03" in page and "Youssef El Amrani" in page and "Nord Tech Blog" in page
    assert "aucune date de publication dans le fichier ni dans le manifeste" in page  # the pasted text has none
    assert "Créer 3 brouillons" in page  # the admin speaks the editor's language: French by default
    assert ArticlePage.objects.count() == 0

    response = editor.post(url)
    assert response.status_code == 302 and response["Location"] == url  # where the batch stands
    response = editor.get(url)
    run = ArticleImportRun.objects.get()
    assert response["Location"] == f"/admin/articles/import/runs/{run.pk}/"
    assert run.origin == "admin" and run.user.username == "nadia" and run.created == 3
    pages = ArticlePage.objects.order_by("import_file")
    assert pages.count() == 3 and not pages.filter(live=True).exists()
    assert {p.import_run_id for p in pages} == {run.pk}
    assert ArticleUpload.objects.count() == 0  # the staged files are gone once imported
    pasted = pages.get(import_file__startswith="texte-colle-")
    assert pasted.needs_review and pasted.title.startswith("[À vérifier]")

    record = editor.get(response["Location"]).content.decode()
    assert record.count("<td>créé</td>") == 3
    for article in pages:
        assert f"/admin/pages/{article.pk}/edit/" in record
    form = editor.get(f"/admin/pages/{pages[0].pk}/edit/").content.decode()
    assert f"/admin/articles/import/runs/{run.pk}/" in form


def test_duplicates_and_refusals_are_shown_before_anything_is_written(editor, portal_site):
    import_paths([SEEDS_DIR / "002_4b9a60903dfe3b56.txt"])
    seed = ArticlePage.objects.get()
    files = [
        upload("002_4b9a60903dfe3b56.txt", source=SEEDS_DIR),
        upload("binary_image.txt", source=FILES_DIR),
        upload("ar_sawtrabat_cyber.txt"),
    ]
    url, page = preview(editor, files)
    assert "Déjà importé, laissé tel quel :" in page and f"/admin/pages/{seed.pk}/edit/" in page
    assert "binary file, not text" in page
    assert "Créer 1 brouillon" in page
    editor.post(url)
    assert ArticlePage.objects.count() == 2  # the seed untouched, the Arabic article added


@pytest.mark.parametrize(
    ("files", "text", "error"),
    [
        ([], "", "Choisissez au moins un fichier ou collez un article."),
        ([SimpleUploadedFile("virus.exe", b"MZ\x90\x00")], "", "n’est pas un fichier .txt ou .html"),
        (
            [SimpleUploadedFile(f"a{n}.txt", b"x") for n in range(MAX_FILES + 1)],
            "",
            f"Au plus {MAX_FILES} fichiers",
        ),
        (
            [SimpleUploadedFile("same.txt", b"a"), SimpleUploadedFile("same.txt", b"b")],
            "",
            "Deux fichiers s’appellent",
        ),
        ([], "Un texte\x00 avec un octet nul", "Le caractère nul n’est pas autorisé."),
    ],
)
def test_a_hostile_or_wrong_upload_is_refused_with_a_clear_message(editor, files, text, error):
    response = editor.post("/admin/articles/import/", {"files": files, "text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(error) in html
    if not error.startswith("Choisissez"):
        assert "Choisissez au moins un fichier" not in html  # one clear message, not a misleading second
    assert ArticleUpload.objects.count() == 0


def test_file_names_cannot_leave_the_import_directory():
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\Users\\x\\article final.HTML") == "article-final.html"
    assert safe_name("\x00\x01.txt") == "article.txt"
    assert len(safe_name("é" * 300 + ".txt")) <= 104


def test_nul_bytes_and_odd_names_import_cleanly(editor, portal_site):
    body = (
        (CORPUS / "fr_dakarinnov_ecole.txt")
        .read_bytes()
        .replace(b"Ziguinchor accueille", b"Zigu\x00inchor accueille")
    )
    url, page = preview(editor, [SimpleUploadedFile("../\x00école.txt", body)])
    assert "removed 1 NUL byte" in page
    editor.post(url)
    article = ArticlePage.objects.get()
    assert article.import_file == "école.txt" and "\x00" not in article.title


def test_the_import_is_refused_to_users_who_cannot_add_articles(client, portal_site):
    ensure_editorial_roles()
    outsider = make_user("karim", EDITORS)
    outsider.groups.clear()
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    # Wagtail's admin answers a PermissionDenied with its dashboard and a message.
    response = client.get("/admin/articles/import/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post("/admin/articles/import/", {"text": PASTED}).status_code == 302
    assert ArticleUpload.objects.count() == 0
    assert "/admin/articles/import/" not in client.get("/admin/").content.decode()

    client.logout()
    response = client.get("/admin/articles/import/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_batch_belongs_to_the_editor_who_uploaded_it(editor, portal_site):
    url, _page = preview(editor, [upload("fr_quotidien_cloud.txt")])
    other = Client(HTTP_HOST="localhost")
    other.force_login(make_user("salma", MODERATORS))
    assert other.get(url)["Location"] == "/admin/articles/import/"
    assert other.post(url)["Location"] == "/admin/articles/import/"
    assert ArticlePage.objects.count() == 0


def test_a_second_click_on_create_writes_nothing_twice(editor, portal_site):
    url, _page = preview(editor, [upload("fr_quotidien_cloud.txt")])
    assert editor.post(url).status_code == 302
    again = editor.post(url, follow=True)
    assert "déjà été importé" in again.content.decode()
    assert ArticlePage.objects.count() == 1 and ArticleImportRun.objects.count() == 1


def test_creating_the_drafts_needs_the_csrf_token(portal_site):
    ensure_editorial_roles()
    user = make_user("nadia", EDITORS)
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    browser.force_login(user)
    response = browser.post("/admin/articles/import/", {"text": PASTED})
    assert response.status_code == 403
    assert ArticleUpload.objects.count() == 0


def test_the_editors_group_may_import_and_sees_the_menu_entry(editor):
    assert "/admin/articles/import/" in editor.get("/admin/").content.decode()
    assert editor.get("/admin/articles/import/").status_code == 200


def many_files(count):
    """`count` articles of our own, each a different company in a different city."""
    cities = ["Agadir", "Tanger", "Oujda", "Fès", "Meknès", "Tétouan", "Safi", "Nador", "Laâyoune", "Errachidia"]
    return [
        SimpleUploadedFile(
            f"lot-{n:03d}.txt",
            (
                f"Une jeune pousse de {cities[n % len(cities)]} ouvre son atelier numéro {n}\n\n"
                f"Publié le {1 + n % 28:02d}/03/2026\n\n"
                f"L'équipe numéro {n} installe ses bureaux près de la gare et recrute dix développeurs "
                "pour un service de réservation en ligne destiné aux artisans de la région.\n\n"
                "Les premiers clients testeront l'application dès le mois prochain.\n"
            ).encode(),
        )
        for n in range(count)
    ]


def test_a_large_batch_is_read_and_written_by_the_worker_while_the_editor_watches(editor, portal_site):
    with DATABASE_TASKS:
        response = editor.post("/admin/articles/import/", {"files": many_files(60)})
        url = response["Location"]
        # The upload only stages the files: nothing read yet, the page says where the batch stands.
        batch = ArticleImportBatch.objects.get()
        assert (batch.status, batch.files, batch.done) == ("reading", 60, 0)
        waiting = editor.get(url)
        assert waiting.status_code == 200 and waiting["Refresh"] == "2"
        assert "Lecture des fichiers : 0 sur 60." in waiting.content.decode()
        assert ArticlePage.objects.count() == 0

        work_the_queues()
        page = editor.get(url).content.decode()
        assert "Créer 60 brouillons" in page
        assert escape("Une jeune pousse de Tanger ouvre son atelier numéro 41") in page
        assert ArticlePage.objects.count() == 0  # the preview writes nothing

        assert editor.post(url)["Location"] == url
        writing = editor.get(url).content.decode()
        assert "Écriture des brouillons : 0 sur 60 fichiers." in writing
        assert ArticlePage.objects.count() == 0  # the confirmation only queues the work

        work_the_queues()
        response = editor.get(url)
        run = ArticleImportRun.objects.get()
        assert response["Location"] == f"/admin/articles/import/runs/{run.pk}/"
        assert run.created == 60 and run.origin == "admin"
        assert ArticlePage.objects.filter(live=False, import_run=run).count() == 60
        assert ArticleUpload.objects.count() == 0
        # Confirming again writes nothing twice.
        assert "déjà été importé" in editor.post(url, follow=True).content.decode()
        assert ArticlePage.objects.count() == 60


def test_a_write_step_run_again_after_its_worker_died_writes_nothing_twice(editor, portal_site):
    with DATABASE_TASKS:
        url = editor.post("/admin/articles/import/", {"files": many_files(5)})["Location"]
        work_the_queues()
        editor.post(url)
        batch = ArticleImportBatch.objects.get()
        # What a worker killed mid-step leaves: every draft written, the batch still "writing",
        # its files still there; the task is queued again (portal.core.tasks.requeue_abandoned).
        with import_batches.staged_directory(batch) as directory:
            import_paths([directory], publish=False, user=batch.user, origin="admin")
        assert ArticlePage.objects.count() == 5 and ArticleUpload.objects.count() == 5
        work_the_queues()
        response = editor.get(url, follow=True)
    batch.refresh_from_db()
    assert batch.status == "done" and ArticlePage.objects.count() == 5
    assert ArticleUpload.objects.count() == 0
    assert escape("Rien n’a été écrit : chaque fichier était déjà importé tel quel.") in response.content.decode()


def test_abandoned_batches_go_but_a_batch_being_written_keeps_its_files(editor, portal_site):
    with DATABASE_TASKS:
        old = editor.post("/admin/articles/import/", {"files": many_files(2)})["Location"]
        work_the_queues()
        editor.post(old)  # confirmed; its worker has not taken it yet
        abandoned = editor.post("/admin/articles/import/", {"text": PASTED})["Location"]
        two_days_ago = timezone.now() - timedelta(days=2)
        ArticleImportBatch.objects.update(created_at=two_days_ago)
        ArticleUpload.objects.update(uploaded_at=two_days_ago)
        editor.post(
            "/admin/articles/import/", {"text": PASTED.replace("Agadir", "Dakhla")}
        )  # a new upload tidies up
        assert editor.get(abandoned, follow=True).redirect_chain[-1][0] == "/admin/articles/import/"
        work_the_queues()
        assert ArticlePage.objects.filter(import_file__startswith="lot-").count() == 2


def test_a_batch_that_cannot_be_imported_says_why_on_its_page(editor, portal_site):
    with DATABASE_TASKS:
        url = editor.post("/admin/articles/import/", {"text": PASTED})["Location"]
        # What import_paths raises when the site cannot take articles (no news section in
        # the default language, an unreadable manifest): no retry would help.
        problem = ImportSetupError("there is no news section to import into: run `manage.py setup_portal` first")
        with mock.patch.object(import_batches, "import_paths", side_effect=problem):
            work_the_queues()
        response = editor.get(url, follow=True)
    assert ArticleImportBatch.objects.get().status == "failed"
    assert response.redirect_chain[-1][0] == "/admin/articles/import/"
    assert "there is no news section to import into" in response.content.decode()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"  # recorded, not retried

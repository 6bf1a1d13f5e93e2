"""import_articles against the database: idempotence, edits, bad input, output formats."""

import datetime
import io
import json
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from portal.core import indexing
from portal.news.factories import ArticlePageFactory
from portal.news.importers import articles as importer
from portal.news.importers.articles import import_paths
from portal.news.models import ArticleImportRun, ArticlePage, DeletedImport
from tests.conftest import FILES_DIR, SEEDS_DIR


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
        error = None
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


def copy_files(tmp_path, *names, source=FILES_DIR):
    for name in names:
        shutil.copy(source / name, tmp_path / name)
    return tmp_path


def test_seeds_become_published_articles_with_manifest_provenance(portal_site):
    out, _err, error = run_command(SEEDS_DIR)
    assert error is None
    assert "5 file(s): 5 created, 0 updated, 0 skipped, 0 failed" in out
    assert ArticlePage.objects.live().count() == 5

    launch = ArticlePage.objects.get(import_file="001_8dab914a3b7b85a5.txt")
    assert launch.get_parent().specific == portal_site["news"]
    assert launch.title == 'MoroccoTech : Coup d\'envoi de la marque digitale "made in Morocco"'
    assert launch.published_on == datetime.date(2022, 1, 14)
    assert launch.author == "S.M"
    assert launch.source_name == "L'Opinion"
    assert launch.import_manifest_fields == ["source", "tags"]
    assert sorted(t.name for t in launch.tags.all()) == ["APEBI", "MoroccoTech", "lancement"]
    assert len(launch.import_hash) == 64

    mission = ArticlePage.objects.get(import_file="004_7fea533aad476c06.txt")
    assert mission.import_manifest_fields == ["title", "published", "source", "original_url", "tags"]
    assert mission.published_on == datetime.date(2024, 2, 21)
    assert mission.author == ""


def test_import_is_recorded_in_the_page_history(portal_site):
    import_paths([SEEDS_DIR / "002_4b9a60903dfe3b56.txt"])
    page = ArticlePage.objects.get()
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.publish"} <= actions
    assert page.import_revision_id == page.live_revision_id == page.latest_revision_id
    run = ArticleImportRun.objects.get()
    assert (run.files, run.created, run.failed) == (1, 1, 0)


def test_import_twice_changes_nothing(portal_site):
    import_paths([SEEDS_DIR])
    ids = set(ArticlePage.objects.values_list("pk", flat=True))
    revisions = Revision.objects.count()
    out, _err, error = run_command(SEEDS_DIR)
    assert error is None
    assert "0 created, 0 updated, 5 skipped, 0 failed" in out
    assert set(ArticlePage.objects.values_list("pk", flat=True)) == ids
    assert Revision.objects.count() == revisions


def test_a_changed_file_updates_its_page(portal_site, tmp_path):
    copy_files(tmp_path, "002_4b9a60903dfe3b56.txt", source=SEEDS_DIR)
    import_paths([tmp_path])
    page = ArticlePage.objects.get()
    path = tmp_path / "002_4b9a60903dfe3b56.txt"
    path.write_text(path.read_text().replace("Le défi de la Tech", "Le grand défi de la Tech"))
    summary = import_paths([tmp_path])
    assert summary.updated == 1
    page.refresh_from_db()
    assert page.title == "L'Opinion : Le grand défi de la Tech"
    assert ArticlePage.objects.count() == 1
    assert page.import_revision_id == page.latest_revision_id


def test_a_renamed_file_with_the_same_bytes_is_the_same_article(portal_site, tmp_path):
    copy_files(tmp_path, "002_4b9a60903dfe3b56.txt", source=SEEDS_DIR)
    import_paths([tmp_path])
    (tmp_path / "002_4b9a60903dfe3b56.txt").rename(tmp_path / "renamed.txt")
    summary = import_paths([tmp_path])
    assert ArticlePage.objects.count() == 1
    assert summary.results[0].status == "unchanged"


def edit_in_admin(page, title):
    editor = get_user_model().objects.create_superuser("editrice", password="x")
    page = page.get_latest_revision_as_object()
    page.title = title
    page.save_revision(user=editor, log_action=True).publish(user=editor)


def test_an_admin_edit_survives_reimport_and_force_overwrites_it(portal_site, tmp_path):
    copy_files(tmp_path, "002_4b9a60903dfe3b56.txt", source=SEEDS_DIR)
    import_paths([tmp_path])
    edit_in_admin(ArticlePage.objects.get(), "Titre corrigé par la rédaction")
    # Even a changed file does not overwrite the editor's work.
    path = tmp_path / "002_4b9a60903dfe3b56.txt"
    path.write_text(path.read_text() + "\nUne phrase ajoutée à la source après coup pour tester.\n")

    out, _err, error = run_command(tmp_path)
    assert error is None
    assert "skipped" in out and "use --force" in out
    assert ArticlePage.objects.get().title == "Titre corrigé par la rédaction"

    out, _err, error = run_command(tmp_path, "--force")
    assert error is None
    assert "1 updated" in out
    page = ArticlePage.objects.get()
    assert page.title == "L'Opinion : Le défi de la Tech"
    assert page.body[-1].value.source == "<p>Une phrase ajoutée à la source après coup pour tester.</p>"
    assert not page.edited_since_import()


def test_dry_run_writes_nothing(portal_site):
    out, _err, error = run_command(SEEDS_DIR, "--dry-run")
    assert error is None
    assert "5 created" in out and "dry run: nothing written" in out
    assert ArticlePage.objects.count() == 0
    assert ArticleImportRun.objects.count() == 0


def test_json_format_prints_only_json_on_stdout(portal_site, tmp_path):
    copy_files(tmp_path, "empty.txt")
    copy_files(tmp_path, "003_e5e38f4e165d1c0e.txt", source=SEEDS_DIR)
    out, _err, error = run_command(tmp_path, "--format", "json", "--dry-run")
    assert error is not None  # one file failed, so the exit status is non-zero
    data = json.loads(out)
    assert [item["file"] for item in data] == ["003_e5e38f4e165d1c0e.txt", "empty.txt"]
    interview, empty = data
    assert set(interview) >= {
        "file", "title", "standfirst", "published", "source", "author", "body", "tags", "from_manifest", "error"
    }  # fmt: skip
    assert interview["published"] == "2020-10-22"
    assert interview["source"] == "Les ECO"
    assert interview["author"] == "Mariama Ndoye"
    assert interview["error"] is None
    assert interview["from_manifest"] == []  # no manifest beside the copy
    assert interview["body"][1] == {
        "type": "heading",
        "text": "Vous venez de signer un partenariat avec la Cité de l'innovation de l'université Hassan "
        "1er de Settat. Qu'est-ce que cela représente pour Maroc Numeric Cluster ?",
    }
    assert {block["type"] for block in interview["body"]} == {"heading", "paragraph"}
    assert empty["error"] == "empty file"
    assert empty["published"] is None


def test_json_for_the_seeds_reports_manifest_fields(portal_site):
    out, _err, error = run_command(SEEDS_DIR, "--format", "json")
    assert error is None
    by_file = {item["file"]: item for item in json.loads(out)}
    assert by_file["000_032a3364383af6b0.txt"]["published"] == "2020-12-17"
    assert by_file["000_032a3364383af6b0.txt"]["from_manifest"] == [
        "title", "published", "source", "original_url", "tags"
    ]  # fmt: skip
    assert by_file["002_4b9a60903dfe3b56.txt"]["from_manifest"] == ["tags"]
    assert by_file["002_4b9a60903dfe3b56.txt"]["author"] == "Amine ATER"


def test_draft_import_is_not_public(portal_site, client):
    import_paths([SEEDS_DIR / "002_4b9a60903dfe3b56.txt"], publish=False)
    page = ArticlePage.objects.get()
    assert not page.live
    assert client.get("/fr/actualites/lopinion-le-defi-de-la-tech/").status_code == 404
    assert "Le défi de la Tech" not in client.get("/fr/actualites/").content.decode()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("whitespace_only.txt", "empty file"),
        ("binary_image.txt", "binary file, not text"),
        ("undecodable.txt", "not decodable as text"),
        ("chrome_only.txt", "no recognisable article body"),
    ],
)
def test_files_without_article_text_are_refused_with_a_reason_and_the_others_still_import(
    portal_site, tmp_path, name, reason
):
    copy_files(tmp_path, name, "hard_wrapped_iso_date.txt")
    out, _err, error = run_command(tmp_path, "--format", "text")
    assert error is not None and "1 file(s) could not be imported" in str(error)
    assert f"failed          {name}: " in out
    assert reason in out
    assert "1 created, 0 updated, 0 skipped, 1 failed" in out
    assert list(ArticlePage.objects.values_list("title", flat=True)) == [
        "Le Technopark ouvre un nouveau site à Agadir"
    ]


def test_a_file_over_5_mb_is_refused_without_being_read(portal_site, tmp_path):
    big = tmp_path / "huge.txt"
    big.write_bytes(b"Un paragraphe de texte qui se repete pour faire un tres gros fichier. " * 90_000)
    assert big.stat().st_size > 6_000_000
    summary = import_paths([big])
    assert summary.results[0].reason == "file is 6.0 MB, over the 5 MB limit"
    assert ArticlePage.objects.count() == 0


def test_a_missing_path_is_reported(portal_site, tmp_path):
    summary = import_paths([tmp_path / "absent.txt"])
    assert summary.results[0].reason == "no such file or directory"


def test_windows_1252_bom_crlf_and_nul_bytes_are_decoded(portal_site, tmp_path):
    copy_files(tmp_path, "latin1_cp1252.txt", "bom_crlf.txt", "nul_bytes.txt")
    summary = import_paths([tmp_path])
    assert summary.failed == 0, [(r.name, r.reason) for r in summary.results]
    notes = {r.name: r.notes for r in summary.results}
    assert notes["latin1_cp1252.txt"] == ["decoded as Windows-1252"]
    assert notes["nul_bytes.txt"] == ["removed 2 NUL bytes"]

    latin = ArticlePage.objects.get(import_file="latin1_cp1252.txt")
    assert latin.title == "Les écoles du numérique se multiplient au Maroc"
    assert latin.standfirst.startswith("L’école 1337 ouvre un nouveau campus à Benguerir")

    bom = ArticlePage.objects.get(import_file="bom_crlf.txt")
    assert bom.title == "L'AUSIM réunit les DSI à Marrakech"
    assert bom.source_name == "L'Economiste"
    assert bom.published_on == datetime.date(2022, 11, 10)
    for page in ArticlePage.objects.all():
        stored = " ".join([page.title, page.standfirst, str(page.body.raw_data)])
        assert "\r" not in stored and "\x00" not in stored and "\ufeff" not in stored

    nul = ArticlePage.objects.get(import_file="nul_bytes.txt")
    assert nul.standfirst.startswith("La Direction générale de la sécurité des systèmes d'information a publié")


def test_the_manifest_can_supply_a_date_the_file_gets_wrong(portal_site, tmp_path):
    copy_files(tmp_path, "wrong_weekday.txt")
    (tmp_path / "manifest.yaml").write_text(
        "wrong_weekday.txt:\n  published: 2022-01-14\n  note: checked with the outlet\n"
    )
    summary = import_paths([tmp_path])
    assert summary.failed == 0
    page = ArticlePage.objects.get()
    assert page.published_on == datetime.date(2022, 1, 14)
    assert page.import_manifest_fields == ["published"]


def test_an_invalid_manifest_stops_the_import_with_its_reason(portal_site, tmp_path):
    copy_files(tmp_path, "hard_wrapped_iso_date.txt")
    (tmp_path / "manifest.yaml").write_text("hard_wrapped_iso_date.txt:\n  titel: Faute de frappe\n")
    _out, _err, error = run_command(tmp_path)
    assert "unknown field(s) titel" in str(error)
    assert ArticlePage.objects.count() == 0


def test_markup_in_an_article_is_stored_as_text_and_rendered_escaped(portal_site, tmp_path, client):
    copy_files(tmp_path, "script_tags.txt")
    import_paths([tmp_path])
    page = ArticlePage.objects.get()
    html = client.get(page.url).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_each_file_has_its_own_transaction(portal_site, tmp_path, monkeypatch):
    copy_files(tmp_path, "bom_crlf.txt", "hard_wrapped_iso_date.txt")
    original = importer.apply_fields

    def failing_apply(page, result):
        original(page, result)
        if result.name == "bom_crlf.txt":
            raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "apply_fields", failing_apply)
    summary = import_paths([tmp_path])
    assert {r.name: r.status for r in summary.results} == {
        "bom_crlf.txt": "failed",
        "hard_wrapped_iso_date.txt": "created",
    }
    assert "disk full" in summary.results[0].reason
    assert list(ArticlePage.objects.values_list("import_file", flat=True)) == ["hard_wrapped_iso_date.txt"]
    portal_site["news"].refresh_from_db()
    assert portal_site["news"].numchild == 1


def test_articles_with_the_same_title_get_distinct_slugs(portal_site, tmp_path):
    copy_files(tmp_path, "hard_wrapped_iso_date.txt")
    shutil.copy(tmp_path / "hard_wrapped_iso_date.txt", tmp_path / "copy.txt")
    with (tmp_path / "copy.txt").open("a") as handle:
        handle.write("Une phrase de plus rend ce fichier différent du premier.\n")
    import_paths([tmp_path])
    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == [
        "le-technopark-ouvre-un-nouveau-site-a-agadir",
        "le-technopark-ouvre-un-nouveau-site-a-agadir-2",
    ]


def test_revisions_are_attributed_to_the_given_user(portal_site):
    get_user_model().objects.create_user("importeur", password="x")
    _out, _err, error = run_command(SEEDS_DIR / "002_4b9a60903dfe3b56.txt", "--user", "importeur")
    assert error is None
    page = ArticlePage.objects.get()
    assert page.latest_revision.user.username == "importeur"
    _out, _err, error = run_command(SEEDS_DIR, "--user", "nobody")
    assert "No user named 'nobody'" in str(error)


def test_import_without_a_news_section_says_what_to_do(db):
    _out, _err, error = run_command(SEEDS_DIR)
    assert "run `manage.py setup_portal` first" in str(error)
    assert not ModelLogEntry.objects.exists()


def test_an_article_deleted_in_the_admin_is_not_brought_back(portal_site):
    import_paths([SEEDS_DIR])
    ArticlePage.objects.get(import_file="002_4b9a60903dfe3b56.txt").delete()
    summary = import_paths([SEEDS_DIR])
    statuses = {r.name: (r.status, r.reason) for r in summary.results}
    assert statuses["002_4b9a60903dfe3b56.txt"] == (
        "skipped",
        "deleted in the admin after its import; use --force to import it again",
    )
    assert ArticlePage.objects.count() == 4

    import_paths([SEEDS_DIR / "002_4b9a60903dfe3b56.txt"], force=True)
    assert ArticlePage.objects.filter(import_file="002_4b9a60903dfe3b56.txt").exists()
    assert not DeletedImport.objects.exists()


@pytest.fixture
def bulk_indexed(monkeypatch):
    """The pages each bulk index update of the importer received."""
    indexed = []
    original = indexing.update_search_index

    def spy(models_and_pages):
        indexed.extend(page.pk for _model, pages in models_and_pages for page in pages)
        original(models_and_pages)

    monkeypatch.setattr(indexing, "update_search_index", spy)
    return indexed


def test_imported_articles_are_indexed_for_search_once_the_run_ends(portal_site, bulk_indexed, monkeypatch):
    """The index is updated in bulk at the end of a run, not on each save; saves index again after."""
    on_save = []

    class IndexTask:
        """Wagtail's per-save indexing task, recording what it is asked to index."""

        def enqueue(self, *args):
            on_save.append(args)

    monkeypatch.setattr("modelsearch.signal_handlers.insert_or_update_object_task", IndexTask())
    summary = import_paths([SEEDS_DIR])
    assert summary.created == 5
    assert on_save == []
    assert sorted(bulk_indexed) == sorted(r.page.pk for r in summary.results)
    found = {page.pk for page in ArticlePage.objects.search("MoroccoTech")}
    assert found and found <= set(bulk_indexed)

    # The signal is connected again: an article saved afterwards is indexed on save.
    later = ArticlePageFactory(parent=portal_site["news"], title="Xylophones numériques à Dakhla")
    assert ("portal", "articlepage", str(later.pk)) in on_save


def test_the_reference_index_is_written_once_per_article_at_the_end(portal_site, monkeypatch):
    """Wagtail's "usage" of tags and pages: filled for every imported article, by one pass after the saves."""
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import reference_index_auto_update_disabled

    passes = []
    original = ReferenceIndex.create_or_update_for_object.__func__

    def spy(cls, obj):
        passes.append((obj.pk, getattr(reference_index_auto_update_disabled, "value", False)))
        return original(cls, obj)

    monkeypatch.setattr(ReferenceIndex, "create_or_update_for_object", classmethod(spy))
    summary = import_paths([SEEDS_DIR])
    assert sorted(pk for pk, _ in passes) == sorted(r.page.pk for r in summary.results)
    assert not any(during for _pk, during in passes), "written after the run, with auto-update back on"
    tagged = next(r.page for r in summary.results if r.page.tags.exists())
    assert ReferenceIndex.get_references_for_object(tagged).exists()


def test_the_search_index_is_updated_even_when_a_file_fails(portal_site, tmp_path, bulk_indexed):
    folder = copy_files(tmp_path, *(p.name for p in SEEDS_DIR.iterdir()), source=SEEDS_DIR)
    (folder / "zzz_vide.txt").write_bytes(b"")
    summary = import_paths([folder])
    assert summary.failed == 1 and summary.created == 5
    assert sorted(bulk_indexed) == sorted(r.page.pk for r in summary.results if r.page is not None)

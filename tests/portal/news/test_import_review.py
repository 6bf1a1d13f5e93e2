"""Articles the importer cannot fully establish: created as drafts to check, never refused.

And the other promises of the import on unseen outlets: each article in its
language's news section, saved web pages like text files, the command's JSON
keys, verbosity and progress.
"""

import datetime
import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from portal.news.importers.articles import import_paths
from portal.news.models import ArticlePage
from tests.conftest import FILES_DIR, SEEDS_DIR

CORPUS = FILES_DIR.parent / "news" / "corpus"
JSON_KEYS = {
    "file", "title", "standfirst", "published", "source", "author", "original_url", "body", "tags",
    "from_manifest", "status", "error", "notes", "url",
}  # fmt: skip


def run(*args, verbosity=1):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=err, verbosity=verbosity)
    return out.getvalue(), err.getvalue()


def copy(tmp_path, *names, source=CORPUS):
    for name in names:
        shutil.copy(source / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "reason", "missing"),
    [
        ("wrong_weekday.txt", "wrong weekday: 14 January 2022 was a Friday", ["published"]),
        ("impossible_day.txt", "“31 février 2023” is not a real date", ["published", "author"]),
    ],
)
def test_an_impossible_date_makes_a_draft_to_check_not_a_refusal(
    portal_site, tmp_path, client, name, reason, missing
):
    copy(tmp_path, name, source=FILES_DIR)
    (tmp_path / "manifest.yaml").write_text(f"{name}:\n  source: L'Opinion\n")
    out, _err = run(tmp_path)
    assert "1 file(s): 1 created, 0 updated, 0 skipped, 0 failed, 1 to check (drafts)" in out
    assert reason in out and "to check (draft)" in out

    page = ArticlePage.objects.get()
    assert not page.live and page.needs_review
    assert page.published_on is None
    assert page.review_notes.startswith("date de publication illisible : ") and reason in page.review_notes
    assert client.get("/fr/actualites/").content.decode().count(page.title) == 0

    (report,) = json.loads(run(tmp_path, "--format", "json", "--dry-run", "--force")[0])
    assert set(report) == JSON_KEYS | {"language", "needs_review", "missing"}
    assert report["needs_review"] is True and report["language"] == "fr"
    assert report["missing"] == missing


def test_an_article_without_a_title_gets_a_placeholder_and_a_list_of_what_is_missing(portal_site, tmp_path):
    (tmp_path / "sans_titre.txt").write_text(
        "Une coopérative de Tiznit vend désormais son huile d'argan en ligne grâce à une boutique "
        "montée avec l'aide d'une association d'étudiants.\n\n"
        "Les commandes arrivent surtout d'Europe, et la coopérative a dû apprendre à expédier des colis.\n",
        encoding="utf-8",
    )
    summary = import_paths([tmp_path])
    (result,) = summary.results
    assert result.status == "created" and summary.to_check == 1
    assert result.missing == ["title", "published", "source", "author"]
    page = ArticlePage.objects.get()
    assert page.title == "[À vérifier] Article sans titre (sans_titre.txt)"
    assert not page.live and page.needs_review
    # Editors read it in the site's language, whoever ran the import.
    assert page.review_notes.splitlines() == [
        "aucun titre dans le fichier ni dans le manifeste",
        "aucune date de publication dans le fichier ni dans le manifeste",
        "aucune publication source dans le fichier ni dans le manifeste",
    ]


def test_complete_articles_are_published_and_not_marked(portal_site):
    summary = import_paths([SEEDS_DIR])
    assert summary.to_check == 0 and summary.created == 5
    assert not ArticlePage.objects.filter(needs_review=True).exists()
    assert {r.language for r in summary.results} == {"fr"}
    # Seed 004 names no journalist: reported missing, but no reason to hold the article back.
    assert {r.name: r.missing for r in summary.results}["004_7fea533aad476c06.txt"] == ["author"]


def test_arabic_and_english_articles_go_to_the_news_section_of_their_language(multilingual, tmp_path, client):
    copy(tmp_path, "ar_sawtrabat_startups.txt", "en_rabattribune_summit.txt")
    summary = import_paths([tmp_path])
    assert summary.created == 2 and summary.to_check == 0, [r.notes for r in summary.results]

    arabic = ArticlePage.objects.get(import_file="ar_sawtrabat_startups.txt")
    assert arabic.live and arabic.locale.language_code == "ar"
    assert arabic.url.startswith("/ar/") and arabic.source_name == "صوت الرباط"
    html = client.get(arabic.url).content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "برنامج وطني جديد لمواكبة الشركات الناشئة في الجهات" in html
    assert arabic.title in client.get(arabic.get_parent().url).content.decode()

    english = ArticlePage.objects.get(import_file="en_rabattribune_summit.txt")
    assert english.locale.language_code == "en" and english.url.startswith("/en/")
    assert english.published_on == datetime.date(2024, 5, 31)


def test_without_a_section_in_its_language_an_article_goes_to_the_default_one_to_check(portal_site, tmp_path):
    copy(tmp_path, "ar_sawtrabat_startups.txt")
    with translation.override("en"):
        (result,) = import_paths([tmp_path]).results
        report = result.as_json()
    page = ArticlePage.objects.get()
    assert page.get_parent().specific == portal_site["news"]
    assert not page.live and page.needs_review
    assert "no news section in “ar”: imported into the “fr” section" in report["notes"]
    assert page.review_notes == "pas de rubrique Actualités en « ar » : importé dans la rubrique « fr »"


def test_the_manifest_can_state_the_language(portal_site, tmp_path):
    copy(tmp_path, "en_rabattribune_5g.txt")
    (tmp_path / "manifest.yaml").write_text("en_rabattribune_5g.txt:\n  language: fr\n")
    (result,) = import_paths([tmp_path], dry_run=True).results
    assert result.language == "fr"
    (tmp_path / "manifest.yaml").write_text("en_rabattribune_5g.txt:\n  language: de\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match="language must be one of fr, ar, en, not 'de'"):
        call_command("import_articles", str(tmp_path), stdout=out)


def test_a_saved_web_page_is_imported_and_recognised_again_by_its_address(portal_site, tmp_path):
    page_html = (CORPUS / "fr_nordtech_port.html").read_text(encoding="utf-8")
    canonical = '<link rel="canonical" href="https://nordtech.example/port-tanger-med/">\n'
    (tmp_path / "port.html").write_text(page_html.replace("<title>", canonical + "<title>"), encoding="utf-8")
    (result,) = import_paths([tmp_path]).results
    assert result.status == "created" and not result.needs_review
    page = ArticlePage.objects.get()
    assert page.live and page.title == "Le port de Tanger Med numérise le passage des camions"
    assert page.source_name == "Nord Tech Blog" and page.author == "Adil Mansouri"
    assert page.published_on == datetime.date(2023, 4, 11)
    assert page.original_url == "https://nordtech.example/port-tanger-med/"
    assert "cookies" not in str(page.body.raw_data) and "Partager" not in str(page.body.raw_data)

    assert import_paths([tmp_path]).results[0].status == "unchanged"
    # The same article saved again later, under another name and with other bytes: the same page.
    (tmp_path / "port.html").rename(tmp_path / "port-2.html")
    (tmp_path / "port-2.html").write_text(
        (tmp_path / "port-2.html").read_text(encoding="utf-8") + "<!-- saved again -->", encoding="utf-8"
    )
    (again,) = import_paths([tmp_path]).results
    assert again.status == "updated" and ArticlePage.objects.count() == 1


def test_verbosity_0_prints_failures_and_the_summary_only(portal_site, tmp_path):
    copy(tmp_path, "fr_quotidien_cloud.txt")
    copy(tmp_path, "empty.txt", source=FILES_DIR)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_articles", str(tmp_path), stdout=out, verbosity=0)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("failed          empty.txt: empty file")
    assert lines[1].startswith("2 file(s): ")
    assert len(lines) == 2


def test_long_runs_show_their_progress_on_stderr(portal_site, tmp_path):
    for n in range(21):
        shutil.copy(CORPUS / "fr_quotidien_cloud.txt", tmp_path / f"copy_{n:02}.txt")
    out, err = run(tmp_path, "--dry-run", "--format", "json")
    assert len(json.loads(out)) == 21  # stdout stays pure JSON
    progress = err.splitlines()
    assert [line.split(" files")[0] for line in progress] == ["10/21", "20/21", "21/21"]
    assert all(line.endswith("files/s)") for line in progress)
    assert run(tmp_path, "--dry-run", verbosity=0)[1] == ""


def test_a_title_over_255_characters_is_shortened_at_a_word_and_the_article_is_to_check(portal_site, tmp_path):
    # Only a web page's headline can be that long: the text parser takes no such line for a title.
    headline = " ".join(["Le grand chantier de la transformation numérique des collectivités territoriales"] * 4)
    (tmp_path / "long.html").write_text(
        f'<html lang="fr"><head><meta property="og:site_name" content="Atlas Éco"></head><body><article>'
        f"<h1>{headline}</h1><p>Publié le 14 mai 2024</p>"
        "<p>Les collectivités territoriales lancent un vaste programme de numérisation de leurs services, "
        "de l'état civil aux autorisations d'urbanisme, sur trois ans.</p>"
        "<p>Le programme sera financé par un fonds national et par les régions.</p></article></body></html>",
        encoding="utf-8",
    )
    (result,) = import_paths([tmp_path]).results
    page = ArticlePage.objects.get()
    assert len(page.title) <= 255 and page.title.endswith("…")
    assert headline.startswith(page.title[:-1]) and headline[len(page.title) - 1] == " "  # cut at a word
    assert not page.live and page.needs_review
    assert page.review_notes == "titre de plus de 255 caractères, raccourci"
    assert page.published_on == datetime.date(2024, 5, 14)
    assert result.missing == ["author"]

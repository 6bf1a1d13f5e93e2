"""Importing scraped article files as ArticlePages.

One validation path for every file (read, decode, parse, fill from the
manifest), one transaction per file, a report line per file and a summary.
Text files go through our parser, saved web pages through trafilatura; both
give the same fields. A file is refused only when it holds no article text;
an article whose title, date, source or language could not be established is
created as a draft marked "to check", with what is missing, and never
published by the import. Each article goes to the news section of its
language.
The stable key is the file name (a renamed file with the same bytes is still
recognised by its hash). A page an editor has changed since its import is left
alone unless `force` is given.
"""

import hashlib
import json
import logging
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Locale

from portal.core import indexing
from portal.core.cache import purge
from portal.core.slugs import unique_child_slug
from portal.news.importers.html import HTML_SUFFIXES, looks_like_html, parse_html
from portal.news.importers.language import detect_language
from portal.news.importers.manifest import MANIFEST_NAMES, find_manifest, load_manifest
from portal.news.importers.parser import PARSER_VERSION, ArticleParseError, parse_article
from portal.news.importers.text import ImportFileError, decode_article_bytes, read_article_bytes
from portal.news.models import ArticleImportRun, ArticlePage, DeletedImport, NewsIndexPage

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = {".txt", ".text", ".md"} | HTML_SUFFIXES
FIELDS = ("title", "standfirst", "published", "source", "author", "original_url", "tags")
# Without these an article cannot be published as it is: an editor checks it first.
REQUIRED = ("title", "published", "source")
# Reported when absent, but many articles rightly have none (agency copy, communiqués).
STATED = REQUIRED + ("author",)
MAX_TITLE_CHARS = 255
PLACEHOLDER_TITLE = "[À vérifier] Article sans titre ({name})"

# Why an article is to check. Lazy: the command prints them in English (its
# output is read by scripts), the admin shows them in the editor's language,
# and the article keeps them in the site's language (in_site_language).
UNREADABLE_DATE = _("unreadable publication date: {reason}")
SOURCE_TOO_LONG = _("source longer than 200 characters, left empty")
AUTHOR_TOO_LONG = _("author longer than 200 characters, left empty")
NO_TITLE = _("no title found in the file or the manifest")
TITLE_TOO_LONG = _("title longer than {limit} characters, shortened")
NO_DATE = _("no publication date in the file or the manifest")
NO_SOURCE = _("no source publication in the file or the manifest")
NO_LANGUAGE = _("language not recognised")
NO_SECTION = _("no news section in “{language}”: imported into the “{default}” section")


def in_site_language(messages):
    """The messages as text in the site's language, the one its editors work in."""
    with translation.override(settings.LANGUAGE_CODE):
        return [str(message) for message in messages]


class ImportSetupError(Exception):
    """The import cannot start at all (no news section, unreadable manifest)."""


@dataclass
class FileResult:
    path: Path
    status: str = "pending"  # created, updated, unchanged, skipped, failed (or would-*)
    reason: str | None = None
    fields: dict = field(default_factory=dict)
    body: list = field(default_factory=list)
    from_manifest: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    language: str | None = None  # "fr", "ar", "en", or None when it could not be told
    missing: list = field(default_factory=list)  # fields the file and the manifest do not state
    to_check: list = field(default_factory=list)  # why an editor must check the article
    page: ArticlePage | None = None
    content_hash: str = ""  # SHA-256 of the file's bytes, computed once
    fingerprint: str = ""  # of the bytes, the manifest entry and the parser version

    @property
    def name(self):
        return self.path.name

    @property
    def needs_review(self):
        return bool(self.to_check)

    def as_json(self):
        published = self.fields.get("published")
        return {
            "file": self.name,
            "title": self.fields.get("title"),
            "standfirst": self.fields.get("standfirst"),
            "published": published.isoformat() if published else None,
            "source": self.fields.get("source"),
            "author": self.fields.get("author"),
            "original_url": self.fields.get("original_url"),
            "body": [block.as_dict() for block in self.body],
            "tags": self.fields.get("tags", []),
            "from_manifest": self.from_manifest,
            "status": self.status,
            "error": self.reason if self.status == "failed" else None,
            "notes": [str(note) for note in self.notes],
            "url": self.page.url if self.page is not None and self.page.live else None,
            "language": self.language,
            "needs_review": self.needs_review,
            "missing": self.missing,
        }


@dataclass
class ImportSummary:
    results: list = field(default_factory=list)
    run: ArticleImportRun | None = None

    def count(self, *statuses):
        return sum(1 for r in self.results if r.status.removeprefix("would-") in statuses)

    @property
    def created(self):
        return self.count("created")

    @property
    def updated(self):
        return self.count("updated")

    @property
    def skipped(self):
        return self.count("unchanged", "skipped")

    @property
    def failed(self):
        return self.count("failed")

    @property
    def to_check(self):
        """Articles written (or, in a dry run, to be written) as drafts to check."""
        return sum(
            1 for r in self.results if r.needs_review and r.status.removeprefix("would-") in ("created", "updated")
        )


def collect_files(paths):
    """Files named directly, and the article files found in directories named."""
    files, missing = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file()
                    and p.suffix.lower() in ARTICLE_SUFFIXES
                    and not p.name.startswith(".")
                    and p.name not in MANIFEST_NAMES
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, missing


def fingerprint(data, manifest_entry):
    digest = hashlib.sha256(data)
    digest.update(json.dumps(manifest_entry, sort_keys=True, default=str).encode())
    digest.update(PARSER_VERSION.encode())
    return digest.hexdigest()


def parse_text(path, text):
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        return parse_html(text)
    return parse_article(text)


def shorten(text, limit):
    """At most `limit` characters, cut at a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def read_and_parse(path, manifest):
    """Everything short of the database: returns a FileResult, failed or ready."""
    result = FileResult(path=path)
    try:
        data = read_article_bytes(path)
        result.content_hash = hashlib.sha256(data).hexdigest()
        text, result.notes = decode_article_bytes(data)
        article = parse_text(path, text)
    except (ImportFileError, ArticleParseError) as error:
        result.status, result.reason = "failed", str(error)
        return result
    except OSError as error:
        result.status, result.reason = "failed", f"cannot be read ({error.strerror or error})"
        return result

    entry = manifest.get(path.name, {})
    result.fingerprint = fingerprint(data, entry)
    found = {
        "title": article.title,
        "standfirst": article.standfirst,
        "published": article.published,
        "source": article.source,
        "author": article.author,
        "original_url": article.original_url,
        "tags": [],
    }
    for name in FIELDS:
        if not found[name] and entry.get(name):
            found[name] = entry[name]
            result.from_manifest.append(name)
    result.fields = found
    result.body = article.body
    text_of_article = " ".join([found["title"] or "", found["standfirst"] or ""] + [b.text for b in article.body])
    result.language = entry.get("language") or detect_language(text_of_article)
    check_fields(result, article.date_error)
    return result


def check_fields(result, date_error):
    """What the article lacks, in the report and on the draft: never a reason to refuse it."""
    found, to_check = result.fields, result.to_check
    if date_error and "published" not in result.from_manifest:
        to_check.append(format_lazy(UNREADABLE_DATE, reason=date_error))
    for name, message in (("source", SOURCE_TOO_LONG), ("author", AUTHOR_TOO_LONG)):
        if found[name] and len(found[name]) > 200:
            to_check.append(message)
            found[name] = None
    result.missing = [name for name in STATED if not found[name]]
    if not found["title"]:
        to_check.append(NO_TITLE)
        found["title"] = PLACEHOLDER_TITLE.format(name=result.name)[:MAX_TITLE_CHARS]
    elif len(found["title"]) > MAX_TITLE_CHARS:
        to_check.append(format_lazy(TITLE_TOO_LONG, limit=MAX_TITLE_CHARS))
        found["title"] = shorten(found["title"], MAX_TITLE_CHARS)
    if not found["published"] and not date_error:
        to_check.append(NO_DATE)
    if not found["source"]:
        to_check.append(NO_SOURCE)
    if result.language is None:
        result.missing.append("language")
        to_check.append(NO_LANGUAGE)
    result.notes.extend(to_check)


def body_stream(blocks):
    """StreamField data; paragraphs are escaped into rich text, so markup stays text."""
    stream = []
    for block in blocks:
        if block.type == "paragraph":
            stream.append(("paragraph", f"<p>{escape(block.text)}</p>"))
        elif block.type == "quote":
            stream.append(("quote", {"text": block.text, "attribution": ""}))
        else:
            stream.append(("heading", block.text[:300]))
    return stream


def apply_fields(page, result):
    f = result.fields
    page.title = f["title"]
    page.standfirst = f["standfirst"]
    page.published_on = f["published"]
    page.source_name = f["source"] or ""
    page.author = f["author"] or ""
    page.original_url = f["original_url"] or ""
    page.body = body_stream(result.body)
    page.import_file = result.name
    page.import_hash = result.content_hash
    page.import_fingerprint = result.fingerprint
    page.import_manifest_fields = result.from_manifest
    page.needs_review = result.needs_review
    page.review_notes = "\n".join(in_site_language(result.to_check))
    page.tags.set(f["tags"])


def find_existing(result):
    """The page of an earlier import of this file: by name, by bytes, or by the article's own address."""
    page = ArticlePage.objects.filter(import_file=result.name).first()
    if page is None:
        page = ArticlePage.objects.filter(import_hash=result.content_hash).first()
    if page is None and result.fields.get("original_url"):
        page = (
            ArticlePage.objects.filter(original_url=result.fields["original_url"]).exclude(import_file="").first()
        )
    return page


def write_page(result, *, parent, publish, force, user, dry_run, keep_same_bytes=False):
    """Create or update the file's page; `keep_same_bytes`: the same bytes, uploaded without
    their manifest (the admin has none), leave an earlier import's page as it is."""
    # An article to check is saved as a draft: it enters the moderation workflow like any other.
    publish = publish and not result.needs_review
    existing = find_existing(result)
    # The same file, deleted by an editor after an earlier import (by name or by bytes).
    tombstones = DeletedImport.objects.filter(Q(import_file=result.name) | Q(import_hash=result.content_hash))
    prefix = "would-" if dry_run else ""

    if existing is not None:
        result.page = existing
        if existing.edited_since_import() and not force:
            result.status = "skipped"
            result.reason = "edited in the admin since its import; use --force to overwrite"
            return
        same_bytes_without_manifest = existing.import_hash == result.content_hash and not result.from_manifest
        if not force and (
            existing.import_fingerprint == result.fingerprint or (keep_same_bytes and same_bytes_without_manifest)
        ):
            result.status = "unchanged"
            return
        result.status = f"{prefix}updated"
    else:
        if tombstones.exists() and not force:
            result.status = "skipped"
            result.reason = "deleted in the admin after its import; use --force to import it again"
            return
        result.status = f"{prefix}created"
    if dry_run:
        return

    with transaction.atomic():
        if existing is None:
            tombstones.delete()
            page = ArticlePage(
                live=publish,
                slug=unique_child_slug(parent, result.fields["title"], fallback=Path(result.name).stem.lower()),
            )
            apply_fields(page, result)
            parent.add_child(instance=page)
            log(instance=page, action="wagtail.create", user=user)
        else:
            page = existing.get_latest_revision_as_object()
            apply_fields(page, result)
        # A new page was validated by add_child just now, with these very values.
        revision = page.save_revision(user=user, log_action=True, clean=existing is not None)
        if publish:
            # The operator running the command decides what is published; the
            # user only attributes the revision (they may be an editor without
            # publish rights in the admin).
            revision.publish(user=user, log_action=True, skip_permission_checks=True)
        # Recorded after publishing: publish() copies the revision's content,
        # which was serialised before the revision existed, onto the page row.
        ArticlePage.objects.filter(pk=page.pk).update(import_revision=revision)
        result.page = ArticlePage.objects.get(pk=page.pk)


@contextmanager
def indexes_deferred(summary):
    """The search and reference indexes updated once, at the end, for the pages the run wrote.

    Wagtail indexes a page on each of its saves (two per imported article):
    its PostgreSQL search backend then recomputes the title weights of the
    whole index, and the reference index (which pages use what) is rebuilt
    for the page each time; between them, half of an import's time. The
    pages written are indexed at the end, whatever happens in between. For
    management commands only: the search signal is the process's, and no
    request runs alongside.
    """
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update

    deferred = post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        if deferred:
            post_save.connect(post_save_signal_handler, sender=ArticlePage)
        written = [r.page for r in summary.results if r.page is not None and r.status in ("created", "updated")]
        for page in written:
            with transaction.atomic():
                ReferenceIndex.create_or_update_for_object(page)
        if deferred:
            indexing.update_search_index([(ArticlePage, written)])


def news_sections():
    """{language code: the news section of that language}; the default language's first."""
    sections = {}
    for section in NewsIndexPage.objects.select_related("locale").order_by("path"):
        sections.setdefault(section.locale.language_code, section)
    return sections


def section_for(result, sections, default):
    """The news section of the article's language; the default one (with a note) when there is none."""
    language = result.language or default
    if language in sections:
        return sections[language]
    result.to_check.append(format_lazy(NO_SECTION, language=language, default=default))
    result.notes.append(result.to_check[-1])
    return sections[default]


def import_paths(
    paths,
    *,
    manifest_path=None,
    dry_run=False,
    publish=True,
    force=False,
    user=None,
    progress=None,
    origin="command",
):
    """Import article files and directories. Returns an ImportSummary.

    `progress`, if given, is called after each file with (files done, files in all).
    `origin` is "command" or "admin": the admin's import runs inside a web
    request, where the process-wide search signal must not be disconnected.
    """
    sections = news_sections()
    default = Locale.get_default().language_code
    if default not in sections:
        raise ImportSetupError("there is no news section to import into: run `manage.py setup_portal` first")

    files, missing = collect_files(paths)
    summary = ImportSummary()
    manifests = {}

    def manifest_for(path):
        source = Path(manifest_path) if manifest_path else find_manifest(path.parent)
        if source is None:
            return {}
        if source not in manifests:
            try:
                manifests[source] = load_manifest(source)
            except Exception as error:  # ManifestError, and anything yaml may raise
                raise ImportSetupError(str(error)) from error
        return manifests[source]

    for path in missing:
        summary.results.append(FileResult(path=path, status="failed", reason="no such file or directory"))
    # Inside a web request each page is indexed as it is saved, as Wagtail does.
    indexing_context = indexes_deferred if origin == "command" else nullcontext
    with indexing_context(summary):
        for done, path in enumerate(files, start=1):
            result = read_and_parse(path, manifest_for(path))
            summary.results.append(result)
            if result.status != "failed":
                parent = section_for(result, sections, default)
                try:
                    write_page(
                        result,
                        parent=parent,
                        publish=publish,
                        force=force,
                        user=user,
                        dry_run=dry_run,
                        keep_same_bytes=origin == "admin",
                    )
                except Exception as error:
                    # One bad file must not stop the others; its transaction is rolled back.
                    logger.exception("Import of %s failed", path)
                    result.status, result.reason = "failed", f"could not be saved ({error})"
            if progress is not None:
                progress(done, len(files))

    if not dry_run and (summary.created or summary.updated):
        # Bulk writes and deferred indexes bypass some of the signals pages are cached by.
        purge()
    # A run that wrote nothing and failed nothing (all unchanged) leaves no
    # record, so that re-running setup_portal changes no data at all.
    if not dry_run and (summary.created or summary.updated or summary.failed or summary.count("skipped")):
        summary.run = ArticleImportRun.objects.create(
            finished_at=timezone.now(),
            origin=origin,
            user=user,
            files=len(summary.results),
            created=summary.created,
            updated=summary.updated,
            skipped=summary.skipped,
            failed=summary.failed,
            report=[
                {
                    "file": r.name,
                    "status": r.status,
                    "reason": r.reason,
                    "to_check": in_site_language(r.to_check),
                    "page": r.page.pk if r.page is not None else None,
                }
                for r in summary.results
            ],
        )
        written = [r.page.pk for r in summary.results if r.page is not None and r.status in ("created", "updated")]
        ArticlePage.objects.filter(pk__in=written).update(import_run=summary.run)
    return summary

"""The admin's "Import articles": upload files or paste a text, preview, create the drafts.

The same code path as the import_articles command (import_paths), so the admin
shows what the command would print: the fields found, what is missing,
duplicates. Every article is created as a draft (it then goes through the
usual moderation workflow) and links to its import record.

Reading and writing a batch are background tasks (portal.news.import_batches,
run by the task worker): the editor's requests only stage the files, show
where the batch stands (the page refreshes itself meanwhile) and confirm it,
so a batch of hundreds of files answers as fast as one. The files are kept in
the database meanwhile (ArticleUpload): the worker and the app servers may be
different machines.
"""

import functools
import re
import uuid
from pathlib import Path, PurePosixPath

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.models import Locale

from portal.news import import_batches, tasks
from portal.news.importers.html import HTML_SUFFIXES
from portal.news.importers.text import MAX_FILE_BYTES
from portal.news.models import ArticleImportBatch, ArticleImportRun, ArticlePage, NewsIndexPage

# Django refuses a request with more files than DATA_UPLOAD_MAX_NUMBER_FILES (settings) first.
MAX_FILES = 500
MAX_BATCH_BYTES = 100 * 1024 * 1024
# Seconds between two looks of a waiting page at its batch.
REFRESH_EVERY = 2
UPLOAD_SUFFIXES = {".txt"} | HTML_SUFFIXES
# The import's statuses (stable English words in its report) as editors read them.
STATUS_LABELS = {
    "created": _("created"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "skipped": _("left as it is"),
    "failed": _("refused"),
}


def can_import(user):
    """Whoever may add articles to the news section: Editors and Moderators."""
    section = NewsIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()
    return user.is_authenticated and section is not None and section.permissions_for_user(user).can_add_subpage()


def safe_name(raw_name):
    """The file's own name, without folders, control characters or odd punctuation."""
    name = PurePosixPath(raw_name.replace("\\", "/")).name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-_")[:100] or "article"
    return f"{stem}.{suffix.lower()}" if suffix else stem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for <input multiple>)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(sorted(UPLOAD_SUFFIXES))}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_(
            "Articles saved as text (.txt) or as web pages (.html); up to %(count)s files of 5 MB, "
            "100 MB in all. Select them all at once in the file dialogue."
        )
        % {"count": MAX_FILES},
    )
    text = forms.CharField(
        label=_("Or paste an article"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The article as copied from the outlet's page: title, dateline, text."),
    )

    def clean(self):
        cleaned = super().clean()
        files, text = cleaned.get("files") or [], (cleaned.get("text") or "").strip()
        if self.errors:
            return cleaned  # a field's own error (a NUL byte in the text) says it better
        if not files and not text:
            raise forms.ValidationError(_("Choose at least one file or paste an article."))
        if len(files) + bool(text) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files per import; split the batch.") % {"count": MAX_FILES}
            )
        items, total = [], 0
        for upload in files:
            name = safe_name(upload.name)
            if Path(name).suffix not in UPLOAD_SUFFIXES:
                raise forms.ValidationError(_("“%(name)s” is not a .txt or .html file.") % {"name": name})
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(_("“%(name)s” is over the 5 MB limit.") % {"name": name})
            total += upload.size
            items.append((name, upload.read()))
        if text:
            data = text.encode("utf-8")
            if len(data) > MAX_FILE_BYTES:
                raise forms.ValidationError(_("The pasted text is over the 5 MB limit."))
            total += len(data)
            items.append((f"texte-colle-{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.txt", data))
        if total > MAX_BATCH_BYTES:
            raise forms.ValidationError(_("The files weigh more than 100 MB together; split the batch."))
        names = [name for name, _data in items]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise forms.ValidationError(_("Two files are named “%(name)s”.") % {"name": twice[0]})
        cleaned["items"] = items
        return cleaned


def require_import_permission(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_import_permission
@require_http_methods(["GET", "POST"])
def upload_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = import_batches.stage(request.user, form.cleaned_data["items"])
        tasks.read_import_batch.enqueue(str(batch.pk))
        return redirect("article_import_preview", batch=batch.pk)
    return TemplateResponse(request, "portal/admin/article_import.html", {"form": form, "max_files": MAX_FILES})


def preview_counts(entries):
    statuses = [entry["report"]["status"].removeprefix("would-") for entry in entries]
    to_check = sum(
        1
        for entry, status in zip(entries, statuses, strict=True)
        if entry["report"]["needs_review"] and status in ("created", "updated")
    )
    return {
        "created": statuses.count("created"),
        "updated": statuses.count("updated"),
        "failed": statuses.count("failed"),
        "to_check": to_check,
    }


def waiting(request, batch):
    """Where a batch stands while the worker reads or writes it; the page looks again by itself."""
    response = TemplateResponse(request, "portal/admin/article_import_waiting.html", {"batch": batch})
    response["Refresh"] = str(REFRESH_EVERY)
    return response


def gone(request):
    # A second click on "create", a batch purged after a day, or someone else's.
    messages.warning(
        request, _("This batch was already imported or has expired; upload the files again if needed.")
    )
    return redirect("article_import")


@require_import_permission
@require_http_methods(["GET", "POST"])
def preview_view(request, batch):
    batch = ArticleImportBatch.objects.filter(pk=batch, user=request.user).select_related("run").first()
    if batch is None:
        return gone(request)
    Status = ArticleImportBatch.Status
    if request.method == "POST":
        if not import_batches.confirm(batch, request.user):
            return gone(request)
        tasks.write_import_batch.enqueue(str(batch.pk))
        return redirect("article_import_preview", batch=batch.pk)
    if batch.status in (Status.READING, Status.IMPORTING):
        return waiting(request, batch)
    if batch.status == Status.FAILED:
        messages.error(request, batch.error)
        return redirect("article_import")
    if batch.status == Status.DONE:
        if batch.run is None:
            messages.success(request, _("Nothing was written: every file was already imported as it is."))
            return redirect("article_import")
        written = batch.run.created + batch.run.updated
        messages.success(
            request,
            ngettext("%(count)s draft written.", "%(count)s drafts written.", written) % {"count": written},
        )
        return redirect("article_import_run", pk=batch.run.pk)
    counts = preview_counts(batch.preview)
    return TemplateResponse(
        request,
        "portal/admin/article_import_preview.html",
        {
            "rows": batch.preview,
            "summary": counts,
            "batch": batch.pk,
            "writable": counts["created"] + counts["updated"],
        },
    )


@require_import_permission
@require_http_methods(["GET"])
def run_view(request, pk):
    run = get_object_or_404(ArticleImportRun.objects.select_related("user"), pk=pk)
    pages = ArticlePage.objects.in_bulk([entry["page"] for entry in run.report if entry.get("page")])
    rows = [
        {
            **entry,
            "article": pages.get(entry.get("page")),
            "label": STATUS_LABELS.get(entry["status"], entry["status"]),
        }
        for entry in run.report
    ]
    return TemplateResponse(request, "portal/admin/article_import_run.html", {"run": run, "rows": rows})

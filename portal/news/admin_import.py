"""The admin's "Import articles": upload files or paste a text, preview, create the drafts.

The same code path as the import_articles command (import_paths, on the
files written to a private temporary directory), so the admin shows what the
command would print: the fields found, what is missing, duplicates. Every
article is created as a draft (it then goes through the usual moderation
workflow) and links to its import record.

The files are kept in the database between the preview and the creation
(ArticleUpload), since the two requests may reach different app servers.
Until imports run as background tasks (the operations issue), a batch is
limited to MAX_FILES files, so that it runs within a request.
"""

import functools
import re
import tempfile
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.models import Locale

from portal.news.importers.articles import ImportSetupError, import_paths
from portal.news.importers.html import HTML_SUFFIXES
from portal.news.importers.text import MAX_FILE_BYTES
from portal.news.models import ArticleImportRun, ArticlePage, ArticleUpload, NewsIndexPage

MAX_FILES = 20
MAX_BATCH_BYTES = 20 * 1024 * 1024
STAGED_FOR = timedelta(days=1)
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
        help_text=_("Articles saved as text (.txt) or as web pages (.html); up to %(count)s files of 5 MB.")
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
            raise forms.ValidationError(_("The files weigh more than 20 MB together; split the batch."))
        names = [name for name, _data in items]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise forms.ValidationError(_("Two files are named “%(name)s”.") % {"name": twice[0]})
        cleaned["items"] = items
        return cleaned


def stage(user, items):
    """Keep the files of a batch until the editor confirms it; forget abandoned batches."""
    ArticleUpload.objects.filter(uploaded_at__lt=timezone.now() - STAGED_FOR).delete()
    batch = uuid.uuid4()
    with transaction.atomic():
        ArticleUpload.objects.bulk_create(
            ArticleUpload(batch=batch, user=user, name=name, data=data) for name, data in items
        )
    return batch


@contextmanager
def staged_directory(uploads):
    """The batch's files, written to a private temporary directory for import_paths."""
    with tempfile.TemporaryDirectory(prefix="article-import-") as directory:
        for upload in uploads:
            (Path(directory) / upload.name).write_bytes(bytes(upload.data))
        yield Path(directory)


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
        batch = stage(request.user, form.cleaned_data["items"])
        return redirect("article_import_preview", batch=batch)
    return TemplateResponse(request, "portal/admin/article_import.html", {"form": form, "max_files": MAX_FILES})


def existing_page(result):
    """The article already in the portal that this file would update or leaves alone."""
    if result.page is not None and result.status.removeprefix("would-") in ("updated", "unchanged", "skipped"):
        return result.page
    return None


@require_import_permission
@require_http_methods(["GET", "POST"])
def preview_view(request, batch):
    uploads = list(ArticleUpload.objects.filter(batch=batch, user=request.user))
    if not uploads:
        # A second click on "create", an abandoned batch purged, or someone else's.
        messages.warning(
            request, _("This batch was already imported or has expired; upload the files again if needed.")
        )
        return redirect("article_import")
    if request.method == "POST":
        with staged_directory(uploads) as directory:
            try:
                summary = import_paths([directory], publish=False, user=request.user, origin="admin")
            except ImportSetupError as error:
                messages.error(request, str(error))
                return redirect("article_import")
        ArticleUpload.objects.filter(batch=batch, user=request.user).delete()
        written = summary.created + summary.updated
        messages.success(
            request,
            ngettext("%(count)s draft written.", "%(count)s drafts written.", written) % {"count": written},
        )
        if summary.run is None:
            return redirect("article_import")
        return redirect("article_import_run", pk=summary.run.pk)

    with staged_directory(uploads) as directory:
        try:
            summary = import_paths([directory], dry_run=True, publish=False, user=request.user, origin="admin")
        except ImportSetupError as error:
            messages.error(request, str(error))
            return redirect("article_import")
    rows = [{"result": r, "report": r.as_json(), "existing": existing_page(r)} for r in summary.results]
    return TemplateResponse(
        request,
        "portal/admin/article_import_preview.html",
        {"rows": rows, "summary": summary, "batch": batch, "writable": summary.created + summary.updated},
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

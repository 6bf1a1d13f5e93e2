"""A founder's update: the public data in a form, what they change saved as a draft revision.

The form opens with what the public page shows. Only the fields the founder
changed are applied, onto the page's latest revision (an editor's draft in
progress is kept), and saved as a new revision in the usual workflow: the
live page stays as it is until a moderator approves, and the revision
comparison shows the moderator what changed. An update that changes nothing
is a confirmation ("still true"), as the reminder's button is.
"""

import html
import logging
import re

from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from brand.applications import StartupFactsForm, moderator_emails, paragraphs
from brand.models import StartupApplication
from portal.core.i18n import localized

logger = logging.getLogger(__name__)

LOG_ACTION = "brand.founder_update"
# Form field -> page field, for what the founder may change.
PAGE_FIELDS = {
    "startup_name": "title",
    "pitch": "pitch",
    "description": "description",
    "website": "website",
    "linkedin_url": "linkedin_url",
    "x_url": "x_url",
    "facebook_url": "facebook_url",
    "city": "city",
    "sectors": "sectors",
    "founded_year": "founded_year",
    "stage": "stage",
    "team_size": "team_size",
}


class StartupUpdateForm(StartupFactsForm):
    linkedin_url = forms.URLField(label=_("Page LinkedIn"), required=False, assume_scheme="https", max_length=200)
    x_url = forms.URLField(label=_("Compte X"), required=False, assume_scheme="https", max_length=200)
    facebook_url = forms.URLField(label=_("Page Facebook"), required=False, assume_scheme="https", max_length=200)
    note = forms.CharField(
        label=_("Un mot pour l'équipe (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Ce qui a changé et pourquoi ; il n'est pas publié."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's own cities and sectors, named in the founder's language.
        for name in ("city", "sectors"):
            self.fields[name].label_from_instance = lambda record: str(localized(record))


def plain_text(rich_text):
    """A page's rich-text description as the paragraphs a textarea shows."""
    text = re.sub(r"</p>|<br\s*/?>", "\n", rich_text or "")
    lines = (html.unescape(strip_tags(line)).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def initial_for(page):
    """The form's starting values: what the public page shows."""
    values = {name: getattr(page, field) for name, field in PAGE_FIELDS.items()}
    values["description"] = plain_text(page.description)
    values["city"] = page.city_id
    values["sectors"] = sorted(page.sectors.values_list("pk", flat=True))
    return values


def submit(application, startup, form):
    """Save what the founder changed (Django's form.changed_data against the public data the
    form opened with) as a draft revision; the changed field names (empty: nothing changed)."""
    changed = [name for name in form.changed_data if name in PAGE_FIELDS]
    if not changed:
        return [], None
    draft = startup.get_latest_revision_as_object()
    for name in changed:
        value = form.cleaned_data[name]
        if name == "description":
            value = paragraphs(value)
        if name == "sectors":
            value = list(value)
        setattr(draft, PAGE_FIELDS[name], value)
    with transaction.atomic():
        revision = draft.save_revision(log_action=LOG_ACTION)
        StartupApplication.objects.filter(pk=application.pk).update(update_submitted_at=timezone.now())
        workflow = draft.get_workflow()
        # In the usual moderation; a workflow already running on an editor's draft goes on
        # with this revision, the latest, which is the one its approval publishes.
        if workflow is not None and not draft.workflow_in_progress:
            workflow.start(draft, None)
    notify_moderators(startup, revision, form.cleaned_data.get("note", ""))
    return changed, revision


def notify_moderators(page, revision, note):
    recipients = moderator_emails()
    if not recipients:
        return
    compare = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", revision.pk])
    body = (
        f"Le fondateur de « {page.title} » propose une mise à jour de sa fiche. Elle est en brouillon "
        f"dans la relecture habituelle ; la fiche publique ne change pas avant votre validation.\n\n"
        f"Ce qui change : {settings.WAGTAILADMIN_BASE_URL}{compare}\n"
    )
    if note.strip():
        body += f"\nSon message :\n{note.strip()}\n"
    try:
        send_mail(
            subject=f"[MoroccoTech] Mise à jour proposée : {page.title}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    except Exception:
        # The revision is saved and in the workflow (which notifies its reviewers too): a mail
        # server that is down must not turn the founder's update into an error.
        logger.exception("Could not e-mail the moderators about an update of startup %s", page.pk)

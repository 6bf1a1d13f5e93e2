"""What keeps every change behind a moderator: the rules Wagtail and wagtail-localize leave open.

- The second-editor step of the workflow cannot be approved by the page's
  own author (portal.sitewide.editorial.SecondReaderTask).
- Updating translations from their source ("Sync translated pages") can
  publish them only for someone who may publish: for an editor the update
  is kept as drafts (ModeratedUpdateTranslationsView; new translations are
  drafts by WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False).
- An image or document that published content shows can be replaced or
  deleted by moderators only (guard_media_in_use): an editor's new file
  would otherwise reach the public site without review.
"""

from contextvars import ContextVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import DraftStateMixin, Page, ReferenceIndex
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail_localize.views.update_translations import UpdateTranslationsView

from portal.sitewide.editorial import MODERATORS


def is_moderator(user):
    return bool(user and user.is_authenticated) and (
        user.is_superuser or user.groups.filter(name=MODERATORS).exists()
    )


def can_publish(user, instance):
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_publish()
    action = "publish" if isinstance(instance, DraftStateMixin) else "change"
    return ModelPermissionPolicy(type(instance)).user_has_permission(user, action)


class ModeratedUpdateTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages", whose "publish" option an editor cannot use.

    wagtail-localize checks only its submit_translation permission before
    publishing every translation; served at the same address (portal.urls
    lists it before the admin's own), this view saves them as drafts for
    anyone who may not publish the source. tests/portal/sitewide/test_moderation.py
    fails if wagtail-localize's view changes so that this no longer holds.
    """

    def form_valid(self, form):
        source = self.object.get_source_instance()
        if form.cleaned_data.get("publish_translations") and not can_publish(self.request.user, source):
            form.cleaned_data["publish_translations"] = False
            messages.warning(
                self.request,
                _(
                    "Les traductions ont été mises à jour en brouillon : leur publication passe par "
                    "la validation d'un modérateur."
                ),
            )
        return super().form_valid(form)


# --- images and documents in use ------------------------------------------------

_acting_request = ContextVar("portal_acting_request", default=None)


class ActingUserMiddleware:
    """Remembers the request being served, so that the checks on save and delete know who acts.

    The user is read only when such a check runs: reading it on every request
    would touch the session and make every public page vary on the cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _acting_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _acting_request.reset(token)


def acting_user():
    request = _acting_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def shown_publicly(obj):
    """True when a published page or record refers to obj (Wagtail's reference index)."""
    for source, _references in ReferenceIndex.get_references_to(obj).group_by_source_object():
        if source is None:
            continue
        if not isinstance(source, DraftStateMixin) or source.live:
            return True
    return False


def guard_media_in_use(sender, instance, **kwargs):
    user = acting_user()
    if user is None or is_moderator(user) or instance.pk is None:
        return  # code outside a person's request (imports, setup), or someone who may
    if kwargs.get("signal") is pre_save:
        stored = sender.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
        if stored is None or stored == instance.file.name:
            return  # new, or its title or focal point changed: the file the public sees stays
    if shown_publicly(instance):
        raise PermissionDenied(
            _(
                "Ce fichier est utilisé par du contenu publié : seul un modérateur peut le remplacer ou le supprimer."
            )
        )


def connect():
    for model in (get_image_model(), get_document_model()):
        label = model._meta.label_lower
        pre_save.connect(guard_media_in_use, sender=model, dispatch_uid=f"moderation-media-save-{label}")
        pre_delete.connect(guard_media_in_use, sender=model, dispatch_uid=f"moderation-media-delete-{label}")

"""Erasing a founder's personal data (Morocco's law 09-08), on their request or at the end of retention.

The application is anonymised: name, address, phone and what they wrote
are blanked, the decision and dates stay (the moderators' records). The
public startup page stays: it describes a company, not a person; the
moderators may unpublish it. The history keeps that it happened, never what
was erased.
"""

import secrets

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from brand.models import StartupApplication

LOG_ACTION = "brand.personal_data_erased"
PERSONAL = {"founder_name": "", "email": "", "phone": "", "message": "", "decision_message": ""}


@transaction.atomic
def erase(application, reason="request"):
    erased = StartupApplication.objects.filter(pk=application.pk, erased_at__isnull=True).update(
        **PERSONAL, erased_at=timezone.now(), link_nonce=secrets.token_hex(8)
    )
    if erased:
        log(instance=application, action=LOG_ACTION, data={"reason": reason})
    return bool(erased)


def expire_declined(decided_before):
    """Anonymise the declined applications decided before that date; how many."""
    expired = StartupApplication.objects.filter(
        status=StartupApplication.Status.REJECTED, erased_at__isnull=True, decided_at__lt=decided_before
    )
    return sum(erase(application, reason="retention") for application in expired)


class RequestForm(forms.Form):
    email = forms.EmailField(
        label=_("L'adresse e-mail de votre candidature"),
        max_length=254,
        help_text=_("Nous y envoyons un lien, valable quelques jours, pour confirmer l'effacement."),
    )

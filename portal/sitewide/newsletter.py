"""Newsletter consent: double opt-in subscription, unsubscription, and the subscriber list.

Nothing is stored when someone types an address: the confirmation mail
carries a signed, expiring token with the address and language, and the
subscriber exists only once that link is followed and confirmed. Every mail
carries a signed unsubscribe link (also as List-Unsubscribe, one-click per
RFC 8058); the CSV export gives the same link per subscriber so the mailing
tool can put it in every campaign. The portal owns consent; it sends no
campaigns.

The confirm and unsubscribe actions are POSTs (mail scanners follow links
with GET, and must not subscribe or unsubscribe anyone); the signed token
is what authorises them. The subscription form is exempt from Django's CSRF
check on purpose: all it can do is send a confirmation mail to the address
typed, which a forged request could do just as well by itself, and it is in
the footer of every page, where a per-visitor token would make every page
uncacheable. It is rate-limited per address and has a honeypot field.
"""

import logging

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.core.client_ip import client_ip
from portal.core.mail import absolute_url as absolute
from portal.core.ratelimit import over_limit
from portal.core.tasks import retried

logger = logging.getLogger(__name__)

CONFIRM_SALT = "portal.sitewide.newsletter.confirm"
UNSUBSCRIBE_SALT = "portal.sitewide.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds: the confirmation link expires after three days
RATE_LIMIT = 5  # subscription requests per address
RATE_WINDOW = 60 * 60  # seconds


class Subscriber(models.Model):
    class Status(models.TextChoices):
        SUBSCRIBED = "subscribed", _("Inscrit")
        UNSUBSCRIBED = "unsubscribed", _("Désinscrit")

    email = models.EmailField(
        verbose_name=_("e-mail address"),
        unique=True,
        help_text=_("Stored in lower case: one subscriber per address."),
    )
    language = models.CharField(
        verbose_name=_("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        help_text=_("The language the person chose for the newsletter."),
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=12, choices=Status.choices, default=Status.SUBSCRIBED
    )
    confirmed_at = models.DateTimeField(
        verbose_name=_("confirmed at"), help_text=_("When the person confirmed, from the link in the mail.")
    )
    unsubscribed_at = models.DateTimeField(verbose_name=_("unsubscribed at"), null=True, blank=True)

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("newsletter subscriber")

    def __str__(self):
        return self.email

    def unsubscribe_url(self):
        return absolute(unsubscribe_path(self.email, self.language))


def normalise(email):
    return email.strip().lower()


def confirm_path(email, language):
    token = signing.dumps({"e": normalise(email), "l": language}, salt=CONFIRM_SALT, compress=True)
    with translation.override(language):
        return reverse("newsletter_confirm", kwargs={"token": token})


def unsubscribe_path(email, language):
    token = signing.dumps({"e": normalise(email)}, salt=UNSUBSCRIBE_SALT, compress=True)
    with translation.override(language):
        return reverse("newsletter_unsubscribe", kwargs={"token": token})


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)
    language = forms.ChoiceField(label=_("Langue de la lettre"), choices=settings.LANGUAGES)
    # Hidden from people (CSS and aria-hidden); bots fill it.
    website = forms.CharField(required=False, label=_("Ne pas remplir"), max_length=200)


CONFIRM_SUBJECT = gettext_noop("Confirmez votre inscription à la lettre MoroccoTech")
WELCOME_SUBJECT = gettext_noop("Bienvenue dans la lettre MoroccoTech")


@retried
def send(email, language, subject, template, context):
    """One mail to a subscriber, in their language; `subject` is a msgid. In the background:
    a slow or failing mail server neither holds the visitor's request nor loses the mail."""
    unsubscribe = absolute(unsubscribe_path(email, language))
    with translation.override(language):
        body = render_to_string(template, {**context, "unsubscribe_url": unsubscribe})
        message = EmailMultiAlternatives(
            subject=translation.gettext(subject),
            body=body,
            to=[email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    message.send()


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    language = translation.get_language()
    form = SubscribeForm(request.POST or None, initial={"language": language})
    status, sent = 200, False
    if request.method == "POST":
        if over_limit(request, "newsletter", RATE_LIMIT, RATE_WINDOW):
            status = 429
            form.add_error(None, _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
        elif form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                logger.info("Honeypot filled on the newsletter form from %s", client_ip(request))
            else:
                email = normalise(data["email"])
                send.enqueue(
                    email,
                    data["language"],
                    CONFIRM_SUBJECT,
                    "portal/newsletter/confirm_mail.txt",
                    {"confirm_url": absolute(confirm_path(email, data["language"])), "days": 3},
                )
            # The same answer whether the address was new, known or a bot's: nothing is revealed.
            sent = status == 200
        else:
            status = 400
    context = {"form": form, "sent": sent, "page_title": _("Lettre d’information")}
    return TemplateResponse(request, "portal/newsletter/subscribe.html", context, status=status)


def read_token(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age), None
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"


@never_cache  # a personal link: never stored by our page cache, a CDN or a browser
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    data, error = read_token(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    if data and not (
        isinstance(data, dict) and isinstance(data.get("e"), str) and data.get("l") in dict(settings.LANGUAGES)
    ):
        data, error = None, "invalid"
    context = {"error": error, "done": False, "page_title": _("Confirmer l’inscription")}
    if error:
        return TemplateResponse(request, "portal/newsletter/confirm.html", context, status=400)
    if request.method == "POST":
        subscriber = save_subscription(data["e"], data["l"])
        context["done"] = True
        send.enqueue(
            subscriber.email, subscriber.language, WELCOME_SUBJECT, "portal/newsletter/welcome_mail.txt", {}
        )
    return TemplateResponse(request, "portal/newsletter/confirm.html", context)


def save_subscription(email, language):
    now = timezone.now()
    defaults = {
        "language": language,
        "status": Subscriber.Status.SUBSCRIBED,
        "confirmed_at": now,
        "unsubscribed_at": None,
    }
    try:
        with transaction.atomic():
            subscriber, _created = Subscriber.objects.update_or_create(email=email, defaults=defaults)
    except IntegrityError:  # two confirmations at once: the other one created it
        subscriber = Subscriber.objects.get(email=email)
    return subscriber


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    data, error = read_token(token, UNSUBSCRIBE_SALT)
    if data and not (isinstance(data, dict) and isinstance(data.get("e"), str)):
        data, error = None, "invalid"
    context = {"error": error, "done": False, "page_title": _("Se désinscrire")}
    if error:
        return TemplateResponse(request, "portal/newsletter/unsubscribe.html", context, status=400)
    if request.method == "POST":
        Subscriber.objects.filter(email=data["e"], status=Subscriber.Status.SUBSCRIBED).update(
            status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
        )
        context["done"] = True
    return TemplateResponse(request, "portal/newsletter/unsubscribe.html", context)

"""The “Rejoindre MoroccoTech” form: a founder's submission becomes a draft StartupPage.

Nothing a founder types is published: the page is a draft until a moderator
publishes it, and its contact details stay in StartupApplication. Spam is
kept out by a honeypot field and a per-address rate limit; Django's CSRF
protection covers the form.
"""

import datetime
import logging
import unicodedata

from anyascii import anyascii
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from brand.models.startups import City, Sector, Stage, StartupApplication, StartupPage, TeamSize
from portal.core.client_ip import client_ip
from portal.core.forms import IdChoiceField, IdMultipleChoiceField
from portal.core.ratelimit import over_limit
from portal.core.slugs import unique_child_slug

logger = logging.getLogger(__name__)

RATE_LIMIT = 5  # submissions
RATE_WINDOW = 60 * 60  # seconds


def lines_of(text):
    """Text as the paragraphs it holds: line endings and blank lines as browsers send them do not count."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ParagraphsField(forms.CharField):
    """Paragraphs of plain text; unchanged when only its line endings or blank lines differ
    (a browser sends a textarea's lines ending in CRLF), so form.changed_data leaves it out."""

    def has_changed(self, initial, data):
        return lines_of(initial) != lines_of(self.to_python(data))


class StartupFactsForm(forms.Form):
    """What a founder says about their startup, on applying and on updating it later."""

    startup_name = forms.CharField(label=_("Nom de la startup"), max_length=120)
    pitch = forms.CharField(
        label=_("En une phrase, que fait votre startup ?"), max_length=160, help_text=_("160 caractères au plus.")
    )
    description = ParagraphsField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), max_length=3000, min_length=50
    )
    # The lengths of the columns they are saved in: longer is a form error, not a database error.
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https", max_length=200)
    city = IdChoiceField(label=_("Ville"), queryset=City.objects.none())
    sectors = IdMultipleChoiceField(
        label=_("Secteurs"), queryset=Sector.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    founded_year = forms.IntegerField(label=_("Année de création"), min_value=1950)
    stage = forms.ChoiceField(label=_("Stade"), choices=Stage.choices)
    team_size = forms.ChoiceField(label=_("Taille de l'équipe"), choices=TeamSize.choices)

    # Fields that hold on one line: a line break would end up in a page title or a mail header.
    single_line_fields = ("startup_name", "pitch")

    def __init__(self, *args, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.filter(locale=locale)
        self.fields["sectors"].queryset = Sector.objects.filter(locale=locale)
        # What is typed runs in its own direction whatever the page's: a French pitch on the
        # Arabic form keeps its full stop at its end.
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.Textarea | forms.URLInput | forms.EmailInput):
                field.widget.attrs.setdefault("dir", "auto")

    def clean_founded_year(self):
        year = self.cleaned_data["founded_year"]
        if year > datetime.date.today().year:
            raise forms.ValidationError(_("L'année de création ne peut pas être dans le futur."))
        return year

    def clean_sectors(self):
        sectors = self.cleaned_data["sectors"]
        if len(sectors) > 3:
            raise forms.ValidationError(_("Choisissez trois secteurs au plus."))
        return sectors

    def clean(self):
        cleaned = super().clean()
        for name in self.single_line_fields:
            value = cleaned.get(name)
            if value and any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
                self.add_error(name, _("Ce champ tient sur une seule ligne, sans caractère de contrôle."))
        return cleaned

    def clean_startup_name(self):
        name = self.cleaned_data["startup_name"].strip()
        if not slugify(anyascii(name)):
            raise forms.ValidationError(_("Le nom doit contenir au moins une lettre ou un chiffre."))
        return name


class StartupApplicationForm(StartupFactsForm):
    founder_name = forms.CharField(label=_("Votre nom"), max_length=200)
    email = forms.EmailField(label=_("Votre e-mail"), max_length=254)
    phone = forms.CharField(label=_("Téléphone (facultatif)"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=_(
            "J'accepte que MoroccoTech traite ces informations pour examiner ma candidature "
            "(loi 09-08 sur la protection des données personnelles)."
        )
    )
    # The honeypot: hidden from people by CSS and aria-hidden, filled by bots.
    company_fax = forms.CharField(label=_("Ne pas remplir"), required=False)

    single_line_fields = ("startup_name", "pitch", "founder_name", "email", "phone")


def over_rate_limit(request):
    return over_limit(request, "startup-application", RATE_LIMIT, RATE_WINDOW)


def already_received(data):
    """The same founder sending the same startup again (a retried or double-clicked submission)."""
    since = timezone.now() - datetime.timedelta(days=1)
    return StartupApplication.objects.filter(
        email__iexact=data["email"], startup_name__iexact=data["startup_name"], submitted_at__gte=since
    ).exists()


def paragraphs(text):
    """Plain text from a stranger, escaped into rich text: shown, never executed."""
    return "".join(f"<p>{escape(line)}</p>" for line in lines_of(text))


@transaction.atomic
def create_draft(directory, data):
    page = StartupPage(
        title=data["startup_name"],
        slug=unique_child_slug(directory, data["startup_name"], fallback="startup"),
        pitch=data["pitch"],
        description=paragraphs(data["description"]),
        website=data.get("website") or "",
        city=data["city"],
        founded_year=data["founded_year"],
        stage=data["stage"],
        team_size=data["team_size"],
        live=False,
    )
    # Set before add_child so that saving the page commits them too (a
    # ParentalManyToManyField is held in memory until then).
    page.sectors = data["sectors"]
    directory.add_child(instance=page)
    page.save_revision(log_action=True)
    return StartupApplication.objects.create(
        page=page,
        startup_name=data["startup_name"],
        founder_name=data["founder_name"],
        email=data["email"],
        phone=data.get("phone", ""),
        language=directory.locale.language_code,
    )


def moderator_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    emails = set(users.filter(groups__name="Moderators").values_list("email", flat=True))
    return sorted(emails or users.filter(is_superuser=True).values_list("email", flat=True))


def notify_moderators(application):
    recipients = moderator_emails()
    if not recipients:
        logger.warning("Startup application %s received but no moderator has an e-mail address", application.pk)
        return
    edit_url = f"{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{application.page_id}/edit/"
    try:
        send_notification(application, edit_url, recipients)
    except Exception:
        # The application is saved and listed on the dashboard: a mail server
        # that is down must not turn the founder's submission into an error.
        logger.exception("Could not e-mail the moderators about startup application %s", application.pk)


def send_notification(application, edit_url, recipients):
    send_mail(
        subject=f"[MoroccoTech] Nouvelle candidature : {application.startup_name}",
        message=(
            f"{application.founder_name} <{application.email}> propose la startup "
            f"« {application.startup_name} ».\n\nLa fiche est en brouillon ; relisez-la puis publiez-la "
            f"ou supprimez-la :\n{edit_url}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def handle_application(page, request):
    directory = page.get_parent().specific
    form = StartupApplicationForm(locale=page.locale)
    submitted, refused = False, False
    status = 200
    if request.method == "POST":
        form = StartupApplicationForm(request.POST, locale=page.locale)
        if over_rate_limit(request):
            refused, status = True, 429
        elif form.is_valid():
            if form.cleaned_data["company_fax"]:
                # A bot filled the honeypot: answer as if all went well, keep nothing.
                logger.info("Honeypot filled on the startup application form from %s", client_ip(request))
            elif not already_received(form.cleaned_data):
                application = create_draft(directory, form.cleaned_data)
                notify_moderators(application)
            submitted = True
            form = StartupApplicationForm(locale=page.locale)
        else:
            status = 400
    elif request.method not in ("GET", "HEAD"):
        status = 405
    context = page.get_context(request)
    context.update(form=form, submitted=submitted, refused=refused, directory=directory)
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    if status == 405:
        response["Allow"] = "GET, HEAD, POST"
    return response

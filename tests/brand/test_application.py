"""“Rejoindre MoroccoTech”: a founder's submission becomes a draft for moderators."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.validators import validate_email
from django.test import Client
from django.utils import translation

from brand.applications import RATE_LIMIT
from brand.models import City, Sector, StartupApplication, StartupPage

URL = "/fr/startups/rejoindre/"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_superuser("moderatrice", "moderation@moroccotech.ma", "pw-1234567890")


def valid_data(**overrides):
    data = {
        "startup_name": "Souss Sensors",
        "pitch": "Des capteurs connectés pour l'irrigation goutte-à-goutte.",
        "description": "Nous aidons les agriculteurs du Souss à économiser l'eau grâce à des capteurs.\n"
        "Notre équipe de six ingénieurs est basée à Agadir.",
        "website": "https://souss-sensors.example",
        "city": City.objects.get(slug="agadir", locale__language_code="fr").pk,
        "sectors": [
            Sector.objects.get(slug="agritech", locale__language_code="fr").pk,
            Sector.objects.get(slug="big-data", locale__language_code="fr").pk,
        ],
        "founded_year": 2021,
        "stage": "seed",
        "team_size": "1-10",
        "founder_name": "Salma Idrissi",
        "email": "salma@souss-sensors.example",
        "phone": "",
        "consent": "on",
        "company_fax": "",
    }
    data.update(overrides)
    return data


def test_form_page_renders_with_csrf_and_honeypot(client, portal_site):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="form__trap" aria-hidden="true"' in html
    assert '<label for="id_email">Votre e-mail' in html


def test_valid_submission_creates_a_draft_and_notifies_moderators(client, portal_site, moderator):
    response = client.post(URL, valid_data())
    assert response.status_code == 200
    assert "Votre candidature a bien été reçue" in response.content.decode()

    page = StartupPage.objects.get(title="Souss Sensors")
    assert not page.live
    assert page.get_parent().pk == portal_site["StartupIndexPage"].pk
    assert page.city.slug == "agadir"
    assert sorted(s.slug for s in page.sectors.all()) == ["agritech", "big-data"]
    assert page.latest_revision is not None

    application = StartupApplication.objects.get()
    assert (application.page, application.email, application.status) == (
        page,
        "salma@souss-sensors.example",
        "pending",
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["moderation@moroccotech.ma"]
    assert "Souss Sensors" in message.subject
    assert f"/admin/pages/{page.pk}/edit/" in message.body

    # Visitors never see it before a moderator publishes it.
    assert client.get(f"/fr/startups/{page.slug}/").status_code == 404
    assert "Souss Sensors" not in client.get("/fr/startups/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"startup_name": ""}, "startup_name", "required"),
        ({"email": "pas-une-adresse"}, "email", "invalid_email"),
        ({"founded_year": 2999}, "founded_year", "L'année de création ne peut pas être dans le futur."),
        ({"consent": ""}, "consent", "required"),
        ({"description": "Trop court."}, "description", "au moins 50 caractères"),
        ("four sectors", "sectors", "Choisissez trois secteurs au plus."),
    ],
)
def test_invalid_submission_shows_errors_and_creates_nothing(client, portal_site, overrides, field, message):
    if overrides == "four sectors":  # needs the database, so built here
        overrides = {
            "sectors": list(Sector.objects.filter(locale__language_code="fr").values_list("pk", flat=True)[:4])
        }
    # Django's own wording, in French (which app's catalogue provides it may change).
    with translation.override("fr"):
        message = {
            "required": str(forms.Field.default_error_messages["required"]),
            "invalid_email": str(validate_email.message),
        }.get(message, message)
    response = client.post(URL, valid_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    # The message is tied to its field for screen readers.
    assert f'aria-describedby="id_{field}_error"' in html or field == "sectors"
    assert f'id="id_{field}_error"' in html
    assert message in html.replace("&#x27;", "'")
    assert not StartupPage.objects.filter(title="Souss Sensors").exists()
    assert not StartupApplication.objects.exists()
    assert not mail.outbox


def test_honeypot_filled_creates_nothing(client, portal_site, moderator):
    response = client.post(URL, valid_data(company_fax="0522 00 00 00"))
    assert response.status_code == 200  # the bot learns nothing
    assert not StartupPage.objects.filter(title="Souss Sensors").exists()
    assert not StartupApplication.objects.exists()
    assert not mail.outbox


def test_over_the_rate_limit_is_refused(client, portal_site, moderator):
    for n in range(RATE_LIMIT):
        assert client.post(URL, valid_data(startup_name=f"Startup {n}")).status_code == 200
    response = client.post(URL, valid_data(startup_name="Une de trop"))
    assert response.status_code == 429
    assert "Réessayez dans une heure" in response.content.decode()
    assert StartupApplication.objects.count() == RATE_LIMIT
    assert not StartupPage.objects.filter(title="Une de trop").exists()
    # Another address is not affected.
    assert client.post(URL, valid_data(startup_name="Autre"), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_csrf_is_enforced(portal_site):
    strict = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    assert strict.post(URL, valid_data()).status_code == 403
    assert not StartupApplication.objects.exists()


def test_founder_text_is_never_rendered_unescaped(client, portal_site, moderator):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(
        URL,
        valid_data(
            startup_name="Hack <b>Lab</b>",
            pitch=f"Pitch {payload}",
            description=f"Description assez longue pour passer la validation du formulaire. {payload}",
        ),
    )
    page = StartupPage.objects.get(title="Hack <b>Lab</b>")
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Hack &lt;b&gt;Lab&lt;/b&gt;" in html


def test_publishing_approves_and_deleting_rejects(client, portal_site, moderator):
    client.post(URL, valid_data())
    client.post(URL, valid_data(startup_name="Seconde"))
    first, second = (StartupPage.objects.get(title=t) for t in ("Souss Sensors", "Seconde"))
    first.save_revision(user=moderator).publish(user=moderator)
    second.delete()
    statuses = dict(StartupApplication.objects.values_list("startup_name", "status"))
    assert statuses == {"Souss Sensors": "approved", "Seconde": "rejected"}


def test_other_methods_are_refused(client, portal_site):
    assert client.put(URL).status_code == 405


def test_a_mail_server_that_is_down_does_not_lose_the_application(client, portal_site, moderator, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("brand.applications.send_mail", refuse)
    response = client.post(URL, valid_data())
    assert response.status_code == 200
    assert StartupApplication.objects.count() == 1


# --- #21: hostile but valid-looking input is a form error, never a 500 nor half a record ---


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"website": "https://exemple.ma/" + "a" * 200}, "website"),
        ({"email": "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".ma"}, "email"),  # valid, 311 characters
        ({"startup_name": "Souss\nSensors"}, "startup_name"),
        ({"startup_name": "Souss\rBcc: x@example.ma"}, "startup_name"),
        ({"founder_name": "Amina\u2028Haddad"}, "founder_name"),
        ({"phone": "0600\n000000"}, "phone"),
        ({"founded_year": "99999999999999999999"}, "founded_year"),
        ({"city": "99999999999999999999"}, "city"),
    ],
)
def test_out_of_range_values_are_form_errors_before_any_write(client, portal_site, moderator, overrides, field):
    response = client.post(URL, valid_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not StartupApplication.objects.exists()
    assert not StartupPage.objects.filter(title__startswith="Souss").exists()
    assert mail.outbox == []


def test_a_retried_submission_does_not_duplicate(client, portal_site, moderator):
    for _attempt in range(3):
        assert client.post(URL, valid_data()).status_code == 200
    assert StartupApplication.objects.count() == 1
    assert StartupPage.objects.filter(title="Souss Sensors").count() == 1
    assert len(mail.outbox) == 1

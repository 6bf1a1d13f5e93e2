"""Newsletter: double opt-in, unsubscribe, abuse protection, and the moderators' CSV export (issue #9)."""

import csv
import io
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.sitewide.editorial import EDITORS, MODERATORS
from portal.sitewide.newsletter import CONFIRM_MAX_AGE, RATE_LIMIT, Subscriber
from tests.conftest import make_user
from tests.portal.core.test_tasks import DATABASE_TASKS, work_the_queues


def subscribe(client, email="Salma@Example.ma", language="fr", **extra):
    return client.post("/fr/newsletter/", {"email": email, "language": language, "website": "", **extra})


def link_in(message, kind):
    path = re.search(rf"https?://[^/\s]+(/\w\w/newsletter/{kind}/[^/\s]+/)", message.body).group(1)
    return path


def test_subscribe_then_confirm_then_unsubscribe(client, portal_site):
    response = subscribe(client)
    assert response.status_code == 200
    assert "un e-mail de confirmation vient d’y être envoyé" in response.content.decode()
    # Nothing is stored until the link is followed.
    assert Subscriber.objects.count() == 0
    (message,) = mail.outbox
    assert message.to == ["salma@example.ma"]
    confirm = link_in(message, "confirmer")
    # Following the link (as a mail scanner would) does not subscribe: the button does.
    assert client.get(confirm).status_code == 200
    assert Subscriber.objects.count() == 0
    response = client.post(confirm)
    assert "C’est confirmé" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.language, subscriber.status) == ("salma@example.ma", "fr", "subscribed")
    # Every message carries the unsubscribe link, in the body and as List-Unsubscribe.
    welcome = mail.outbox[-1]
    unsubscribe = link_in(welcome, "desinscription")
    assert unsubscribe in welcome.extra_headers["List-Unsubscribe"]
    assert link_in(message, "desinscription")
    assert client.get(unsubscribe).status_code == 200
    assert Subscriber.objects.get().status == "subscribed"
    response = client.post(unsubscribe)
    assert "vous ne recevrez plus" in response.content.decode()
    assert Subscriber.objects.get().status == "unsubscribed"


def test_one_click_unsubscribe_from_a_mail_client_without_csrf_token(portal_site):
    client = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    subscribe(client)
    client.post(link_in(mail.outbox[0], "confirmer"))
    response = client.post(link_in(mail.outbox[-1], "desinscription"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"


def test_an_expired_link_is_refused(client, portal_site):
    with time_machine.travel("2026-01-01 10:00 +0000", tick=False):
        subscribe(client)
    confirm = link_in(mail.outbox[0], "confirmer")
    with time_machine.travel("2026-01-01 10:00 +0000", tick=False) as traveller:
        traveller.shift(CONFIRM_MAX_AGE + 60)
        response = client.post(confirm)
    assert response.status_code == 400
    assert "a expiré" in response.content.decode()
    assert Subscriber.objects.count() == 0


@pytest.mark.parametrize(
    "token", ["forged", "eyJlIjoiYUBiLmMiLCJsIjoiZnIifQ:1abc:xyz", "%3Cscript%3E", "a" * 2000]
)
def test_a_forged_link_is_refused(client, portal_site, token):
    for kind in ("confirmer", "desinscription"):
        response = client.post(f"/fr/newsletter/{kind}/{token}/")
        assert response.status_code in (400, 404)
    assert Subscriber.objects.count() == 0


def test_the_same_address_twice_is_one_subscriber(client, portal_site):
    for language in ("fr", "ar"):
        subscribe(client, "salma@example.ma", language=language)
        client.post(link_in(mail.outbox[-1], "confirmer"))
    subscribe(client, "SALMA@example.ma ")
    client.post(link_in(mail.outbox[-1], "confirmer"))
    assert Subscriber.objects.count() == 1
    assert Subscriber.objects.get().language == "fr"


def test_a_known_address_gets_the_same_answer_as_a_new_one(client, portal_site):
    Subscriber.objects.create(email="salma@example.ma", language="fr", confirmed_at="2026-01-01T00:00Z")
    known = subscribe(client, "salma@example.ma").content.decode()
    new = subscribe(client, "autre@example.ma").content.decode()
    assert "salma@example.ma" not in known
    assert known.replace("salma@example.ma", "") == new.replace("autre@example.ma", "")


def test_the_honeypot_sends_nothing_and_stores_nothing(client, portal_site):
    response = subscribe(client, website="http://spam.example")
    assert response.status_code == 200
    assert mail.outbox == [] and Subscriber.objects.count() == 0


def test_too_many_requests_from_one_address_are_refused(client, portal_site):
    for n in range(RATE_LIMIT):
        assert subscribe(client, f"p{n}@example.ma").status_code == 200
    response = subscribe(client, "encore@example.ma")
    assert response.status_code == 429
    assert len(mail.outbox) == RATE_LIMIT


@pytest.mark.parametrize(
    "data", [{"email": "pas-une-adresse", "language": "fr"}, {"email": "a@b.ma", "language": "xx"}, {}]
)
def test_bad_input_gets_a_form_error_not_a_crash(client, portal_site, data):
    response = client.post("/fr/newsletter/", data)
    assert response.status_code == 400
    assert mail.outbox == []


def test_the_footer_of_every_page_has_the_form(client, portal_site):
    html = client.get("/fr/actualites/").content.decode()
    assert 'action="/fr/newsletter/"' in html


@pytest.mark.parametrize("language", ["fr", "ar", "en", "zgh"])
def test_the_footer_form_offers_the_languages_and_subscribes(client, portal_site, language):
    """The footer form has no bound form: its choices, and the page's language chosen, come from the settings."""
    footer = client.get(f"/{language}/actualites/").content.decode().split('class="site-footer"', 1)[1]
    select = footer.split('<select id="footer-newsletter-language" name="language">', 1)[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w+)"', select) == ["fr", "ar", "en", "zgh"]
    assert re.findall(r'<option value="(\w+)" selected', select) == [language]
    # What a browser sends from it: the address, the language selected, the empty trap field.
    response = client.post(
        f"/{language}/newsletter/", {"email": "salma@example.ma", "language": language, "website": ""}
    )
    assert response.status_code == 200
    (message,) = mail.outbox
    assert f"/{language}/newsletter/" in message.body


def test_moderators_export_subscribers_as_csv_editors_cannot(client, portal_site):
    Subscriber.objects.create(email="a@example.ma", language="ar", confirmed_at="2026-01-01T00:00Z")
    Subscriber.objects.create(email="b@example.ma", language="fr", confirmed_at="2026-02-01T00:00Z")
    client.force_login(make_user("editrice", EDITORS))
    assert client.get("/admin/snippets/portal/subscriber/?export=csv").status_code in (302, 403)
    client.force_login(make_user("moderateur", MODERATORS))
    response = client.get("/admin/snippets/portal/subscriber/?export=csv&language=ar")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(row["email"], row["language"], row["status"]) for row in rows] == [
        ("a@example.ma", "ar", "subscribed")
    ]
    unsubscribe = rows[0]["unsubscribe_url"]
    assert unsubscribe.startswith("http://127.0.0.1:8000/ar/newsletter/desinscription/")
    # The exported link works.
    client.logout()
    client.post(unsubscribe.removeprefix("http://127.0.0.1:8000"))
    assert Subscriber.objects.get(email="a@example.ma").status == "unsubscribed"


@DATABASE_TASKS
def test_a_mail_server_that_is_down_holds_no_one_up_and_the_mail_is_sent_once_it_is_back(
    client, portal_site, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    # The visitor's request only queues the mail: the answer does not wait for the mail server.
    response = subscribe(client)
    assert response.status_code == 200 and mail.outbox == []
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    work_the_queues()
    assert mail.outbox == [] and Subscriber.objects.count() == 0
    # Tried again later (portal.core.tasks.retried), when the server answers again.
    monkeypatch.undo()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    work_the_queues()
    (message,) = mail.outbox
    assert message.subject == "Confirmez votre inscription à la lettre MoroccoTech"
    assert link_in(message, "confirmer")

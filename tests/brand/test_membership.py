"""A member's life after the application form (#27): the decision, updates, freshness, erasure.

Every step goes through the pages a founder opens (the links in their mails)
and the admin views a moderator uses; the mails are read from Django's outbox
as a founder would read them.
"""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from lxml import html as lxml_html
from wagtail.models import Locale, Revision, WorkflowState

from brand.membership import freshness
from brand.models import City, DeclineReason, Sector, StartupApplication, StartupPage
from portal.sitewide.editorial import EDITORS, MODERATORS
from portal.sitewide.translations import ensure_translations
from tests.conftest import make_user

APPLY = "/fr/startups/rejoindre/"
T0 = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


@pytest.fixture
def people(portal_site):
    return {
        "editor": make_user("relectrice", EDITORS),
        "moderator": make_user("moderatrice", MODERATORS),
    }


def signed_in(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def application_data(language="fr", **overrides):
    data = {
        "startup_name": "Atlas Irrigation",
        "pitch": "Des vannes connectées qui arrosent selon l'humidité du sol.",
        "description": "Nous équipons les exploitations du Souss de vannes pilotées à distance.\n"
        "L'équipe compte huit personnes à Agadir.",
        "website": "https://atlas-irrigation.example",
        "city": City.objects.get(slug="agadir", locale__language_code=language).pk,
        "sectors": [Sector.objects.get(slug="agritech", locale__language_code=language).pk],
        "founded_year": 2022,
        "stage": "seed",
        "team_size": "1-10",
        "founder_name": "Nadia Tazi",
        "email": "nadia@atlas-irrigation.example",
        "phone": "",
        "consent": "on",
        "company_fax": "",
    }
    data.update(overrides)
    return data


def apply(client, language="fr", **overrides):
    response = client.post(f"/{language}/startups/rejoindre/", application_data(language, **overrides))
    assert response.status_code == 200, response.content.decode()[:2000]
    return StartupApplication.objects.get(startup_name=overrides.get("startup_name", "Atlas Irrigation"))


def submit_admin_form(client, url, form_id, action=None, **changes):
    """Send an admin form as the browser would: every field as the page shows it, some changed."""
    page = client.get(url)
    assert page.status_code == 200, url
    form = lxml_html.fromstring(page.content).get_element_by_id(form_id)
    values = [(name, value) for name, value in form.form_values() if name not in changes]
    values += list(changes.items())
    if action:
        values.append((action, action))  # a button sends its name and its value
    data = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return client.post(url, data)


def publish_in_admin(client, page):
    response = submit_admin_form(client, f"/admin/pages/{page.pk}/edit/", "page-edit-form", "action-publish")
    assert response.status_code == 302, response.content.decode()[:3000]


def approve_current_task(client, page):
    state = WorkflowState.objects.active().get(object_id=str(page.pk))
    task_state = state.current_task_state
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert response.status_code in (200, 302), response.content.decode()[:2000]


def founder_form(response):
    """The page's own form (the header's search and the footer's newsletter forms aside)."""
    return lxml_html.fromstring(response.content).xpath("//main//article//form[@method='post']")[0]


def as_submitted(form, **changes):
    """What the browser would send for `form`, with some fields changed."""
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    data.update({name: value if isinstance(value, list) else [value] for name, value in changes.items()})
    return data


def links_in(message):
    return re.findall(r"https?://[^\s\"<>]+", message.body)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def link_to(message, kind):
    pattern = {"update": "/membres/fiche/", "confirm": "/membres/confirmer/", "erase": "/membres/donnees/"}[kind]
    (url,) = {u for u in links_in(message) if pattern in u}
    return path_of(url)


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def live_page(application):
    return StartupPage.objects.get(pk=application.page_id)


def test_the_whole_cycle_from_application_to_an_approved_update(client, portal_site, people):
    founder = "nadia@atlas-irrigation.example"
    with time_machine.travel(T0, tick=False):
        application = apply(client)
        page = application.page
        assert not page.live and application.language == "fr"

        # The moderator publishes the draft in the admin: the application is accepted.
        publish_in_admin(signed_in(people["moderator"]), page)
        application.refresh_from_db()
        assert application.status == "approved" and application.decided_at == T0

    (accepted,) = mails_to(founder)
    assert accepted.subject == "Votre startup rejoint MoroccoTech"
    page_url = live_page(application).url
    assert any(path_of(u) == page_url for u in links_in(accepted))
    html_body, mimetype = accepted.alternatives[0]
    assert mimetype == "text/html" and 'lang="fr"' in html_body and "Mettre à jour la fiche" in html_body
    update_link = link_to(accepted, "update")

    shown = client.get(page_url).content.decode()
    assert "Fiche vérifiée le" in shown and "2 mars 2026" in shown
    assert "Série A" not in shown and founder not in shown

    later = T0 + datetime.timedelta(days=5)  # within the link's days
    with time_machine.travel(later, tick=False):
        # The founder opens the link: the form holds what the public page shows.
        form_page = client.get(update_link)
        assert form_page.status_code == 200
        form = founder_form(form_page)
        values = dict(form.form_values())
        assert values["startup_name"] == "Atlas Irrigation" and values["stage"] == "seed"
        assert "huit personnes" in values["description"]
        response = client.post(
            update_link, as_submitted(form, stage="series_a", note="Nous avons levé notre série A.")
        )
        assert response.status_code == 200
        assert "transmis à l’équipe MoroccoTech" in response.content.decode()

        # A draft revision in the workflow; the live page as it was.
        live = live_page(application)
        assert live.stage == "seed" and live.has_unpublished_changes
        assert live.get_latest_revision_as_object().stage == "series_a"
        assert WorkflowState.objects.active().filter(object_id=str(live.pk)).exists()
        assert "Série A" not in client.get(page_url).content.decode()

        # The moderators are told, with Wagtail's comparison of the two versions.
        (notice,) = [m for m in mail.outbox if "Mise à jour proposée" in m.subject]
        compare = path_of(next(u for u in links_in(notice) if "/revisions/compare/" in u))
        assert "série A" in notice.body
        comparison = signed_in(people["moderator"]).get(compare)
        assert comparison.status_code == 200
        assert "Série A" in comparison.content.decode()

        # The link served once.
        assert client.get(update_link).status_code == 400

    approved_on = later + datetime.timedelta(days=2)
    with time_machine.travel(approved_on, tick=False):
        approve_current_task(signed_in(people["editor"]), live)  # second reading
        assert StartupPage.objects.get(pk=live.pk).stage == "seed"  # still the live one
        approve_current_task(signed_in(people["moderator"]), live)  # the moderator publishes

    live = live_page(application)
    assert live.stage == "series_a" and live.verified_at == approved_on
    shown = client.get(page_url).content.decode()
    assert "Série A" in shown and "9 mars 2026" in shown
    # Nothing sent twice: one acceptance mail whatever happened after.
    assert [m.subject for m in mails_to(founder)] == ["Votre startup rejoint MoroccoTech"]


def test_an_update_applies_only_what_the_founder_changed_onto_an_editors_draft(client, portal_site, people):
    application = apply(client)
    page = application.page
    page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    link = link_to(mails_to(application.email)[0], "update")
    # An editor's draft in progress changes the pitch.
    draft = live_page(application).get_latest_revision_as_object()
    draft.pitch = "Un pitch retravaillé par l'équipe éditoriale."
    draft.save_revision(user=people["editor"])

    form = founder_form(client.get(link))
    assert dict(form.form_values())["pitch"] == application.page.pitch  # the public version
    assert client.post(link, as_submitted(form, team_size="11-50")).status_code == 200

    latest = live_page(application).get_latest_revision_as_object()
    assert (latest.team_size, latest.pitch) == ("11-50", "Un pitch retravaillé par l'équipe éditoriale.")
    assert Revision.objects.filter(object_id=str(page.pk)).count() == 4


def test_an_update_that_changes_nothing_confirms_the_profile(client, portal_site, people):
    with time_machine.travel(T0, tick=False):
        application = apply(client)
        application.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    link = link_to(mails_to(application.email)[0], "update")
    revisions = Revision.objects.filter(object_id=str(application.page_id)).count()
    with time_machine.travel(T0 + datetime.timedelta(days=3), tick=False):
        form = founder_form(client.get(link))
        response = client.post(link, as_submitted(form))
    assert "Rien n’a changé" in response.content.decode()
    assert Revision.objects.filter(object_id=str(application.page_id)).count() == revisions
    assert live_page(application).verified_at == T0 + datetime.timedelta(days=3)


@pytest.fixture
def translated(portal_site):
    ensure_translations(portal_site["home"], portal_site)
    return portal_site


def decline_in_admin(client, application, reason, message=""):
    return submit_admin_form(
        client,
        f"/admin/snippets/brand/startupapplication/edit/{application.pk}/",
        "w-editor-form",
        status="rejected",
        decline_reason=str(reason.pk),
        decision_message=message,
    )


def test_a_declined_application_is_told_in_its_language_with_the_reason_once(client, translated, people):
    application = apply(client, language="ar", startup_name="Sahara Data")
    assert application.language == "ar"
    reason = DeclineReason.objects.get(title="Dossier incomplet", locale__language_code="fr")
    moderator = signed_in(people["moderator"])

    # Each reason is offered once, as written in French; the mail takes its translation.
    edit = moderator.get(f"/admin/snippets/brand/startupapplication/edit/{application.pk}/")
    options = lxml_html.fromstring(edit.content).xpath("//select[@name='decline_reason']/option[@value!='']")
    assert sorted(o.text_content() for o in options) == sorted(
        DeclineReason.objects.filter(locale__language_code="fr").values_list("title", flat=True)
    )
    assert len(options) == 4

    # Declining needs a reason.
    response = submit_admin_form(
        moderator,
        f"/admin/snippets/brand/startupapplication/edit/{application.pk}/",
        "w-editor-form",
        status="rejected",
    )
    assert (
        response.status_code == 200 and "Choisissez la raison que lira le fondateur" in response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == "pending" and not mails_to(application.email)

    response = decline_in_admin(moderator, application, reason, "Nous attendons une démonstration du produit.")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "rejected" and application.decided_at is not None
    assert not StartupPage.objects.filter(title="Sahara Data").exists()  # the draft is gone

    (declined,) = mails_to("nadia@atlas-irrigation.example")
    arabic = reason.get_translation(reason.locale.__class__.objects.get(language_code="ar"))
    assert declined.subject == "ترشيحكم لدى MoroccoTech"
    assert arabic.text in declined.body and "Nous attendons une démonstration du produit." in declined.body
    assert 'lang="ar" dir="rtl"' in declined.alternatives[0][0]
    assert "/ar/membres/donnees/" in link_to(declined, "erase")

    # Saving it again sends nothing more.
    decline_in_admin(moderator, application, reason)
    assert len(mails_to("nadia@atlas-irrigation.example")) == 1
    history = moderator.get(f"/admin/snippets/brand/startupapplication/history/{application.pk}/")
    assert "E-mail envoyé au fondateur : refus (ar)" in history.content.decode()


def test_links_that_expired_were_used_were_tampered_with_or_name_another_startup_are_refused(
    client, portal_site, people
):
    with time_machine.travel(T0, tick=False):
        first = apply(client)
        other = apply(client, startup_name="Rif Robotics", email="omar@rif.example")
        for application in (first, other):
            application.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    link = link_to(mails_to(first.email)[0], "update")
    page_id, token = re.match(r"/fr/membres/fiche/(\d+)/([^/]+)/", link).groups()

    with time_machine.travel(T0 + datetime.timedelta(days=8), tick=False):
        expired = client.get(link)
    assert expired.status_code == 400 and "a expiré" in expired.content.decode()

    with time_machine.travel(T0 + datetime.timedelta(days=1), tick=False):
        tampered = link.replace(token, token[:-3] + ("abc" if not token.endswith("abc") else "xyz"))
        assert client.get(tampered).status_code == 400
        cross = f"/fr/membres/fiche/{other.page_id}/{token}/"
        assert client.get(cross).status_code == 400
        assert client.post(cross, {"startup_name": "Pris"}).status_code == 400
        wrong_purpose = f"/fr/membres/confirmer/{page_id}/{token}/"
        assert client.get(wrong_purpose).status_code == 400
        assert client.get(link).status_code == 200
        # Used once (a confirmation from it), refused after.
        confirm = client.get(link)
        assert confirm.status_code == 200
        form = founder_form(confirm)
        assert client.post(link, as_submitted(form)).status_code == 200
        reused = client.get(link)
        assert reused.status_code == 400 and "a déjà servi" in reused.content.decode()
    assert live_page(other).title == "Rif Robotics"


def test_the_yearly_reminder_then_the_stale_flag(client, portal_site, people):
    with time_machine.travel(T0, tick=False):
        application = apply(client)
        application.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    mail.outbox.clear()
    page_url = live_page(application).url

    with time_machine.travel(T0 + datetime.timedelta(days=364), tick=False):
        assert freshness.review()["reminded"] == 0
    assert not mail.outbox

    with time_machine.travel(T0 + datetime.timedelta(days=366), tick=False):
        assert freshness.review()["reminded"] == 1
        assert freshness.review()["reminded"] == 0  # a second round the same day sends nothing
    (reminder,) = mail.outbox
    assert reminder.subject == "Votre fiche MoroccoTech est-elle toujours à jour ?"
    confirm = link_to(reminder, "confirm")
    assert link_to(reminder, "update")

    # Not confirmed within the grace period: flagged and no longer featured.
    flagged_on = T0 + datetime.timedelta(days=freshness.REVIEW_DAYS + freshness.GRACE_DAYS + 1)
    with time_machine.travel(flagged_on, tick=False):
        freshness.review()
        moderator = signed_in(people["moderator"])
        dashboard = moderator.get("/admin/").content.decode()
        assert "Fiches de startups à revérifier" in dashboard and "Atlas Irrigation" in dashboard
        stale = moderator.get("/admin/snippets/brand/startupapplication/?state=stale").content.decode()
        assert "Atlas Irrigation" in stale
        home = client.get("/fr/").content.decode()
        assert "Atlas Irrigation" not in home
        # The link expired meanwhile: a new one is one click away on the refusal page.
        assert client.get(confirm).status_code == 400

    # The founder confirms from a fresh reminder link.
    StartupApplication.objects.filter(pk=application.pk).update(reminded_at=None)
    with time_machine.travel(flagged_on + datetime.timedelta(hours=1), tick=False):
        freshness.review()
        confirm = link_to(mail.outbox[-1], "confirm")
        assert "Oui, la fiche est à jour" in client.get(confirm).content.decode()
        assert client.post(confirm).status_code == 200
        assert "Atlas Irrigation" in client.get("/fr/").content.decode()
        moderator = signed_in(people["moderator"])
        assert (
            "Atlas Irrigation"
            not in moderator.get("/admin/snippets/brand/startupapplication/?state=stale").content.decode()
        )
    assert live_page(application).verified_at == flagged_on + datetime.timedelta(hours=1)
    assert "2 mai 2027" in client.get(page_url).content.decode()


def test_a_founder_erases_their_personal_data_and_the_company_page_stays(client, portal_site, people):
    application = apply(client)
    application.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    mail.outbox.clear()

    # Asking: the same answer for a known and an unknown address.
    unknown = client.post("/fr/membres/donnees/", {"email": "personne@example.ma"})
    known = client.post("/fr/membres/donnees/", {"email": "NADIA@atlas-irrigation.example"})
    assert unknown.status_code == known.status_code == 200
    assert "un lien pour confirmer l’effacement" in known.content.decode()
    (erase_mail,) = mail.outbox
    erase = link_to(erase_mail, "erase")
    assert [path_of(url) for url in links_in(erase_mail)] == [erase]  # no other link in it

    assert client.post(erase).status_code == 200
    application.refresh_from_db()
    assert (application.founder_name, application.email, application.phone) == ("", "", "")
    assert application.erased_at is not None and application.startup_name == "Atlas Irrigation"
    assert client.get(live_page(application).url).status_code == 200
    assert client.get(erase).status_code == 400
    # Nobody is written to any more, and the history does not keep the address.
    mail.outbox.clear()
    client.post(f"/fr/membres/fiche/{application.page_id}/", {})
    assert not mail.outbox
    moderator = signed_in(people["moderator"])
    history = moderator.get(f"/admin/snippets/brand/startupapplication/history/{application.pk}/")
    assert history.status_code == 200 and "nadia@" not in history.content.decode()


def test_asking_for_an_update_link_from_the_public_page(client, portal_site, people):
    application = apply(client)
    application.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    mail.outbox.clear()
    page = live_page(application)
    shown = client.get(page.url).content.decode()
    ask = f"/fr/membres/fiche/{page.pk}/"
    assert f'href="{ask}"' in shown

    response = client.get(ask)
    assert response.status_code == 200 and application.email not in response.content.decode()
    response = client.post(ask)
    assert response.status_code == 200 and application.email not in response.content.decode()
    (sent,) = mail.outbox
    assert sent.to == [application.email] and link_to(sent, "update")

    # No flood of a founder's inbox, from one connection or many.
    for n in range(2):
        assert client.post(ask, REMOTE_ADDR=f"10.1.0.{n}").status_code == 200
    assert client.post(ask, REMOTE_ADDR="10.1.0.9").status_code == 429
    assert len(mail.outbox) == 3
    # A draft or unknown startup has no such page.
    assert client.get("/fr/membres/fiche/999999/").status_code == 404


def test_asking_from_a_translation_of_the_startup_reaches_its_founder(client, translated, people):
    application = apply(client)
    application.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    english = live_page(application).copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    mail.outbox.clear()
    shown = client.get(english.url).content.decode()
    assert f'href="/en/membres/fiche/{english.pk}/"' in shown
    assert client.post(f"/en/membres/fiche/{english.pk}/").status_code == 200
    (sent,) = mail.outbox
    # To the founder, in the language of their application, for the page they applied with.
    assert sent.to == [application.email] and sent.subject.startswith("Votre lien")
    assert f"/fr/membres/fiche/{application.page_id}/" in link_to(sent, "update")


def test_the_moderators_list_filters_and_exports(client, portal_site, people):
    pending = apply(client, startup_name="=HYPERLINK(1)")
    accepted = apply(client, startup_name="Atlas Irrigation")
    accepted.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    moderator = signed_in(people["moderator"])
    listing = "/admin/snippets/brand/startupapplication/"

    to_review = moderator.get(listing, {"state": "to_review"}).content.decode()
    assert "=HYPERLINK(1)" in to_review and "Atlas Irrigation" not in to_review
    full = moderator.get(listing).content.decode()
    assert "acceptation" in full  # the last mail sent, in the moderator's (French) admin

    export = moderator.get(listing, {"export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode()
    header, *rows = text.strip().splitlines()
    assert header.startswith("startup_name,status,language,founder_name,email")
    assert any(row.startswith("'=HYPERLINK(1)") for row in rows)
    assert any("nadia@atlas-irrigation.example" in row and ",accepted," in row for row in rows)
    assert len(rows) == 2 and any(row.startswith(f"'{pending.startup_name}") for row in rows)


def test_only_a_publish_accepts_and_an_accepted_application_cannot_be_declined(client, portal_site, people):
    application = apply(client)
    moderator = signed_in(people["moderator"])
    url = f"/admin/snippets/brand/startupapplication/edit/{application.pk}/"
    response = submit_admin_form(moderator, url, "w-editor-form", status="approved")
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "pending" and not mails_to(application.email)

    application.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    reason = DeclineReason.objects.filter(locale__language_code="fr").first()
    response = decline_in_admin(moderator, application, reason)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "approved" and live_page(application).live


def test_hostile_input_on_the_founders_pages_is_a_clear_answer(client, portal_site, people):
    application = apply(client)
    application.page.save_revision(user=people["moderator"]).publish(user=people["moderator"])
    link = link_to(mails_to(application.email)[0], "update")
    form = founder_form(client.get(link))
    hostile = as_submitted(
        form, startup_name="Atlas\x00Irrigation", sectors=["1e9", "\x00"], founded_year="99999999999999999999"
    )
    response = client.post(link, hostile)
    assert response.status_code == 400
    assert live_page(application).get_latest_revision_as_object().title == "Atlas Irrigation"
    for url in (
        "/fr/membres/fiche/1/%00/",
        "/fr/membres/donnees/" + "a" * 5000 + "/",
        "/fr/membres/confirmer/1/x/",
    ):
        assert client.get(url).status_code in (400, 404)
    assert client.post("/fr/membres/donnees/", {"email": "x\x00@example.ma"}).status_code == 400

"""No path around moderation: whatever an editor does, the public site waits for a moderator (#21)."""

import pytest
from django.contrib.auth.models import Group
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import GroupCollectionPermission, Locale, ReferenceIndex
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from brand.models import Organisation
from portal.news.factories import ArticlePageFactory
from portal.news.models import ArticlePage
from portal.sitewide.editorial import EDITORS, MODERATORS, SecondReaderTask
from tests.conftest import make_user


@pytest.fixture
def roles(portal_site):
    return {
        "editor": make_user("editrice", EDITORS),
        "second": make_user("relecteur", EDITORS),
        "moderator": make_user("moderateur", MODERATORS),
    }


# --- translations -------------------------------------------------------------


def test_translate_this_page_makes_a_draft_and_the_arabic_news_keeps_the_french_card(client, multilingual):
    editor = make_user("traductrice", EDITORS)
    article = ArticlePage.objects.filter(locale__language_code="fr").live().first()
    arabic = Locale.objects.get(language_code="ar")
    client.force_login(editor)
    response = client.post(f"/admin/localize/submit/page/{article.pk}/", {"locales": [arabic.pk]})
    assert response.status_code == 302
    translated = ArticlePage.objects.get(translation_key=article.translation_key, locale=arabic)
    assert not translated.live  # a draft: not live, and not in French on /ar/
    client.logout()
    html = client.get("/ar/actualites/").content.decode()
    # The French card, labelled as French, as before the translation began.
    card = html[: html.index(f'href="{article.url}"')].rsplit("<article", 1)[1]
    assert 'lang="fr"' in card
    assert client.get(f"/ar/actualites/{translated.slug}/").status_code in (404, 302)


@pytest.fixture
def english_translation(multilingual):
    """A live English translation of an article, published by a moderator."""
    article = ArticlePage.objects.filter(locale__language_code="fr").live().first()
    english = Locale.objects.get(language_code="en")
    source, _created = TranslationSource.get_or_create_from_instance(article)
    translation = Translation.objects.create(source=source, target_locale=english)
    translation.save_target(publish=True)
    page = ArticlePage.objects.get(translation_key=article.translation_key, locale=english)
    # The editor rewrites the English title in the translation editor.
    title = source.stringsegment_set.get(context__path="title")
    StringTranslation.objects.create(
        translation_of=title.string, locale=english, context=title.context, data="A title nobody approved"
    )
    return {"article": article, "page": page, "source": source}


def test_an_editor_cannot_publish_translations_through_sync(client, english_translation):
    page = english_translation["page"]
    editor = make_user("traductrice", EDITORS)
    client.force_login(editor)
    url = f"/admin/localize/update/{english_translation['source'].pk}/"
    response = client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title != "A title nobody approved"
    client.logout()
    assert "A title nobody approved" not in client.get(page.url).content.decode()


def test_a_moderator_publishes_translations_through_sync(client, english_translation):
    page = english_translation["page"]
    client.force_login(make_user("moderatrice", MODERATORS))
    response = client.post(
        f"/admin/localize/update/{english_translation['source'].pk}/", {"publish_translations": "on"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "A title nobody approved"


# --- the second reading -------------------------------------------------------


def submitted_by(author, parent):
    article = ArticlePageFactory(parent=parent, live=False, title="Soumis à relecture")
    article.save_revision(user=author)
    state = article.get_workflow().start(article, author)
    return article, state


def test_the_author_cannot_give_the_second_reading(client, roles, portal_site):
    article, state = submitted_by(roles["editor"], portal_site["news"])
    task_state = state.current_task_state
    assert isinstance(task_state.task.specific, SecondReaderTask)
    url = f"/admin/pages/workflow/action/{article.pk}/approve/{task_state.pk}/"
    client.force_login(roles["editor"])
    assert client.post(url).status_code in (302, 403)  # Wagtail turns a refusal into a redirect
    state.refresh_from_db()
    assert state.current_task_state.pk == task_state.pk  # still waiting for a second reader
    assert not SecondReaderTask.objects.get().get_task_states_user_can_moderate(roles["editor"]).exists()
    client.force_login(roles["second"])
    assert client.post(url).status_code in (200, 302)
    state.refresh_from_db()
    assert state.current_task_state.task.specific.groups.get().name == MODERATORS
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_the_author_of_the_last_revision_cannot_give_it_either(roles, portal_site):
    article, state = submitted_by(roles["editor"], portal_site["news"])
    article.title = "Retouché par le relecteur"
    article.save_revision(user=roles["second"])
    task = state.current_task_state.task.specific
    assert task.get_actions(article, roles["second"]) == []
    assert task.get_actions(article, make_user("troisieme", EDITORS))


def test_an_existing_workflow_gets_the_rule_without_losing_its_pages(roles, portal_site):
    from wagtail.models import GroupApprovalTask, WorkflowTask

    from portal.sitewide.editorial import SECOND_READING, ensure_editorial_roles

    # A workflow as setup_portal made it before: a plain group approval, a page waiting at it.
    link = WorkflowTask.objects.get(task__name=SECOND_READING, task__active=True)
    old = GroupApprovalTask.objects.create(name=SECOND_READING)
    old.groups.set([Group.objects.get(name=EDITORS)])
    WorkflowTask.objects.filter(pk=link.pk).update(task=old)
    article, state = submitted_by(roles["editor"], portal_site["news"])
    assert state.current_task_state.task.pk == old.pk
    ensure_editorial_roles()
    state.refresh_from_db()
    task = state.current_task_state.task.specific
    assert isinstance(task, SecondReaderTask)
    assert task.get_actions(article, roles["editor"]) == []
    assert task.get_actions(article, roles["second"])


# --- organisations --------------------------------------------------------------


def organisation_form(organisation, **changes):
    data = {
        "name": organisation.name,
        "acronym": organisation.acronym,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "city": organisation.city,
        "country": organisation.country,
        "website": organisation.website,
        "description": organisation.description,
        "aliases": organisation.aliases,
        "logo": "",
    }
    data.update(changes)
    return data


def test_an_editors_change_to_an_organisation_waits_for_a_moderator(client, roles, portal_site):
    organisation = Organisation.objects.get(slug="apebi", locale__language_code="fr")
    url = f"/admin/snippets/brand/organisation/edit/{organisation.pk}/"
    public = "/fr/moroccotech/organisations/apebi/"
    assert "Nom jamais validé" not in client.get(public).content.decode()
    client.force_login(roles["editor"])
    response = client.post(url, organisation_form(organisation, name="Nom jamais validé"))
    assert response.status_code == 302
    # An editor cannot publish it, even by asking.
    client.post(url, {**organisation_form(organisation, name="Nom jamais validé"), "action-publish": "publish"})
    client.logout()
    assert "Nom jamais validé" not in client.get(public).content.decode()
    assert Organisation.objects.get(pk=organisation.pk).name != "Nom jamais validé"
    assert "Nom jamais validé" not in client.get("/api/v2/organisations/?fields=name&limit=100").content.decode()
    client.force_login(roles["moderator"])
    response = client.post(
        url, {**organisation_form(organisation, name="Nom validé"), "action-publish": "publish"}
    )
    assert response.status_code == 302
    client.logout()
    assert "Nom validé" in client.get(public).content.decode()


def test_an_organisation_an_editor_creates_is_not_public_until_published(client, roles, portal_site):
    client.force_login(roles["editor"])
    data = organisation_form(Organisation(kind="association", country="Maroc"), name="Collectif brouillon",
                             slug="collectif-brouillon", acronym="", city="", website="", description="", aliases="")  # fmt: skip
    data["locale"] = Locale.get_default().pk
    response = client.post("/admin/snippets/brand/organisation/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Organisation.objects.get(slug="collectif-brouillon").live
    client.logout()
    assert client.get("/fr/moroccotech/organisations/collectif-brouillon/").status_code == 404
    assert "Collectif brouillon" not in client.get("/fr/moroccotech/organisations/").content.decode()
    assert "Collectif brouillon" not in client.get("/api/v2/organisations/?limit=100&fields=name").content.decode()


# --- images and documents -------------------------------------------------------


def test_editors_upload_and_choose_images_but_do_not_manage_the_library(portal_site):
    granted = set(
        GroupCollectionPermission.objects.filter(group__name=EDITORS).values_list(
            "permission__codename", flat=True
        )
    )
    assert granted == {"add_image", "choose_image", "add_document", "choose_document"}


def image_used_by_a_live_article(owner, parent):
    image = get_image_model().objects.create(title="Photo", file=get_test_image_file(), uploaded_by_user=owner)
    article = ArticlePageFactory(parent=parent, social_image=image)
    ReferenceIndex.create_or_update_for_object(article)  # a background task in production
    return image


def test_an_editor_cannot_replace_or_delete_an_image_a_live_page_shows(client, roles, portal_site):
    image = image_used_by_a_live_article(roles["editor"], portal_site["news"])
    client.force_login(roles["editor"])
    client.post(f"/admin/images/{image.pk}/delete/")
    assert get_image_model().objects.filter(pk=image.pk).exists()
    original = image.file.name
    client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "Photo",
            "file": get_test_image_file(filename="autre.png", colour="red"),
            "collection": image.collection_id,
        },
    )
    assert get_image_model().objects.get(pk=image.pk).file.name == original


def test_an_editor_can_delete_an_unused_image_of_theirs_and_a_moderator_any(client, roles, portal_site):
    unused = get_image_model().objects.create(
        title="Essai", file=get_test_image_file(), uploaded_by_user=roles["editor"]
    )
    client.force_login(roles["editor"])
    assert client.post(f"/admin/images/{unused.pk}/delete/").status_code == 302
    assert not get_image_model().objects.filter(pk=unused.pk).exists()
    used = image_used_by_a_live_article(roles["editor"], portal_site["news"])
    client.force_login(roles["moderator"])
    assert client.post(f"/admin/images/{used.pk}/delete/").status_code == 302
    assert not get_image_model().objects.filter(pk=used.pk).exists()


def test_an_organisation_goes_through_the_same_workflow_as_pages(client, roles, portal_site):
    organisation = Organisation.objects.get(slug="apebi", locale__language_code="fr")
    url = f"/admin/snippets/brand/organisation/edit/{organisation.pk}/"
    client.force_login(roles["editor"])
    assert "action-submit" in client.get(url).content.decode()  # "Submit for moderation" is offered
    response = client.post(
        url, {**organisation_form(organisation, name="Nom relu deux fois"), "action-submit": "1"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    state = organisation.current_workflow_state
    assert state is not None and state.requested_by == roles["editor"]
    assert organisation.name != "Nom relu deux fois"
    # The author cannot give the second reading; another editor can, then a moderator publishes.
    task = state.current_task_state.task.specific
    assert task.get_actions(organisation, roles["editor"]) == []
    task.on_action(state.current_task_state, roles["second"], "approve")
    state.refresh_from_db()
    state.current_task_state.task.specific.on_action(state.current_task_state, roles["moderator"], "approve")
    organisation.refresh_from_db()
    assert organisation.name == "Nom relu deux fois" and organisation.live
    client.logout()
    assert "Nom relu deux fois" in client.get("/fr/moroccotech/organisations/apebi/").content.decode()

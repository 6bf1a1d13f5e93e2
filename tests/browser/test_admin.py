"""The admin's article import, as an editor does it in a real browser (issue #23)."""

from pathlib import Path

from tests.browser import EDITOR_PASSWORD, EDITOR_USERNAME

CORPUS = Path(__file__).parent.parent / "portal" / "news" / "corpus"
FILES = ["fr_quotidien_incubateur.txt", "ar_nile_ecommerce.txt", "en_sahel_ghana_health.html"]


def test_an_editor_uploads_previews_and_creates_drafts(server, browser, artifacts):
    # An English browser: the admin still speaks French to a new editor (their account may choose otherwise).
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    page.goto(server["base_url"] + "/admin/login/")
    page.fill("input[name=username]", EDITOR_USERNAME)
    page.fill("input[name=password]", EDITOR_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.screenshot(path=str(artifacts / "admin-dashboard.png"), full_page=True)

    page.click("text=Importer des articles")
    page.wait_for_url("**/admin/articles/import/")
    page.set_input_files("input[name=files]", [str(CORPUS / name) for name in FILES])
    page.screenshot(path=str(artifacts / "admin-import-form.png"), full_page=True)
    page.click("button:has-text('Analyser')")
    page.wait_for_url("**/admin/articles/import/*-*/")
    page.screenshot(path=str(artifacts / "admin-import-preview.png"), full_page=True)
    table = page.inner_text("table.listing")
    assert "Casablanca : un incubateur public ouvre ses portes" in table
    assert "منصة مصرية للتجارة الإلكترونية تفتح سوقا جديدة في المغرب" in table
    assert "Sahel Ventures Review" in table and "2024-02-27" in table
    # The Egyptian outlet's page names no source publication: the editor is told to check it.
    assert table.count("aucune publication source dans le fichier ni dans le manifeste") == 1

    page.click("button:has-text('Créer 3 brouillons')")
    page.wait_for_url("**/admin/articles/import/runs/*/")
    page.screenshot(path=str(artifacts / "admin-import-record.png"), full_page=True)
    links = page.locator("table.listing a")
    assert links.count() == 3
    links.first.click()
    page.wait_for_url("**/admin/pages/*/edit/")
    page.screenshot(path=str(artifacts / "admin-import-draft.png"), full_page=True)
    assert "voir son compte rendu" in page.content()
    page.close()

"""The admin in a real browser: the article import (issue #23), text in its own direction (#24)."""

import io
from pathlib import Path

from PIL import Image

from tests.browser import EDITOR_PASSWORD, EDITOR_USERNAME

CORPUS = Path(__file__).parent.parent / "portal" / "news" / "corpus"
FILES = ["fr_quotidien_incubateur.txt", "ar_nile_ecommerce.txt", "en_sahel_ghana_health.html"]


def editor_logged_in(server, browser, locale):
    """A page of the admin's dashboard, the editor logged in from a browser in `locale`."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale=locale)
    page.goto(server["base_url"] + "/admin/login/")
    page.fill("input[name=username]", EDITOR_USERNAME)
    page.fill("input[name=password]", EDITOR_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_an_editor_uploads_previews_and_creates_drafts(server, browser, artifacts):
    # An English browser: the admin still speaks French to a new editor (their account may choose otherwise).
    page = editor_logged_in(server, browser, "en-US")
    page.screenshot(path=str(artifacts / "admin-dashboard.png"), full_page=True)

    page.click("text=Importer des articles")
    page.wait_for_url("**/admin/articles/import/")
    page.set_input_files("input[name=files]", [str(CORPUS / name) for name in FILES])
    page.screenshot(path=str(artifacts / "admin-import-form.png"), full_page=True)
    page.click("button:has-text('Analyser')")
    page.wait_for_url("**/admin/articles/import/*-*/")
    # The task worker reads the files; the waiting page looks again every 2 s until the preview is there.
    page.wait_for_selector("table.listing", timeout=30_000)
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


def ink_margins(png):
    """Blank columns left and right of the text drawn in a screenshot of a field."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    # The field's border and focus ring are left out: only the inside is read.
    inside = image.crop((6, 6, width - 6, height - 6))
    columns = [x for x in range(inside.width) if min(inside.getpixel((x, y)) for y in range(inside.height)) < 100]
    return columns[0], inside.width - 1 - columns[-1]


def test_a_title_runs_in_its_own_direction_whatever_the_admins_language(server, browser, artifacts):
    page = editor_logged_in(server, browser, "fr-FR")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.goto(server["base_url"] + "/admin/snippets/brand/organisation/add/")
    field = page.locator("#id_name")
    # In the French admin, an Arabic name starts at the field's right end (portal/static/portal/css/admin.css)...
    field.fill("وكالة التنمية الرقمية")
    page.locator("body").click(position={"x": 5, "y": 5})  # no caret in the picture
    left, right = ink_margins(field.screenshot())
    page.screenshot(
        path=str(artifacts / "admin-arabic-title.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 600}
    )
    assert right < 40 < left, (left, right)
    # ...and a French one at its left end.
    field.fill("Agence de Développement du Digital")
    page.locator("body").click(position={"x": 5, "y": 5})
    left, right = ink_margins(field.screenshot())
    assert left < 40 < right, (left, right)
    page.close()


def settled_slug(page):
    """The slug once Wagtail has stopped rewriting it: it follows the title as it is typed,
    a little behind, further behind on a loaded machine (CI read it half-written once)."""
    page.wait_for_function("() => document.querySelector('#id_slug').value !== ''")
    value = page.input_value("#id_slug")
    for _ in range(40):
        page.wait_for_timeout(250)
        again = page.input_value("#id_slug")
        if again == value:
            return value
        value = again
    return value


def test_the_admin_suggests_an_ascii_address_as_the_title_is_typed(server, browser, artifacts):
    page = editor_logged_in(server, browser, "fr-FR")
    # A new article, from the admin's article list: its one possible parent is chosen for the editor.
    page.goto(server["base_url"] + "/admin/articles/choose_parent/")
    page.wait_for_selector("#id_title")
    suggested = {}
    for title in ("Lancement publié à Rabat", "إطلاق منصة رقمية"):
        page.fill("#id_title", "")
        page.locator("#id_title").press_sequentially(title)
        page.locator("#id_title").blur()
        suggested[title] = settled_slug(page)
    page.screenshot(
        path=str(artifacts / "admin-ascii-slug.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 700}
    )
    page.close()
    assert suggested["Lancement publié à Rabat"] == "lancement-publie-a-rabat"
    # Arabic letters are transliterated: the address is ASCII, and not empty.
    arabic = suggested["إطلاق منصة رقمية"]
    assert arabic.isascii() and len(arabic) > 5, arabic

"""A founder's update form in a real browser, French and Arabic (#27): readable, accessible, and it works."""

import pytest

from tests.browser.test_pages import axe_violations, open_page

THANKS = {
    "fr": "Vos changements sont enregistrés",
    "ar": "سُجّلت تغييراتكم",
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_founder_updates_the_profile_from_the_link(server, browser, axe_source, artifacts, language):
    # On a phone first: the screenshot a founder opening the mail on the go sees.
    phone = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 780}, locale=language)
    try:
        page = open_page(phone, server, language, "member_update")
        page.screenshot(path=artifacts / f"founder-update-{language}-360.png", full_page=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"the form is {width} px wide on a 360 px screen"
    finally:
        phone.close()

    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale=language)
    try:
        page = open_page(context, server, language, "member_update")
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        # The public data, ready to change; the founder's address is not on the page.
        assert page.input_value("#id_startup_name")
        assert "@example.ma" not in page.content()
        assert axe_violations(page, axe_source) == []
        page.screenshot(path=artifacts / f"founder-update-{language}.png", full_page=True)

        # Another stage than the one shown: a change for the moderators to review.
        current = page.input_value("#id_stage")
        options = page.eval_on_selector_all("#id_stage option", "options => options.map(o => o.value)")
        page.select_option("#id_stage", next(value for value in options if value and value != current))
        page.fill("#id_note", "Nouvelle étape franchie." if language == "fr" else "تجاوزنا مرحلة جديدة.")
        page.click("article form.form button[type=submit]")
        page.wait_for_load_state("load")
        status = page.locator("[role=status]")
        assert THANKS[language] in status.inner_text()
        assert axe_violations(page, axe_source) == []
        page.screenshot(path=artifacts / f"founder-update-{language}-sent.png", full_page=True)

        # The link served once: opening it again says so, in the founder's language.
        again = page.goto(page.url, wait_until="load")
        assert again.status == 400
        assert axe_violations(page, axe_source) == []
    finally:
        context.close()

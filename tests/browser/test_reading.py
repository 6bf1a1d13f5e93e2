"""Reading an article in a real browser (#26): line length, the side column, a phone, print."""

import statistics

import pytest

from tests.browser.test_pages import open_page

# Characters on each full line of the article's longest paragraph (the last line is partial).
LINE_LENGTHS = """
() => {
  const paragraphs = [...document.querySelectorAll('.prose p')];
  const p = paragraphs.sort((a, b) => b.textContent.length - a.textContent.length)[0];
  const lines = new Map();
  const range = document.createRange();
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      const top = Math.round(box.top / 4);
      lines.set(top, (lines.get(top) || 0) + 1);
    }
  }
  const counts = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(entry => entry[1]);
  return counts.slice(0, -1);
}
"""


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_article_reads_in_lines_of_60_to_75_characters_with_its_side_column(
    server, browser, artifacts, language
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
    try:
        page = open_page(context, server, language, "article")
        lines = page.evaluate(LINE_LENGTHS)
        assert len(lines) >= 3, lines
        assert 60 <= statistics.median(lines) <= 75, lines
        article = page.locator("article.article").bounding_box()
        column = page.locator("aside.article-aside").bounding_box()
        # Beside the text, on its end side: the right in French, the left in Arabic.
        if language == "ar":
            assert column["x"] + column["width"] <= article["x"]
        else:
            assert column["x"] >= article["x"] + article["width"]
        assert page.locator(".share-links a").count() == 5
        page.screenshot(path=artifacts / f"article-reading-{language}.png", full_page=True)

        # Printed: the text and its source, not the site's navigation or the sharing links.
        page.emulate_media(media="print")
        for hidden in (".site-footer", ".site-header nav", ".article-aside__share", ".breadcrumbs"):
            if page.locator(hidden).count():
                assert page.locator(hidden).first.evaluate("e => getComputedStyle(e).display") == "none", hidden
        assert page.locator(".prose").first.is_visible()
    finally:
        context.close()

    phone = browser.new_context(viewport={"width": 360, "height": 780}, locale=language)
    try:
        page = open_page(phone, server, language, "article")
        article = page.locator("article.article").bounding_box()
        column = page.locator("aside.article-aside").bounding_box()
        assert column["y"] >= article["y"] + article["height"]  # below the text on a phone
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        page.screenshot(path=artifacts / f"article-reading-{language}-360.png", full_page=True)
    finally:
        phone.close()


# What the article's first load weighs on a phone, once every picture in view has arrived.
FIRST_LOAD_BUDGET = 200 * 1024
LAYOUT_SHIFT = """
() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})
"""


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_article_with_its_lead_image_loads_under_200_kb_on_a_phone_and_nothing_shifts(
    server, browser, artifacts, language
):
    # A new context: nothing in the browser's cache, as for a first visit.
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, locale=language)
    try:
        page = context.new_page()
        received = []
        page.on("requestfinished", lambda request: received.append(request))
        url = server["base_url"] + server["urls"][language]["article"]
        assert page.goto(url, wait_until="networkidle").status == 200
        image = page.locator("figure.lead-image img")
        # The photo arrived, in a rendition the browser chose for a 360 px screen at 2×, not the 1 MB upload.
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        chosen = image.evaluate("img => img.currentSrc")
        assert "/media/images/" in chosen and "format-webp" in chosen and "fill-800x450" in chosen, chosen
        assert image.get_attribute("alt")
        weight = 0
        for request in received:
            sizes = request.sizes()
            weight += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        assert weight < FIRST_LOAD_BUDGET, f"{weight / 1024:.0f} KB in {len(received)} requests"
        assert page.evaluate(LAYOUT_SHIFT) < 0.01
        page.screenshot(path=artifacts / f"article-phone-{language}.png", full_page=True)
    finally:
        context.close()

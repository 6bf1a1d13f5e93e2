"""Saved web pages (.html): the article found by trafilatura, then our own rules.

trafilatura reads what the page's markup says (headline, <time>, schema.org
JSON-LD, Open Graph, rel="author") and classifies its blocks into main text
and boilerplate; our rules then judge the result like a text file's: chrome
phrases dropped, the first paragraph as the standfirst, dates validated.

No guessing: the date comes from the page's markup only (htmldate's extensive
search, which reads dates out of free text and copyright lines, is off), and
what trafilatura does not find stays empty.
"""

import trafilatura

from portal.news.importers.dates import DateError, parse_date
from portal.news.importers.parser import (
    BYLINE_ONLY,
    ArticleParseError,
    Block,
    ParsedArticle,
    author_from_signature,
    clean_author,
    is_chrome,
    is_lead_prose,
    match_dateline,
)

HTML_SUFFIXES = {".html", ".htm"}
DATE_PARAMS = {"extensive_search": False, "original_date": True}


def looks_like_html(text):
    head = text.lstrip()[:500].casefold()
    return head.startswith(("<!doctype html", "<html")) or ("<head" in head and "<body" in text.casefold())


def _blocks(body, title):
    """(kind, text) for each block of trafilatura's XML body."""
    for element in body.iterchildren():
        text = " ".join(" ".join(element.itertext()).split())
        if not text:
            continue
        if element.tag == "head":
            if text != title:  # the headline is the title, not a heading of the body
                yield "heading", text
        elif element.tag == "quote":
            yield "quote", text
        elif element.tag == "list":
            for item in element.iterchildren("item"):
                item_text = " ".join(" ".join(item.itertext()).split())
                if item_text:
                    yield "paragraph", item_text
        elif element.tag in ("p", "div"):
            yield "paragraph", text


def header_fields(blocks):
    """Take the dateline and byline paragraphs that come before the text out of `blocks`.

    A page whose markup has no <time> or metadata may still print "Publié le
    4 avril 2024" above the text: the same rules as for text files read it.
    """
    found = {}
    while blocks and blocks[0].type == "paragraph" and not is_lead_prose(blocks[0].text):
        text = blocks[0].text
        dateline = match_dateline(text)
        if dateline:
            parts, error = dateline
            found.setdefault("published", parts.get("published"))
            if error:
                found.setdefault("date_error", error)
            if parts.get("author"):
                found.setdefault("author", clean_author(parts["author"]))
        elif BYLINE_ONLY.match(text) and author_from_signature(text):
            found.setdefault("author", author_from_signature(text))
        else:
            break
        blocks.pop(0)
    return found


def _published(value):
    if not value:
        return None, None
    try:
        return parse_date(value), None
    except DateError as error:
        return None, str(error)


def parse_html(text):
    """Parse a saved web page. Raises ArticleParseError if it holds no article."""
    document = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_tables=False,
        include_formatting=False,
        date_extraction_params=DATE_PARAMS,
    )
    if document is None or document.body is None:
        raise ArticleParseError("no recognisable article body in the web page")
    title = " ".join((document.title or "").split()) or None
    blocks = [Block(kind, value) for kind, value in _blocks(document.body, title) if not is_chrome(value)]
    header = header_fields(blocks)
    lead = next((b for b in blocks if b.type == "paragraph"), None)
    if lead is None:
        raise ArticleParseError("no recognisable article body in the web page")
    article = ParsedArticle(
        title=title,
        standfirst=lead.text,
        source=(document.sitename or "").strip() or None,
        author=clean_author(document.author) if document.author else None,
        body=[b for b in blocks if b is not lead],
    )
    article.published, article.date_error = _published(document.date)
    # What the markup does not say, a dateline or byline paragraph above the text may.
    if article.published is None and article.date_error is None:
        article.published, article.date_error = header.get("published"), header.get("date_error")
    article.author = article.author or header.get("author")
    article.original_url = document.url or None
    return article

"""Separating a scraped article from the site chrome around it.

Scrapers keep everything on the page: menus, social links, tickers of other
headlines, report-abuse boxes, "read more" links, audio-player banners. The
rules here are general, so that they hold for outlets this repository has
never seen:

- Position. When the file has a dateline ("Publié dans X le ...", "Rédigé par
  X le ...", "Par X | ...", a date alone on its line), the title is the
  title-shaped line just above it and everything above the title is header
  chrome. Without one, everything before the first real sentence of prose is
  header chrome, and the title is left for the manifest: the parser never
  invents a value. Everything after the last paragraph of prose is footer
  chrome, except a signature line right after it.
- Shape. A ticker is a line of several headlines joined by runs of spaces or
  separators; a line of nothing but punctuation is a separator; menus and
  social links are short lines of a few capitalised words with no sentence in
  them; prose ends with sentence punctuation.
- A short list of generic boilerplate phrases (call-to-action links, share
  buttons, report-abuse boxes) catches chrome that sits inside the article.

Parsing is pure: text in, ParsedArticle out, so tests call it directly.
"""

import re
from dataclasses import dataclass, field

from portal.core.text_matching import fold
from portal.news.importers.dates import DateError, parse_date

PARSER_VERSION = "2"

TERMINAL = ".!?…؟»\"”)'’"
SENTENCE_END = re.compile(r"[.!?…؟](?:\s*[»\"”')’])*\s*$")
QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“", "‘": "’"}

# Generic boilerplate, matched against the accent-folded, lower-cased line.
# These are the phrases of news-site templates in French and English, not the
# lines of any particular file.
BOILERPLATE = [
    r"^(menu|accueil|home|fermer|close|rechercher|recherche|search|imprimer|print|partager|share|"
    r"suivant|precedent|next|previous|retour|back|commentaires?|comments?|publicite|advertisement|"
    r"sponsorise|sponsored|abonnez-vous|subscribe|newsletter|connexion|login|se connecter)\s*:?$",
    r"\bcliquez ici\b",
    r"\bclick here\b",
    r"^(a )?lire (aussi|egalement|la suite|plus)\b",
    r"^voir (aussi|plus)\b",
    r"^(read|see) (more|also)\b",
    r"^dans la meme (rubrique|categorie)\b",
    r"^(articles?|posts?) (similaires|lies|connexes|related|recents)\b",
    r"^related (articles|posts|stories)\b",
    r"retour en haut\b|back to top\b|haut de (la )?page\b",
    r"\baudio player\b|\blecteur audio\b|ecouter (cet |l')?article|listen to this article",
    r"^merci d'avoir signale",
    r"sera automatiquement bloquee",
    r"signaler (un abus|cette image|ce contenu)|report (abuse|this)",
    r"^lire gratuitement\b|notre journal en pdf",
    r"^(tags?|mots[- ]cles|keywords)\s*:",
    r"^(partager|share)( sur| on)?\b.{0,40}$",
    r"^(suivez|follow)[- ]nous\b",
    r"^copyright\b|^©|tous droits reserves|all rights reserved",
    r"\bcookies?\b.*\b(accepter|accept)\b",
    # A byline prefix with no name after it, a photo credit, a breadcrumb.
    r"^(par|by|auteur|author|بقلم|كتب|كتبت)\s*:?$",
    r"^(photo|photos|credit photo|credits? photos?|image|illustration|photo credit)\s*:",
    r"^(accueil|home|الرئيسية)\s*[>»›/]",
    # When the scraper saved the page: never a publication date.
    r"^(page )?(enregistree|consultee?|archivee?|capturee?|sauvegardee?|recuperee?) le\b",
    r"^(page )?(saved|retrieved|accessed|archived|captured|crawled)( on| at)?\b",
    r"^(subscribe|sign up|inscrivez-vous|abonnez-vous|je m'inscris|je m’inscris)\b.{0,60}$",
    r"^(les plus lus|most read|popular|trending|a la une)\s*:?$",
    r"^(temps de lecture|duree de lecture|lecture|reading time|مدة القراءة)\s*:?\s*\d+\s*(min|minutes?|دقائق|دقيقة)\b",
    r"^\d+\s*(min|minutes?)\s*(de lecture|read|reading)$",
    r"^(save|saved|enregistrer|sauvegarder|bookmark|حفظ)$",
    r"^commentaires? \(\d+\)$|^comments? \(\d+\)$|^lu \d+ fois$",
    # Arabic: read also, share, follow us, all rights reserved, related topics, most read.
    r"^اقرا (ايضا|كذلك)|^شارك|^(تابعونا|تابعنا)|جميع الحقوق محفوظة|^مواضيع ذات صلة|"
    r"^(اخبار|مقالات) ذات صلة|^الاكثر (قراءة|مشاهدة)|^(التعليقات|اعلان)\s*:?$",
]
BOILERPLATE_RE = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE))

SOCIAL_NETWORKS = {
    "facebook", "twitter", "x", "youtube", "youtube channel", "instagram", "linkedin",
    "whatsapp", "telegram", "tiktok", "pinterest", "snapchat", "threads", "email", "e-mail",
    "rss", "messenger", "google news", "flipboard",
    "فيسبوك", "تويتر", "يوتيوب", "انستغرام", "انستجرام", "لينكدان", "واتساب", "تيليغرام", "تلغرام",
}  # fmt: skip

# Where the article ends: what follows is the outlet's footer, however long
# its sentences ("Get our daily briefing in your inbox.").
END_MARKERS_RE = re.compile(
    r"^(subscribe to|abonnez-vous a|inscrivez-vous a|recevez (chaque|notre|nos|toute)|newsletter\b|"
    r"related( posts| stories| articles)?\s*:?$|articles similaires|dans la meme rubrique|les plus lus|"
    r"(sur|dans) le meme (sujet|theme)|مواضيع ذات صلة|(اخبار|مقالات) ذات صلة|الاكثر قراءة|"
    r"commentaires? \(\d+\)|comments? \(\d+\))"
)

# "Abidjan Tech © 2025", "Le Site (c) 2024": the name before the sign.
COPYRIGHT_AFTER_RE = re.compile(
    r"^(?P<name>[^©|·.]{2,60}?)\s*(?:©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*$", re.IGNORECASE
)

# "Source : MAP", "المصدر: ...": the outlet or agency the text comes from.
SOURCE_LINE_RE = re.compile(r"^(?:source|المصدر)\s*:\s*(?P<name>[^.|·–—]{2,60}?)\.?$", re.IGNORECASE)

# "Lire aussi" alone on its line announces the headline of another article, on the next line.
SEE_ALSO_RE = re.compile(
    r"^((a )?lire (aussi|egalement)|voir aussi|read (more|also)|see also|اقرا (ايضا|كذلك))\s*:?$"
)

# A copyright line in the footer names the outlet: "© 2024 Rabat Tribune. All rights reserved."
COPYRIGHT_RE = re.compile(
    r"^(?:جميع الحقوق محفوظة\s*)?(?:(?:©|\(c\)|copyright)\s*:?\s*)+"
    r"(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>[^.|·–—]+?)\s*(?:$|[.|·–—,]\s*)",
    re.IGNORECASE,
)

NAME_PARTICLES = {
    "de", "du", "des", "d'", "d’", "el", "al", "ben", "bin", "bent", "la", "le", "van", "von",
    "da", "di", "ait", "ou", "ibn", "abou", "abu",
}  # fmt: skip

# The words that introduce a journalist's name, in French, English and Arabic:
# one list for bylines alone on their line and for signatures.
BYLINE_WORDS = (
    r"(?:par|by|propos recueillis par|r[ée]dig[ée]e? par|[ée]crite? par|un article de|auteur|autrice|"
    r"author|written by|words by|reported by|story by|بقلم|كتبت|كتب|بواسطة|الكاتب|الكاتبة|إعداد|تقرير)"
)
BYLINE_PREFIX = re.compile(rf"^{BYLINE_WORDS}\s*:?\s+", re.IGNORECASE)

# Datelines, tried in order on lines of the header. Each gives a date and may
# give the author or the source.
DATELINES = [
    re.compile(r"^publi[ée]e?\s+dans\s+(?P<source>.+?)\s+le\s+(?P<date>.+)$", re.IGNORECASE),
    re.compile(r"^نشرت?\s+في\s+(?P<source>.+?)\s+يوم\s+(?P<date>.+)$"),
    re.compile(r"^publi[ée]e?\s+le\s+(?P<date>.+?)\s+par\s+(?P<author>.+)$", re.IGNORECASE),
    re.compile(r"^(?:published|posted)\s+on\s+(?P<date>.+?)\s+by\s+(?P<author>.+)$", re.IGNORECASE),
    re.compile(
        r"^(?:r[ée]dig[ée]e?|[ée]crite?|publi[ée]e?|post[ée]e?)\s+par\s+(?P<author>.+?)"
        r",?\s+le\s+(?P<date>.+)$",
        re.IGNORECASE,
    ),
    re.compile(r"^par\s+(?P<author>[^|–—]+?)\s*(?:[|–—]|\s-\s|,?\s+le\s)\s*(?P<date>.+)$", re.IGNORECASE),
    re.compile(r"^by\s+(?P<author>[^|–—]+?)\s*(?:[|–—]|\s-\s|,|\s+on\s)\s*(?P<date>.+)$", re.IGNORECASE),
    re.compile(
        r"^(?:publi[ée]e?|mis\s+[àa]\s+jour|mise\s+[àa]\s+jour|post[ée]e?)\s+le\s*:?\s*(?P<date>.+)$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:published|posted|updated)(?:\s+on)?\s*:?\s*(?P<date>.+)$", re.IGNORECASE),
    re.compile(r"^(?:نشرت?|تاريخ النشر|بتاريخ)\s*(?:في|:)?\s*(?P<date>.+)$"),
    re.compile(
        r"^(?:آخر تحديث|اخر تحديث|تم التحديث|derni[èe]re mise [àa] jour)\s*(?:في|:|le)?\s*(?P<date>.+)$",
        re.IGNORECASE,
    ),
    # A date alone, or a date followed by a time, an update and a reading time.
    re.compile(r"^(?:le\s+)?(?P<date>.{6,200})$", re.IGNORECASE),
]
# A dateline that only says when the page was last changed: the publication date is elsewhere.
UPDATE_LINE = re.compile(
    r"^(?:mis\s+[àa]\s+jour|mise\s+[àa]\s+jour|derni[èe]re mise [àa] jour|updated|last updated|actualis[ée]|"
    r"modifi[ée]|تم التحديث|آخر تحديث|اخر تحديث)",
    re.IGNORECASE,
)
BYLINE_ONLY = re.compile(rf"^{BYLINE_WORDS}\s*:?\s+(?P<author>.{{2,80}})$", re.IGNORECASE)
# A wire-service dateline opening the lead: "ABIDJAN, 4 mars 2025 (Agence) –", "RABAT, March 3, 2025 -".
WIRE_DATELINE = re.compile(
    r"^[A-ZÀ-Ý][A-ZÀ-Ý'’. -]{1,30}(?:\s*\([^)]{1,30}\))?,\s+(?P<date>[^–—(]{6,40}?)\s*(?:\(|–|—|\s-\s)"
)

MIN_LEAD_WORDS = 10  # the first sentence of an article is never a three-word link
MAX_TITLE_CHARS = 250
MAX_HEADING_CHARS = 120
MAX_QUESTION_CHARS = 300


class ArticleParseError(Exception):
    """The file holds no article; the message says why."""


@dataclass
class Block:
    type: str  # "paragraph", "heading" or "quote"
    text: str

    def as_dict(self):
        return {"type": self.type, "text": self.text}


@dataclass
class ParsedArticle:
    title: str | None = None
    standfirst: str | None = None
    published: object = None  # datetime.date
    source: str | None = None
    author: str | None = None
    body: list[Block] = field(default_factory=list)
    date_error: str | None = None  # a dateline whose date cannot be true
    notes: list[str] = field(default_factory=list)
    original_url: str | None = None  # a saved web page's canonical address


def words(text):
    return re.findall(r"[\w’'-]+", text)


def segments(raw_line):
    return [s for s in re.split(r"\s{3,}|\t+|\s+[|•·]\s+", raw_line.strip()) if s.strip()]


def starts_with_date(line):
    try:
        text = LEADING_TIME.sub("", line.strip())
        return parse_date(re.sub(r"^(?:le|يوم)\s+", "", text, flags=re.IGNORECASE)) is not None
    except DateError:
        return True


def is_ticker(raw_line):
    """Several headlines on one line, or a menu: items joined by runs of spaces or separators.

    A line that starts with a date is a dateline, however many parts it has
    ("29.08.2018 à 19 H 37 • Mis à jour le … • Temps de lecture : 8 minutes").
    """
    parts = segments(raw_line)
    if len(parts) < 3 or ends_sentence(raw_line):
        return False
    is_menu = all(len(words(part)) <= 4 for part in parts)
    # "Accra, Ghana | March 10, 2025 | By Efua Asante": a dateline in segments, not a menu.
    return (len(raw_line) > 80 or is_menu) and not any(starts_with_date(part) for part in parts)


def is_separator(line):
    return not any(c.isalnum() for c in line)


def is_social(line):
    return fold(line).strip(" :") in SOCIAL_NETWORKS


def is_boilerplate(line):
    # The length first: paragraphs of prose never pay for the search.
    return len(line) < 200 and bool(BOILERPLATE_RE.search(fold(line)))


def is_chrome(raw_line):
    line = raw_line.strip()
    return is_separator(line) or is_social(line) or is_boilerplate(line) or is_ticker(raw_line)


def ends_sentence(line):
    return bool(SENTENCE_END.search(line))


def is_prose(line, min_words=4):
    return ends_sentence(line) and len(words(line)) >= min_words and not is_boilerplate(line)


def is_lead_prose(line):
    """The first sentence of an article: a real sentence, not a banner ending in '...'."""
    stripped = line.rstrip()
    return is_prose(line, MIN_LEAD_WORDS) and not stripped.endswith(("...", "…")) and not stripped.endswith("?")


def is_title_shaped(line):
    n = len(words(line))
    return (
        2 <= n <= 40
        and len(line) <= MAX_TITLE_CHARS
        and not line.rstrip().endswith((":", ","))
        and not is_chrome(line)
        and not is_lead_prose(line)
    )


def is_caseless(text):
    """Written in a script without capitals (Arabic): names cannot be told by their case."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.isupper() or c.islower() for c in letters)


def is_name(text, caseless=False):
    """A person's name as a signature gives it: "Amine ATER", "Mariama Ndoye".

    In a script without capitals, a name can only be told by its place (the
    caller says so with `caseless`): two to four words and nothing else.
    """
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or len(text) > 60 or any(c.isdigit() for c in text):
        return False
    if is_caseless(text):
        return caseless and len(tokens) <= 4 and all(re.fullmatch(r"[^\W\d_]+", t) for t in tokens)
    capitalised = 0
    for token in tokens:
        if fold(token) in NAME_PARTICLES:
            continue
        if not re.fullmatch(r"[^\W\d_][\w.'’-]*", token) or not token[0].isupper():
            return False
        capitalised += 1
    return capitalised >= 2


def author_from_signature(line):
    """The author named by a signature line, or None if the line is not one."""
    text = BYLINE_PREFIX.sub("", line.strip())
    # "Mariama Ndoye / Les Inspirations Eco": the name, then the outlet.
    name = re.split(r"\s+[/|–—-]\s+|,\s+", text)[0].strip()
    # A prefix ("Par", "بقلم") says the line is a byline, whatever the script.
    return name if is_name(name, caseless=text != line.strip()) else None


def source_from_copyright(line):
    """The outlet a footer's copyright or "Source :" line names, or None."""
    line = line.strip()
    match = COPYRIGHT_RE.match(line) or SOURCE_LINE_RE.match(line) or COPYRIGHT_AFTER_RE.match(line)
    if not match:
        return None
    name = match.group("name").strip(" :")
    if not name or fold(name) in ("dr", "droits reserves") or len(words(name)) > 6 or ends_sentence(name):
        return None
    return name


def clean_author(text):
    text = BYLINE_PREFIX.sub("", text.strip()).strip(" ,;:|-–—")
    if not text or len(text) > 120 or is_chrome(text):
        return None
    return text


# Arabic short vowels and the elongation stroke: optional in writing ("نُشر" is "نشر").
ARABIC_MARKS = re.compile(r"[\u064b-\u0652\u0670\u0640]")
# A time before the date: "4:15 AM GMT+3 • March 5, 2024", "10h30 - 12 mars 2024".
LEADING_TIME = re.compile(
    r"^\d{1,2}[:h]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:(?:gmt|utc)?[+-]\d{1,2}|[a-z]{2,4})?\s*(?:[•|,–—-]\s*)?(?=\S)",
    re.IGNORECASE,
)


def match_dateline(line):
    """(fields, error) when the line is a dateline, None otherwise."""
    if is_boilerplate(line):
        return None  # "Page enregistrée le …": when the page was saved, not published
    line = LEADING_TIME.sub("", ARABIC_MARKS.sub("", line))
    found = match_dateline_parts(line)
    if found is None and len(parts := re.split(r"\s+[|•·]\s+", line)) > 1:
        found = match_segments(parts)
    return found


def match_segments(parts):
    """A header line of segments, one of them a date: "Accra, Ghana | March 10, 2025 | By Efua Asante"."""
    dated = next((found for part in parts if (found := match_dateline_parts(part))), None)
    if dated is None:
        return None
    fields, error = dated
    byline = next((part for part in parts if BYLINE_ONLY.match(part)), None)
    if byline and not fields.get("author"):
        fields = {**fields, "author": byline}
    return fields, error


def match_dateline_parts(line):
    for pattern in DATELINES:
        match = pattern.match(line)
        if not match:
            continue
        parts = match.groupdict()
        try:
            value = parse_date(parts["date"])
        except DateError as error:
            return {"date_text": parts["date"], **parts}, str(error)
        if value is None:
            continue
        parts["published"] = value
        return parts, None
    return None


def quote_text(line):
    """The words of a paragraph that is one quotation from end to end, else None."""
    stripped = line.strip()
    if stripped.startswith(">"):
        return stripped.lstrip("> ").strip() or None
    opening = stripped[:1]
    closing = QUOTE_PAIRS.get(opening)
    if not closing or len(words(stripped)) < 8:
        return None
    body = stripped.rstrip(".").rstrip()
    if not body.endswith(closing):
        return None
    inner = body[1:-1].strip()
    # A closing mark inside means the line quotes twice with words between,
    # e.g. « ... », a-t-il dit, « ... »: a paragraph, not one quotation.
    if closing in inner or (opening != closing and opening in inner):
        return None
    return inner


def join_wrapped(lines):
    """Rejoin lines a scraper hard-wrapped inside a paragraph.

    `lines` is a list of (text, blank_before). A line continues the previous
    one when no blank line separates them, the previous one does not end a
    sentence, and this one starts in lower case.
    """
    joined = []
    for text, blank_before in lines:
        if (
            joined
            and not blank_before
            and text[:1].islower()
            and not ends_sentence(joined[-1])
            and not joined[-1].rstrip().endswith(":")
        ):
            joined[-1] = f"{joined[-1].rstrip()} {text.lstrip()}"
        else:
            joined.append(text)
    return joined


def classify(lines):
    blocks = []
    for index, line in enumerate(lines):
        text = re.sub(r"\s+", " ", line).strip()
        quoted = quote_text(text)
        has_next = index + 1 < len(lines)
        if quoted and len(quoted) > MAX_HEADING_CHARS // 2:
            blocks.append(Block("quote", quoted))
        elif has_next and text.endswith("?") and len(text) <= MAX_QUESTION_CHARS:
            # Interview questions introduce the answer that follows.
            blocks.append(Block("heading", text))
        elif (
            has_next
            and len(text) <= MAX_HEADING_CHARS
            and len(words(text)) <= 16
            and not text.endswith((".", ",", ";", ":", "!", "…"))
        ):
            blocks.append(Block("heading", text))
        else:
            blocks.append(Block("paragraph", text))
    return blocks


def mark_see_also(lines, chrome):
    """A bare "Lire aussi" announces another article's headline on the next line: both are chrome."""
    for i, line in enumerate(lines):
        if not line or not SEE_ALSO_RE.match(fold(line)):
            continue
        following = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
        if following is not None and not is_prose(lines[following]):
            chrome[following] = True


def find_datelines(lines, indexes):
    """The datelines and bylines of the header: ([(index, fields, error)], [index])."""
    datelines, bylines = [], []
    for i in indexes:
        if is_lead_prose(lines[i]):
            continue
        found = match_dateline(lines[i])
        if found:
            datelines.append((i, *found))
        elif BYLINE_ONLY.match(lines[i]) and author_from_signature(lines[i]):
            bylines.append(i)
    return datelines, bylines


def parse_article(text):
    """Parse decoded article text. Raises ArticleParseError if there is no article."""
    raw_lines = text.split("\n")
    lines = [re.sub(r"[ \t]+", " ", raw).strip() for raw in raw_lines]
    chrome = [bool(line) and is_chrome(raw) for raw, line in zip(raw_lines, lines, strict=True)]
    mark_see_also(lines, chrome)
    article = ParsedArticle()

    def content_indexes(start=0, stop=None):
        stop = len(lines) if stop is None else stop
        return [i for i in range(start, stop) if lines[i] and not chrome[i]]

    candidates = content_indexes()
    lead_positions = [i for i in candidates if is_lead_prose(lines[i])]
    if not lead_positions:
        raise ArticleParseError("no recognisable article body (no paragraph of prose)")
    # The outlet's footer starts at its first "related", "newsletter" or "comments" block.
    footer_at = next(
        (i for i in range(lead_positions[0] + 1, len(lines)) if END_MARKERS_RE.match(fold(lines[i]))), len(lines)
    )

    # The dateline sits in the header, at the latest just after the lead.
    search_limit = lead_positions[min(1, len(lead_positions) - 1)]
    datelines, bylines = find_datelines(lines, [i for i in candidates if i <= search_limit])
    header = {i for i, *_ in datelines} | set(bylines)
    # A top bar's date comes before the article's own dateline, and an update
    # after it: the publication date is the last dateline that is not an update.
    # Only an update: it still marks the header, but the publication date is not stated.
    published = [d for d in datelines if not UPDATE_LINE.match(lines[d[0]])]
    dateline_at = None
    if datelines:
        dateline_at, parts, error = (published or datelines)[-1]
        if published and error:
            article.date_error = error
        elif published:
            article.published = parts["published"]
        if parts.get("source"):
            article.source = parts["source"].strip(" :,")
        if parts.get("author"):
            article.author = clean_author(parts["author"])
    if not article.author and bylines:
        nearest = bylines[0] if dateline_at is None else min(bylines, key=lambda i: abs(i - dateline_at))
        article.author = author_from_signature(lines[nearest])
    if dateline_at is not None and not article.author:
        # A bare name between the headline and the dateline is the byline.
        above = [i for i in content_indexes(0, dateline_at) if i not in header][::-1][:2]
        if (
            len(above) == 2
            and is_name(lines[above[0]], caseless=True)
            and is_title_shaped(lines[above[1]])
            and len(words(lines[above[1]])) > len(words(lines[above[0]]))
        ):
            article.author = lines[above[0]]
            header.add(above[0])
    anchor = dateline_at if dateline_at is not None else (bylines[0] if bylines else None)

    if anchor is not None:
        body_start = anchor + 1
        # Walk up from the dateline: an optional standfirst, then the title.
        above = [i for i in content_indexes(0, anchor) if i not in header][::-1][:2]
        if above and is_lead_prose(lines[above[0]]):
            body_start = above[0]
            above = above[1:]
        if above and is_title_shaped(lines[above[0]]):
            article.title = re.sub(r"\s+", " ", lines[above[0]])
        # A headline has a few words: a two- or three-word line above the
        # dateline is the outlet's logo when a headline follows the dateline.
        below = [i for i in content_indexes(anchor + 1, lead_positions[-1]) if i not in header][:1]
        if (
            below
            and is_title_shaped(lines[below[0]])
            and len(words(lines[below[0]])) >= 4
            and (article.title is None or len(words(article.title)) < 4)
            and content_indexes(below[0] + 1)[:1] == [next(i for i in lead_positions if i > below[0])]
        ):
            article.title = re.sub(r"\s+", " ", lines[below[0]])
            header.add(below[0])
    else:
        body_start = lead_positions[0]
        # No dateline: a headline (not a section label) right above the lead is the title.
        above = content_indexes(0, body_start)[-1:]
        if above and is_title_shaped(lines[above[0]]) and len(words(lines[above[0]])) >= 4:
            article.title = re.sub(r"\s+", " ", lines[above[0]])

    body_indexes = [i for i in content_indexes(body_start, footer_at) if i not in header]
    prose = [i for i in body_indexes if is_prose(lines[i])]
    if not prose:
        raise ArticleParseError("no recognisable article body (no paragraph of prose)")
    last_prose = prose[-1]

    # A signature right after the last paragraph names the author.
    after = [i for i in range(last_prose + 1, len(lines)) if lines[i]]
    if after and not chrome[after[0]]:
        signature = author_from_signature(lines[after[0]])
        if signature and not article.author:
            article.author = signature
    # A copyright line in the footer names the outlet.
    if not article.source:
        article.source = next(filter(None, (source_from_copyright(lines[i]) for i in after)), None)

    kept = []
    for i in body_indexes:
        if i > last_prose:
            break
        blank_before = i > 0 and not lines[i - 1]
        kept.append((lines[i], blank_before))
    blocks = classify(join_wrapped(kept))

    lead = next((b for b in blocks if b.type == "paragraph"), None)
    if lead is None:
        raise ArticleParseError("no recognisable article body (no paragraph of prose)")
    article.standfirst = lead.text
    article.body = [b for b in blocks if b is not lead]
    if article.published is None and article.date_error is None:
        read_wire_dateline(article)
    return article


def read_wire_dateline(article):
    """The date of an agency dispatch, in its lead: "ABIDJAN, 4 mars 2025 (Agence) – ..."."""
    match = WIRE_DATELINE.match(article.standfirst)
    if not match:
        return
    try:
        article.published = parse_date(match.group("date"))
    except DateError as error:
        article.date_error = str(error)

"""The site search in French, English and Arabic: what a visitor types, and what comes first.

The articles below are ours, one story told in the three languages (the
English and Arabic ones are translations of the French), plus a French
article without translations, which the English and Arabic sections list
and their searches find, marked as French. Each table row is a query as a
visitor would type it (plural for singular, no accents, an elision, a
hyphen, an Arabic article or preposition, diacritics, other letter forms,
Arabic-Indic digits) and the title expected first. Run on SQLite and on
PostgreSQL (DATABASE_URL): the analysis is the portal's own, so both
databases must give the same first result.
"""

import html
import io
import re

import pytest
from django.core.management import call_command
from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, get_page_models
from wagtail.search import index

from brand.factories import StartupPageFactory
from events.factories import EventPageFactory
from portal.core.search_analysis import ANALYSIS_VERSION, SearchText
from portal.news.factories import ArticlePageFactory
from portal.news.models import NewsIndexPage
from portal.sitewide.models import SearchIndexState
from portal.sitewide.setup import ensure_search_index
from portal.sitewide.translations import ensure_translations

# (key, French title, standfirst, body; English; Arabic)
STORIES = {
    "funding": (
        ("Les start-up marocaines lèvent des fonds", "Trois jeunes pousses annoncent des tours de table.",
         "Les investisseurs privilégient la fintech et l’agritech."),
        ("Moroccan startups raise record funding", "Three young companies closed investment rounds.",
         "Investors favour fintech and agritech."),
        ("الشركات الناشئة المغربية تجمع تمويلات قياسية", "ثلاث شركات فتية أعلنت عن جولات استثمار.",
         "المستثمرون يفضلون التكنولوجيا المالية."),
    ),
    "datacentres": (
        ("L’écosystème numérique de Tanger", "La ville du détroit attire des centres de données.",
         "Des hébergeurs installent leurs serveurs près du port."),
        ("Data centres arrive in Tangier", "The city on the strait attracts hosting providers.",
         "Servers are being installed near the port."),
        ("المنظومة الرقمية في طنجة", "مدينة المضيق تستقطب مراكز البيانات.", "مزودو الاستضافة يثبتون خوادمهم قرب الميناء."),
    ),
    "ai": (
        ("Intelligence artificielle : un master ouvre à Rabat",
         "L'université forme des ingénieurs en apprentissage automatique.",
         "Les étudiants travailleront sur la reconnaissance vocale de la darija."),
        ("A new artificial intelligence master's degree in Rabat", "The university trains machine learning engineers.",
         "Students will work on speech recognition for Darija."),
        ("الذكاء الاصطناعي: ماستر جديد في الرباط", "الجامعة تكوّن مهندسين في التعلم الآلي.",
         "سيعمل الطلبة على التعرف على الكلام بالدارجة."),
    ),
    "cyber": (
        ("Cybersécurité : les banques renforcent leurs défenses", "Les attaques par rançongiciel se multiplient.",
         "Un centre d'alerte national coordonne les réponses."),
        ("Banks strengthen their cyber defences", "Ransomware attacks are multiplying.",
         "A national alert centre coordinates the response."),
        ("الأمن السيبراني: البنوك تعزز دفاعاتها", "هجمات برامج الفدية تتزايد.", "مركز وطني للإنذار ينسق الردود."),
    ),
    "ecommerce": (
        ("Le e-commerce progresse pendant le ramadan", "Les paiements mobiles doublent.",
         "Les livreurs de Marrakech recrutent."),
        ("Online shopping grows during Ramadan", "Mobile payments double.", "Delivery firms in Marrakech are hiring."),
        ("التجارة الإلكترونية تنمو خلال رمضان", "المدفوعات عبر الهاتف تتضاعف.", "شركات التوصيل في مراكش توظف."),
    ),
    "solar": (
        ("Énergies renouvelables : des capteurs connectés à Ouarzazate", "La centrale solaire surveille ses miroirs.",
         "Des drones inspectent les panneaux."),
        ("Connected sensors at the Ouarzazate solar plant", "The plant watches over its mirrors.",
         "Drones inspect the panels."),
        ("الطاقات المتجددة: أجهزة استشعار متصلة في ورزازات", "المحطة الشمسية تراقب مراياها.", "طائرات مسيرة تفحص الألواح."),
    ),
    "founders": (
        ("Les femmes entrepreneures à l'honneur", "Un programme d'accompagnement sélectionne vingt fondatrices.",
         "Mentorat, formation et réseau."),
        ("Women founders in the spotlight", "A support programme selects twenty founders.",
         "Mentoring, training and a network."),
        ("رائدات الأعمال في الواجهة", "برنامج مواكبة يختار عشرين مؤسسة.", "توجيه وتكوين وشبكة علاقات."),
    ),
    "telemedicine": (
        ("Télémédecine dans les régions rurales", "Des consultations à distance pour les villages de l'Atlas.",
         "Les médecins utilisent des tablettes."),
        ("Telemedicine reaches rural villages", "Remote consultations for the villages of the Atlas.",
         "Doctors use tablets."),
        ("الطب عن بعد في المناطق القروية", "استشارات عن بعد لقرى الأطلس.", "الأطباء يستعملون لوحات رقمية."),
    ),
    "hackathon": (
        ("Agadir accueille un hackathon sur l'eau", "Les équipes imaginent des outils d'irrigation économe.",
         "Le jury récompense une application de goutte-à-goutte."),
        ("Agadir hosts a water hackathon", "Teams design tools for thrifty irrigation.",
         "The jury rewards a drip irrigation app."),
        ("أكادير تحتضن هاكاثون حول الماء", "الفرق تتخيل أدوات للري المقتصد.", "لجنة التحكيم تكافئ تطبيقا للري بالتنقيط."),
    ),
    "cloud": (
        ("Le cloud souverain en débat", "Les administrations veulent héberger leurs données au Maroc.",
         "Un cadre juridique est attendu."),
        ("The sovereign cloud debate", "Public bodies want to keep their records in Morocco.",
         "A legal framework is expected."),
        ("نقاش حول السحابة السيادية", "الإدارات تريد استضافة بياناتها في المغرب.", "إطار قانوني منتظر."),
    ),
    "robotics": (
        ("Robotique : des lycéens champions", "Une équipe de Fès remporte la compétition.",
         "Leur robot trie les déchets."),
        ("High school robotics champions", "A team from Fez wins the competition.", "Their robot sorts waste."),
        ("الروبوتات: تلاميذ أبطال", "فريق من فاس يفوز بالمسابقة.", "الروبوت الذي صنعوه يفرز النفايات."),
    ),
    "games": (
        ("Les jeux vidéo, une industrie naissante", "Des studios de Casablanca exportent leurs créations.",
         "L'édition 2026 du festival réunit les développeurs."),
        ("Video games, an emerging industry", "Casablanca studios export their creations.",
         "The 2026 festival brings developers together."),
        ("ألعاب الفيديو صناعة ناشئة", "استوديوهات الدار البيضاء تصدر إبداعاتها.", "دورة ٢٠٢٦ من المهرجان تجمع المطورين."),
    ),
}  # fmt: skip
# French only: the English and Arabic sections list it, and their searches find it.
UNTRANSLATED = (
    "Logistique : les entrepôts automatisés de Tanger Med",
    "Les plateformes portuaires s'équipent de chariots autonomes.",
    "Les exportateurs gagnent une journée.",
)
BRAND_PAGE = "MoroccoTech"
STARTUP = "Dirham Flow"
EVENT = "Salon de l'agriculture connectée de Meknès"


def title(key, language):
    return STORIES[key][{"fr": 0, "en": 1, "ar": 2}[language]][0]


FRENCH = [
    ("startup", title("funding", "fr")),
    ("start-up", title("funding", "fr")),
    ("startups", title("funding", "fr")),
    ("Start-ups marocaines", title("funding", "fr")),
    ("investisseur", title("funding", "fr")),
    ("écosystème", title("datacentres", "fr")),
    ("ecosysteme", title("datacentres", "fr")),
    ("l'écosystème", title("datacentres", "fr")),
    ("centres de données", title("datacentres", "fr")),
    ("intelligence artificielle", title("ai", "fr")),
    ("ingénieur", title("ai", "fr")),
    ("apprentissage automatique", title("ai", "fr")),
    ("darija", title("ai", "fr")),
    ("cybersécurité", title("cyber", "fr")),
    ("CYBERSECURITE", title("cyber", "fr")),
    ("rançongiciels", title("cyber", "fr")),
    ("banque", title("cyber", "fr")),
    ("ecommerce", title("ecommerce", "fr")),
    ("e-commerce", title("ecommerce", "fr")),
    ("paiement mobile", title("ecommerce", "fr")),
    ("énergie renouvelable", title("solar", "fr")),
    ("capteur connecté", title("solar", "fr")),
    ("Ouarzazate", title("solar", "fr")),
    ("entrepreneure", title("founders", "fr")),
    ("fondatrice", title("founders", "fr")),
    ("télémédecine", title("telemedicine", "fr")),
    ("consultation à distance", title("telemedicine", "fr")),
    ("hackathons", title("hackathon", "fr")),
    ("irrigation", title("hackathon", "fr")),
    ("goutte-à-goutte", title("hackathon", "fr")),
    ("cloud souverain", title("cloud", "fr")),
    ("juridique", title("cloud", "fr")),
    ("lycéen", title("robotics", "fr")),
    ("déchet", title("robotics", "fr")),
    ("studio", title("games", "fr")),
    ("entrepôt automatisé", UNTRANSLATED[0]),
    ("piliers", BRAND_PAGE),
    ("Dirham Flow", STARTUP),
    ("Meknès", EVENT),
]

ENGLISH = [
    ("startup", title("funding", "en")),
    ("start-up", title("funding", "en")),
    ("funds", title("funding", "en")),
    ("investment rounds", title("funding", "en")),
    ("data centre", title("datacentres", "en")),
    ("Tangier", title("datacentres", "en")),
    ("hosting provider", title("datacentres", "en")),
    ("artificial intelligence", title("ai", "en")),
    ("engineer", title("ai", "en")),
    ("degrees", title("ai", "en")),
    ("bank", title("cyber", "en")),
    ("defence", title("cyber", "en")),
    ("ransomware", title("cyber", "en")),
    ("shopping", title("ecommerce", "en")),
    ("mobile payment", title("ecommerce", "en")),
    ("hire", title("ecommerce", "en")),
    ("sensor", title("solar", "en")),
    ("connecting sensors", title("solar", "en")),
    ("solar", title("solar", "en")),
    ("founder", title("founders", "en")),
    ("spotlight", title("founders", "en")),
    ("mentor", title("founders", "en")),
    ("telemedicine", title("telemedicine", "en")),
    ("village", title("telemedicine", "en")),
    ("consultation", title("telemedicine", "en")),
    ("hackathons", title("hackathon", "en")),
    ("irrigate", title("hackathon", "en")),
    ("sovereign", title("cloud", "en")),
    ("clouds", title("cloud", "en")),
    ("robotic", title("robotics", "en")),
    ("champion", title("robotics", "en")),
    ("video game", title("games", "en")),
    ("emerging industries", title("games", "en")),
    ("studio", title("games", "en")),
    ("entrepôts", UNTRANSLATED[0]),
    ("Tanger Med", UNTRANSLATED[0]),
]

ARABIC = [
    ("الشركات الناشئة", title("funding", "ar")),
    ("شركات ناشئة", title("funding", "ar")),
    ("شركة ناشئة", title("funding", "ar")),
    ("تمويل", title("funding", "ar")),
    ("المستثمر", title("funding", "ar")),
    ("المنظومة الرقمية", title("datacentres", "ar")),
    ("طنجة", title("datacentres", "ar")),
    ("طنجه", title("datacentres", "ar")),
    ("مراكز البيانات", title("datacentres", "ar")),
    ("الذكاء الاصطناعي", title("ai", "ar")),
    ("الذَّكَاءُ الاِصْطِنَاعِيُّ", title("ai", "ar")),
    ("مهندس", title("ai", "ar")),
    ("الدارجة", title("ai", "ar")),
    ("الامن السيبراني", title("cyber", "ar")),
    ("بنوك", title("cyber", "ar")),
    ("الفدية", title("cyber", "ar")),
    ("التجارة الإلكترونية", title("ecommerce", "ar")),
    ("التجاره الالكترونيه", title("ecommerce", "ar")),
    ("رمضان", title("ecommerce", "ar")),
    ("مراكش", title("ecommerce", "ar")),
    ("طاقة متجددة", title("solar", "ar")),
    ("ورزازات", title("solar", "ar")),
    ("استشعار", title("solar", "ar")),
    ("رائدة أعمال", title("founders", "ar")),
    ("رائدات الأعمال", title("founders", "ar")),
    ("الطب عن بعد", title("telemedicine", "ar")),
    ("القروية", title("telemedicine", "ar")),
    ("هاكاثون", title("hackathon", "ar")),
    ("اكادير", title("hackathon", "ar")),
    ("الري بالتنقيط", title("hackathon", "ar")),
    ("السحابة السيادية", title("cloud", "ar")),
    ("والسحابة", title("cloud", "ar")),
    ("الروبوتات", title("robotics", "ar")),
    ("روبوت", title("robotics", "ar")),
    ("فاس", title("robotics", "ar")),
    ("ألعاب الفيديو", title("games", "ar")),
    ("المطورين", title("games", "ar")),
    ("2026", title("games", "ar")),
    ("Tanger Med", UNTRANSLATED[0]),
]


def article(parent, texts, locale, translation_key=None):
    headline, standfirst, body = texts
    extra = {"translation_key": translation_key} if translation_key else {}
    return ArticlePageFactory(
        parent=parent,
        locale=locale,
        title=headline,
        standfirst=standfirst,
        body=[("paragraph", f"<p>{body}</p>")],
        source_name="MoroccoTech",
        author="Rédaction",
        **extra,
    )


@pytest.fixture
def stories(portal_site):
    ensure_translations(portal_site["home"], portal_site)
    news = {page.locale.language_code: page for page in NewsIndexPage.objects.select_related("locale")}
    locales = {code: Locale.objects.get(language_code=code) for code in ("fr", "en", "ar")}
    for french, english, arabic in STORIES.values():
        original = article(news["fr"], french, locales["fr"])
        article(news["en"], english, locales["en"], original.translation_key)
        article(news["ar"], arabic, locales["ar"], original.translation_key)
    article(news["fr"], UNTRANSLATED, locales["fr"])
    StartupPageFactory(parent=portal_site["StartupIndexPage"], title=STARTUP, pitch="Le paiement des commerçants.")
    EventPageFactory(parent=portal_site["EventIndexPage"], title=EVENT, summary="Trois jours de démonstrations.")
    # The test settings index nothing on save (AUTO_UPDATE): the index is built as setup_portal builds it.
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    return portal_site


def first_results(client, language, query):
    """The results shown on the visitor's page: [(title, lang attribute of the title or "")]."""
    response = client.get(f"/{language}/recherche/", {"q": query})
    assert response.status_code == 200
    listing = response.content.decode().split('<ol class="search-results">', 1)
    if len(listing) == 1:
        return []
    titles = re.findall(r'<h2(?: lang="(\w+)"[^>]*)?><a href="[^"]*">(.*?)</a></h2>', listing[1], re.S)
    return [(html.unescape(re.sub(r"</?mark>", "", text)), lang) for lang, text in titles]


def misses(client, language, table):
    wrong = []
    for query, expected in table:
        results = first_results(client, language, query)
        if not results or results[0][0] != expected:
            wrong.append((query, expected, [title for title, _lang in results[:3]]))
    return wrong


@pytest.mark.parametrize(("language", "table"), [("fr", FRENCH), ("en", ENGLISH), ("ar", ARABIC)])
def test_each_query_finds_its_page_first(client, stories, language, table):
    assert len(table) >= 30
    wrong = misses(client, language, table)
    assert wrong == [], "\n".join(map(str, wrong))


def test_the_english_and_arabic_searches_find_the_french_originals_marked_as_french(client, stories):
    for language in ("en", "ar"):
        results = first_results(client, language, "Tanger Med")
        assert results == [(UNTRANSLATED[0], "fr")]
        # A story translated into the visitor's language comes in that language only.
        query = {"en": "Ouarzazate", "ar": "ورزازات"}[language]
        titles = [title for title, _lang in first_results(client, language, query)]
        assert titles == [title("solar", language)]
    assert first_results(client, "fr", "Tanger Med") == [(UNTRANSLATED[0], "")]


# Texts of page types that visitors do not search by: editors' and the importer's
# bookkeeping, a button's label, the home's layout, a message shown after a form,
# a photographer's name.
NOT_SEARCHED = {
    "ArticlePage": {"review_notes", "import_file", "import_hash", "import_fingerprint", "lead_image_credit"},
    "EventPage": {"country", "attendance_note", "lead_image_credit"},
    "ContentPage": {"lead_image_credit"},
    "HomePage": {"hero_cta_label", "sections"},
    "StartupApplicationPage": {"thank_you_text"},
}


def searched_names(fields):
    for field in fields:
        if isinstance(field, index.RelatedFields):
            yield field.field_name
        elif isinstance(field, index.SearchField):
            assert isinstance(field, SearchText), f"{field.field_name}: a SearchField skips the word analysis"
            yield field.field_name


def test_every_text_of_every_page_type_is_searched_through_the_analysis():
    page_columns = {field.name for field in Page._meta.get_fields()}
    for model in get_page_models():
        if model is Page:
            continue
        texts = {
            field.name
            for field in model._meta.get_fields()
            if field.name not in page_columns
            and isinstance(field, models.CharField | models.TextField | StreamField)
            and not isinstance(field, models.URLField | models.SlugField)
            and not field.choices
        }
        searched = set(searched_names(model.search_fields))
        assert "title" in searched, model
        assert texts - NOT_SEARCHED.get(model.__name__, set()) <= searched, model


def test_setup_portal_rebuilds_an_index_built_by_another_word_analysis(client, portal_site):
    page = ArticlePageFactory(parent=portal_site["news"], title="Les drones agricoles de Berkane")
    # Nothing indexed it (the test settings index nothing on save), as after an upgrade nothing reindexes.
    assert first_results(client, "fr", "drone agricole") == []
    SearchIndexState.objects.create(analysis="0")
    assert ensure_search_index() is True
    assert first_results(client, "fr", "drone agricole") == [(page.title, "")]
    assert list(SearchIndexState.objects.values_list("analysis", flat=True)) == [ANALYSIS_VERSION]
    # Once the index is this code's, a second run leaves it alone.
    assert ensure_search_index() is False


def test_a_page_titled_with_the_words_comes_before_pages_that_only_mention_them(client, portal_site):
    news = portal_site["news"]
    for n in range(3):
        ArticlePageFactory(
            parent=news, title=f"Rencontre des clubs n°{n}", standfirst="Robotique, robotique et encore robotique."
        )
    titled = ArticlePageFactory(parent=news, title="La robotique éducative", standfirst="Un club ouvre à Oujda.")
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    results = first_results(client, "fr", "robotique")
    assert len(results) == 4
    assert results[0] == (titled.title, "")

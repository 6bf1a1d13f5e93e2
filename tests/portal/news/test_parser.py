"""What the parser extracts from each seed file, and from outlets it has never seen."""

import datetime
import hashlib
from pathlib import Path

import pytest

from portal.news.importers.parser import ArticleParseError, parse_article
from portal.news.importers.text import decode_article_bytes
from tests.conftest import FILES_DIR, SEEDS_DIR

SHARED_SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


def parse_file(path):
    text, _notes = decode_article_bytes(Path(path).read_bytes())
    return parse_article(text)


def all_text(article):
    return [article.title or "", article.standfirst, *(block.text for block in article.body)]


# What each seed file itself says (the manifest is applied later, by the importer).
SEEDS = {
    "000_032a3364383af6b0.txt": {
        "title": None,
        "published": None,
        "source": None,
        "author": None,
        "first": "L’innovation et la digitalisation constituent un fer de lance de la reprise économique "
        "et un levier essentiel d’une relance optimale, ont indiqué les participants à la 2ème édition "
        "du Congrès International “Digital Now !” sur l’économie numérique.",
        "last": "Ce Congrès a été organisé selon un format hybride, alliant présentiel et virtuel sur la "
        "plateforme online “digitalnow.ma” qui a accueilli plus de 800 participants représentants une "
        "cinquantaine de pays.",
        "blocks": 8,
    },
    "001_8dab914a3b7b85a5.txt": {
        "title": 'MoroccoTech : Coup d\'envoi de la marque digitale "made in Morocco"',
        "published": datetime.date(2022, 1, 14),
        "source": None,
        "author": "S.M",
        "first": "Le ministère de la Transition numérique et de la réforme de l’administration a procédé, "
        "vendredi 14 janvier, au lancement de la MoroccoTech.",
        "last": "C’est avec cette ambition que tous les partenaires se sont réunis autour de cette nouvelle "
        "identité nationale, décidée pour renforcer le poids du numérique dans l’économie marocaines et "
        "amplifier son impact positif sur la société.",
        "headings": [
            "Pour la promotion du digital « made in Morocco »",
            "« Se hisser au rang de place digitale mondiale »",
        ],
        "blocks": 10,
    },
    "002_4b9a60903dfe3b56.txt": {
        "title": "L'Opinion : Le défi de la Tech",
        "published": datetime.date(2022, 1, 17),
        "source": "L'opinion",
        "author": "Amine ATER",
        "first": "Morocco Tech, c'est le nouveau label chargé de marketer le Royaume en tant que "
        "destination numérique de référence.",
        "last": "Nul doute que les prochaines semaines seront marquées par l'annonce d'une batterie de "
        "mesures et d'actions visant à renforcer le produit numérique 100% marocain...pourvu qu'elle soit "
        "capable de surmonter les lacunes qui se sont accumulées au fil des années !",
        "blocks": 4,
    },
    "003_e5e38f4e165d1c0e.txt": {
        "title": 'Ihsane Himmi : "Cette crise a accéléré la transformation numérique"',
        "published": datetime.date(2020, 10, 22),
        "source": "Les ECO",
        "author": "Mariama Ndoye",
        "first": "Le rapport sur l'engagement numérique en 2020, classe le Maroc quatrième dans la région "
        "MENA en termes de compétitivité numérique globale, et premier en matière d'écosystème numérique.",
        "last": "«Cependant, il nous reste du chemin à parcourir, notamment en termes d'accompagnement de "
        "l'entrepreneuriat numérique, de mise en place d'un cadre règlementaire adapté à la transformation "
        "numérique et de digitalisation de l'administration publique», ajoute la directrice générale de "
        "Maroc Numeric Cluster.",
        "headings": [
            "Ihsane Himmi. Directrice générale de Maroc Numeric Cluster",
            "Vous venez de signer un partenariat avec la Cité de l'innovation de l'université Hassan 1er "
            "de Settat. Qu'est-ce que cela représente pour Maroc Numeric Cluster ?",
            "Quand la plateforme Fiware sera-t-elle lancée et quel rôle jouera-t-elle ?",
            "Comment Maroc Numeric Cluster compte-t-il booster le numérique au niveau national ?",
            "Le numérique a montré son importance durant la crise sanitaire. Quelles ont été les actions "
            "déployées par Maroc Numeric Cluster à ce sujet ?",
            "Quelles sont les réalisations de MNC en termes de financement ?",
            "Comment réduire la fracture numérique ?",
            "Dans l'attente d'un cadre réglementaire adapté",
        ],
        "blocks": 15,
    },
    "004_7fea533aad476c06.txt": {
        "title": None,
        "published": None,
        "source": None,
        "author": None,
        "first": "Une délégation marocaine de haut niveau s’est récemment rendue aux États-Unis pour "
        "rencontrer des géants de la technologie et explorer les solutions technologiques américaines "
        "dans le cadre des ambitions de la transition numérique du Maroc.",
        "last": "Par ailleurs, cette collaboration n’est pas nouvelle, plusieurs entreprises américaines "
        "telles que Microsoft, Oracle et Cisco ont déjà investi dans le développement du capital humain "
        "au Maroc, offrant des formations gratuites à plus de 75 000 étudiants marocains l’année dernière.",
        "blocks": 6,
    },
}

# Site chrome the scraper captured around the seeds; none of it may reach an article.
CHROME_LINES = [
    "Menu",
    "L'Opinion",
    "Lire GRATUITEMENT notre journal en PDF",
    "Facebook",
    "Twitter",
    "YouTube Channel",
    "Instagram",
    "LinkedIn",
    "Actu Maroc",
    "Fermer",
    "|",
    "< >",
]
CHROME_PHRASES = [
    "Merci d'avoir signalé",
    "Cette image sera automatiquement bloquée",
    "Cliquez ici pour lire l'article depuis sa source",
    "Bouton retour en haut de la page",
    "Dans la même rubrique",
    "Getting your Trinity Audio player ready",
    "Rédigé par",
    "Publié dans",
    # headlines from the tickers at the top of the Maghress pages
    "Bahreïn salue le rôle pionnier du Roi",
    "Berlinale 2026",
    "Rabat: le Parlement abrite le 5e Forum",
    "MOBO Awards",
    # signatures belong to the author field, not the body
    "Amine ATER",
    "Mariama Ndoye / Les Inspirations Eco",
]


def test_fixture_articles_are_the_shared_seeds_unchanged():
    if not SHARED_SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    seeds = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    assert seeds == sorted(SEEDS)
    for name in seeds:
        ours = hashlib.sha256((SEEDS_DIR / name).read_bytes()).hexdigest()
        theirs = hashlib.sha256((SHARED_SEEDS / name).read_bytes()).hexdigest()
        assert ours == theirs, name


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_fields(name):
    expected = SEEDS[name]
    article = parse_file(SEEDS_DIR / name)
    assert article.title == expected["title"]
    assert article.published == expected["published"]
    assert article.source == expected["source"]
    assert article.author == expected["author"]
    assert article.date_error is None
    assert article.standfirst.startswith(expected["first"])
    assert article.body[-1].type == "paragraph"
    assert article.body[-1].text.endswith(expected["last"])
    assert len(article.body) == expected["blocks"]
    headings = [block.text for block in article.body if block.type == "heading"]
    assert headings == expected.get("headings", [])
    assert not [block for block in article.body if block.type == "quote"]


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_no_chrome_reaches_the_article(name):
    texts = all_text(parse_file(SEEDS_DIR / name))
    for text in texts:
        assert text.strip() not in CHROME_LINES, text
        for phrase in CHROME_PHRASES:
            assert phrase not in text, (phrase, text[:80])


def test_interview_questions_are_headings_followed_by_answers():
    article = parse_file(SEEDS_DIR / "003_e5e38f4e165d1c0e.txt")
    questions = [b for b in article.body if b.text.endswith("?")]
    assert len(questions) == 6
    assert all(b.type == "heading" for b in questions)
    for index, block in enumerate(article.body):
        if block in questions:
            assert article.body[index + 1].type == "paragraph"


def test_outlet_with_pipe_byline_tags_and_inline_links():
    article = parse_file(FILES_DIR / "other_outlet_pipe_byline.txt")
    assert article.title == (
        "Fintech : les startups marocaines lèvent 40 millions de dirhams au premier trimestre"
    )
    assert article.author == "Youssef Ait Akdim"
    assert article.published == datetime.date(2023, 3, 12)
    assert article.standfirst.startswith("Les startups marocaines de la fintech ont levé")
    assert [b.type for b in article.body] == ["paragraph", "heading", "paragraph", "paragraph", "paragraph"]
    assert article.body[1].text == "Un écosystème qui se structure"
    joined = " ".join(all_text(article))
    for chrome in ["Publicité", "Lire aussi", "Tags :", "Partager", "Articles similaires", "GITEX", "©"]:
        assert chrome not in joined


def test_english_outlet():
    article = parse_file(FILES_DIR / "other_outlet_english.txt")
    assert article.title == "Morocco launches a national digital brand to attract tech investors"
    assert article.author == "Sara Bennani"
    assert article.published == datetime.date(2022, 1, 14)
    joined = " ".join(all_text(article))
    for chrome in ["Skip to content", "Read also", "Share on", "Related articles", "All rights reserved"]:
        assert chrome not in joined
    assert article.body[-1].text.startswith("Officials said the brand")


def test_hard_wrapped_paragraphs_are_rejoined_and_whole_quotes_become_quote_blocks():
    article = parse_file(FILES_DIR / "hard_wrapped_iso_date.txt")
    assert article.title == "Le Technopark ouvre un nouveau site à Agadir"
    assert article.published == datetime.date(2023, 5, 4)
    assert article.standfirst == (
        "Le Technopark a inauguré jeudi un nouveau site à Agadir, destiné à accueillir une centaine de "
        "jeunes entreprises du numérique de la région Souss-Massa, dans le cadre de son programme "
        "d'extension régionale."
    )
    assert [b.type for b in article.body] == ["heading", "paragraph", "quote", "paragraph"]
    assert article.body[2].text.startswith("Notre ambition est que chaque région")
    assert "«" not in article.body[2].text


def test_a_date_with_the_wrong_weekday_is_reported_not_guessed():
    article = parse_file(FILES_DIR / "wrong_weekday.txt")
    assert article.published is None
    assert "wrong weekday" in article.date_error
    assert article.title == "Le Maroc présente sa stratégie numérique à Dubaï"


def test_an_impossible_day_is_reported_not_guessed():
    article = parse_file(FILES_DIR / "impossible_day.txt")
    assert article.published is None
    assert "31 février 2023" in article.date_error


def test_a_file_of_nothing_but_chrome_has_no_body():
    with pytest.raises(ArticleParseError, match="no recognisable article body"):
        parse_file(FILES_DIR / "chrome_only.txt")


def test_markup_is_kept_as_text():
    article = parse_file(FILES_DIR / "script_tags.txt")
    assert '<script>alert("titre")</script>' in article.title
    assert '<script>alert("xss")</script>' in article.standfirst


def test_an_update_date_alone_is_not_taken_for_the_publication_date():
    article = parse_article(
        "Menu\n"
        "Une coopérative numérique ouvre à Ouarzazate\n\n"
        "Mis à jour le 12 mars 2024\n\n"
        "La première coopérative de services numériques de la région a ouvert ses portes lundi "
        "avec douze membres fondateurs.\n\n"
        "Elle propose des sites web et de la comptabilité en ligne aux artisans de la vallée.\n"
    )
    assert article.title == "Une coopérative numérique ouvre à Ouarzazate"
    assert article.published is None and article.date_error is None
    assert article.standfirst.startswith("La première coopérative")
    assert "Mis à jour" not in " ".join(b.text for b in article.body)


def test_a_crawl_date_and_a_top_bar_date_are_not_publication_dates():
    article = parse_article(
        "Page enregistrée le 06.12.2026 à 09:14\n"
        "Lundi 7 décembre 2026\n"
        "Le Sahel numérique\n\n"
        "Un fonds d'amorçage régional ouvre son premier appel à projets\n"
        "Publié le 3 mai 2023 à 08h30\n\n"
        "Un nouveau fonds destiné aux jeunes entreprises du Sahel a lancé mardi son premier appel "
        "à projets, doté de deux millions d'euros.\n\n"
        "Les dossiers seront examinés par un comité de six investisseurs de la région.\n"
    )
    assert article.published == datetime.date(2023, 5, 3)
    assert article.title == "Un fonds d'amorçage régional ouvre son premier appel à projets"


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("Écrit par Nabil Amrani", "Nabil Amrani"),
        ("Written by Lerato Dube", "Lerato Dube"),
        ("بواسطة: سعاد المنصوري", "سعاد المنصوري"),
        ("الكاتب: عمر بنسعيد", "عمر بنسعيد"),
    ],
)
def test_bylines_in_their_usual_words(byline, author):
    article = parse_article(
        "Des bornes de recharge rapides sur l'autoroute du Nord\n\n"
        f"{byline}\n"
        "le 3 février 2025 à 9h12\n\n"
        "Six aires de repos de l'autoroute entre Rabat et Tanger sont désormais équipées de bornes "
        "de recharge rapide pour les voitures électriques.\n\n"
        "Une recharge complète prend une trentaine de minutes selon l'exploitant.\n"
    )
    assert article.author == author
    assert article.published == datetime.date(2025, 2, 3)
    assert article.title == "Des bornes de recharge rapides sur l'autoroute du Nord"


def test_a_dateline_in_segments_and_an_agency_dateline_in_the_lead():
    segmented = parse_article(
        "Ghana's fintech association publishes a code for digital lenders\n\n"
        "Accra, Ghana | March 10, 2025 | By Efua Asante\n\n"
        "The national fintech association has published a code of conduct that its lending members "
        "will have to follow from next month.\n\n"
        "Consumer groups asked the regulator to make it binding.\n"
    )
    assert (segmented.published, segmented.author) == (datetime.date(2025, 3, 10), "Efua Asante")

    wire = parse_article(
        "Un réseau d'incubateurs couvre désormais dix villes ivoiriennes\n\n"
        "ABIDJAN, 4 mars 2025 (Agence) – Un réseau d'incubateurs soutenu par plusieurs entreprises a "
        "ouvert mardi ses deux derniers sites.\n\n"
        "Chaque incubateur accueille une quinzaine de projets par an.\n\n"
        "Abidjan Tech © 2025\n"
    )
    assert wire.published == datetime.date(2025, 3, 4) and wire.source == "Abidjan Tech"
    # An agency dateline without a year gives no date: the year is never guessed.
    assert (
        parse_article(
            "Un réseau d'incubateurs couvre désormais dix villes ivoiriennes\n\n"
            "RABAT, 4 mars (MAP) – Un réseau d'incubateurs soutenu par plusieurs entreprises a ouvert "
            "mardi ses deux derniers sites dans le pays.\n\n"
            "Chaque incubateur accueille une quinzaine de projets par an.\n"
        ).published
        is None
    )


@pytest.mark.parametrize(
    "update",
    ["Dernière mise à jour : 20 mai 2024", "اخر تحديث: 20/5/2024", "آخر تحديث: 20/5/2024", "Updated 20 May 2024"],
)
def test_an_update_line_after_the_dateline_does_not_replace_the_publication_date(update):
    article = parse_article(
        "Un opérateur relie trois villages de l'Atlas à la fibre optique\n"
        "Publié le 14 mai 2024\n"
        f"{update}\n\n"
        "Trois villages de la province d'Azilal sont désormais raccordés à la fibre optique grâce à "
        "un programme de service universel.\n\n"
        "Les écoles et le dispensaire ont été raccordés en premier.\n"
    )
    assert article.published == datetime.date(2024, 5, 14)
    assert update not in " ".join(b.text for b in article.body)

"""The importer scored on articles it was not written for.

tests/portal/news/corpus/ holds articles the project wrote in the layouts of
Moroccan, Maghreb, West-African and international outlets (French, English and
Arabic, text and saved web pages), with an answer key. Each file goes through
the importer's own validation path (read_and_parse: decode, parse, fill), with
no manifest. A field is right when it equals the key; the body is right when
its first and last paragraphs, its headings and the absence of chrome all
match. The per-field score is printed (`pytest -s`) and the test fails under
90 %; a value where the key says the file states none is an invented value,
and there must be none.
"""

from pathlib import Path

import pytest
import yaml

from portal.news.importers.articles import read_and_parse

CORPUS = Path(__file__).parent / "corpus"
ANSWERS = yaml.safe_load((CORPUS / "answers.yaml").read_text(encoding="utf-8"))
FIELDS = ("title", "published", "source", "author", "standfirst", "body")
TARGET = 0.90


def body_problems(result, key):
    paragraphs = [b.text for b in result.body if b.type == "paragraph"]
    headings = [b.text for b in result.body if b.type == "heading"]
    problems = []
    if not paragraphs or not paragraphs[0].startswith(key["body_first"]):
        problems.append(f"first paragraph {paragraphs[:1]}")
    if not paragraphs or not paragraphs[-1].endswith(key["body_last"]):
        problems.append(f"last paragraph {paragraphs[-1:]}")
    if headings != key["headings"]:
        problems.append(f"headings {headings}")
    shown = [result.fields.get("title") or "", result.fields.get("standfirst") or ""]
    shown += [b.text for b in result.body]
    leaked = [c for c in key.get("chrome", []) if any(c in text for text in shown)]
    if leaked:
        problems.append(f"chrome kept {leaked}")
    return problems


def score_file(name):
    """{field: (right, found, expected)} for one corpus file."""
    key = ANSWERS[name]
    result = read_and_parse(CORPUS / name, {})
    if result.status == "failed":
        # A refused file states nothing: every field is wrong, none invented.
        return {f: (False, None, key.get(f, "…")) for f in FIELDS}, result
    scores = {}
    for name_ in FIELDS[:-1]:
        found = result.fields.get(name_) or None
        scores[name_] = (found == key[name_], found, key[name_])
    problems = body_problems(result, key)
    scores["body"] = (not problems, "; ".join(problems) or "ok", "…")
    return scores, result


@pytest.fixture(scope="module")
def corpus_scores():
    return {name: score_file(name) for name in sorted(ANSWERS)}


def test_the_corpus_is_large_and_varied_enough():
    outlets = {name.split("_")[1] for name in ANSWERS}
    languages = {key["language"] for key in ANSWERS.values()}
    kinds = {Path(name).suffix for name in ANSWERS}
    assert len(ANSWERS) >= 40 and len(outlets) >= 12
    assert languages == {"fr", "en", "ar"} and kinds == {".txt", ".html"}
    assert sorted(p.name for p in CORPUS.iterdir() if p.name != "answers.yaml") == sorted(ANSWERS)


def test_at_least_90_percent_of_fields_are_right_and_none_invented(corpus_scores):
    lines, total, invented = [], dict.fromkeys(FIELDS, 0), []
    for name, (scores, _result) in corpus_scores.items():
        for field_name, (right, found, expected) in scores.items():
            total[field_name] += right
            if not right:
                lines.append(f"  {name} {field_name}: found {found!r}, expected {expected!r}")
            if field_name != "body" and expected is None and found is not None:
                invented.append(f"{name} {field_name}: {found!r}")
    count = len(corpus_scores)
    right = sum(total.values())
    report = [
        f"corpus: {count} files, {right}/{count * len(FIELDS)} fields right ({right / count / len(FIELDS):.0%})"
    ]
    report += [f"  {f:<10} {n}/{count} ({n / count:.0%})" for f, n in total.items()]
    print("\n".join(report + lines))
    assert not invented, invented
    assert right / (count * len(FIELDS)) >= TARGET, "\n".join(report + lines)


def test_each_article_language_is_detected(corpus_scores):
    wrong = {
        name: result.language
        for name, (_scores, result) in corpus_scores.items()
        if getattr(result, "language", None) != ANSWERS[name]["language"]
    }
    assert not wrong

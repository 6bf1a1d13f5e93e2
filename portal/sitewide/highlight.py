"""Search-result snippets with the matched words marked.

Matching is accent- and case-insensitive and tolerant of simple French and
English inflections (a query word matches words that start with its stem:
"startups" marks "startup", "entreprise" marks "entreprises").
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal.core.text_matching import fold_with_positions

SNIPPET_LENGTH = 240


def stems(query):
    result = []
    for word in re.findall(r"\w+", query):
        folded = fold_with_positions(word)[0]
        for suffix in ("es", "s", "x"):
            if len(folded) > 4 and folded.endswith(suffix):
                folded = folded[: -len(suffix)]
                break
        if len(folded) >= 2:
            result.append(folded)
    return result


def highlight(text, query, length=SNIPPET_LENGTH):
    """An escaped snippet of text around the first match, matches in <mark>."""
    text = re.sub(r"\s+", " ", text or "").strip()
    word_stems = stems(query)
    if not text:
        return ""
    if not word_stems:
        return escape(text[:length] + ("…" if len(text) > length else ""))
    folded, positions = fold_with_positions(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in word_stems) + r")\w*")
    matches = list(pattern.finditer(folded))
    spans = [(positions[m.start()], positions[m.end() - 1] + 1) for m in matches]
    start = 0
    if spans:
        # The passage where the most different query words occur; the first one on a tie.
        def words_in_window(index):
            first = spans[index][0]
            return len({folded[m.start() : m.end()] for m, span in zip(matches, spans, strict=True)
                        if first <= span[0] and span[1] <= first + length * 2 // 3})  # fmt: skip

        best = max(range(len(spans)), key=lambda i: (words_in_window(i), -i))
        if spans[best][0] > length // 3:
            start = text.rfind(" ", 0, spans[best][0] - length // 3) + 1
    end = min(len(text), start + length)
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 (every piece is escaped)

"""Turning a scraped file's bytes into clean text, or a clear refusal.

Scrapers save what they get: UTF-8 with or without a BOM, Windows-1252 from
older Moroccan sites, CRLF line ends, stray NUL bytes (which PostgreSQL refuses
in text columns while SQLite stores them silently). Anything that is not text
is refused before it reaches the database.
"""

import unicodedata

import ftfy

from portal.core.text_matching import FoldTable

MAX_FILE_BYTES = 5 * 1024 * 1024

# Signatures of the binary formats a scraper most often saves by mistake.
BINARY_SIGNATURES = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"RIFF",
    b"\x00\x00\x01\x00",
)

BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


# Joiners and direction marks carry meaning in Arabic text; other format
# characters (soft hyphens, stray BOMs, zero-width spaces) are scraper debris.
KEEP_FORMAT_CHARACTERS = frozenset("\u200c\u200d\u200e\u200f")


def _without_control(char):
    if char in "\n\t" or char in KEEP_FORMAT_CHARACTERS or unicodedata.category(char) not in ("Cc", "Cf"):
        return char
    return ""


# A translate table filled as characters are met: one C-level pass over the
# text instead of a category lookup per character in Python.
DROP_CONTROL_CHARACTERS = FoldTable(_without_control)


class ImportFileError(Exception):
    """A file that cannot be imported; the message is the reason, for people."""


def read_article_bytes(path):
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFileError(f"file is {size / 1024 / 1024:.1f} MB, over the 5 MB limit")
    return path.read_bytes()


def _control_ratio(text):
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f\v\x00")
    return controls / max(len(text), 1)


def decode_article_bytes(data):
    """Return (text, notes): text with \\n line ends, NFC, no control characters.

    notes are short remarks for the import report (encoding used, bytes
    dropped). Raises ImportFileError for empty, binary or undecodable input.
    """
    notes = []
    if not data.strip():
        raise ImportFileError("empty file")

    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise ImportFileError(f"starts with a {encoding} byte-order mark but is not {encoding}") from None
            if encoding != "utf-8-sig":
                notes.append(f"decoded as {encoding}")
            break
    else:
        if data.startswith(BINARY_SIGNATURES) or data.count(b"\x00") > len(data) // 100:
            raise ImportFileError("binary file, not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Not UTF-8: the other encoding Moroccan French sites still serve is
            # Windows-1252 (a superset of Latin-1's printable characters).
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            if _control_ratio(text) > 0.01:
                raise ImportFileError("not decodable as text (neither UTF-8 nor Windows-1252)") from None
            notes.append("decoded as Windows-1252")

    nul_count = text.count("\x00")
    if nul_count:
        notes.append(f"removed {nul_count} NUL byte{'s' if nul_count > 1 else ''}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(DROP_CONTROL_CHARACTERS)
    # A page saved through the wrong encoding ("Ã©" for "é", "â€™" for "’"):
    # ftfy undoes exactly that and leaves correct text alone (its fix_encoding
    # step only; quotes, ligatures and widths are not touched).
    repaired = ftfy.fix_encoding(text)
    if repaired != text:
        notes.append("repaired mojibake (text decoded with the wrong encoding)")
        text = repaired
    text = unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\u202f", " "))
    if not text.strip():
        raise ImportFileError("empty file")
    return text, notes

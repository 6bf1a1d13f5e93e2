"""The fixture manifest: metadata a scraped file does not contain.

A YAML (or JSON) mapping from file name to fields. A manifest value fills a
field the parser did not find in the file (or found unreadable, like a date
with the wrong weekday); it never overrides what the file says. Each entry may
carry a `note` saying where its values come from: it is for people and is
not imported.
"""

import datetime
import json
from pathlib import Path

import yaml

MANIFEST_NAMES = ("manifest.yaml", "manifest.yml", "manifest.json")
TEXT_FIELDS = {"title": 255, "standfirst": 5000, "source": 200, "author": 200, "original_url": 500}
ALLOWED_FIELDS = set(TEXT_FIELDS) | {"published", "tags", "language", "note"}
LANGUAGES = ("fr", "ar", "en")


class ManifestError(Exception):
    pass


def find_manifest(directory):
    for name in MANIFEST_NAMES:
        candidate = Path(directory) / name
        if candidate.is_file():
            return candidate
    return None


def _check_entry(file_name, entry):
    if not isinstance(entry, dict):
        raise ManifestError(f"{file_name}: the entry must be a mapping of fields")
    unknown = set(entry) - ALLOWED_FIELDS
    if unknown:
        raise ManifestError(
            f"{file_name}: unknown field(s) {', '.join(sorted(unknown))}; "
            f"allowed: {', '.join(sorted(ALLOWED_FIELDS))}"
        )
    checked = {}
    for name, value in entry.items():
        if name == "note":
            continue
        if name == "published":
            if isinstance(value, datetime.date):
                checked[name] = value
                continue
            try:
                checked[name] = datetime.date.fromisoformat(str(value))
            except ValueError:
                raise ManifestError(f"{file_name}: published must be YYYY-MM-DD, not {value!r}") from None
        elif name == "language":
            if value not in LANGUAGES:
                raise ManifestError(f"{file_name}: language must be one of {', '.join(LANGUAGES)}, not {value!r}")
            checked[name] = value
        elif name == "tags":
            if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
                raise ManifestError(f"{file_name}: tags must be a list of words")
            checked[name] = [t.strip()[:100] for t in value]
        else:
            if not isinstance(value, str) or not value.strip():
                raise ManifestError(f"{file_name}: {name} must be non-empty text")
            if len(value) > TEXT_FIELDS[name]:
                raise ManifestError(f"{file_name}: {name} is longer than {TEXT_FIELDS[name]} characters")
            checked[name] = value.strip()
    return checked


def load_manifest(path):
    """Return {file name: {field: value}}, or raise ManifestError with the reason."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
        data = json.loads(raw) if path.suffix == ".json" else yaml.safe_load(raw)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise ManifestError(f"{path}: cannot be read ({error})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: must map file names to fields")
    return {str(name): _check_entry(name, entry) for name, entry in data.items()}

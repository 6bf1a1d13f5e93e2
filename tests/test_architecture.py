"""The floor plan of docs/architecture.md, checked on the code as it is.

Every module's imports are read (not run): an import against the arrows, a
cycle between rooms or a new import inside a function fails here, before it
hides in a lazy import that only breaks in production.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("portal", "brand", "events")

# Each room and the rooms it may import (docs/architecture.md, "Rooms and doors").
ALLOWED = {
    "portal.core": set(),
    "portal.news": {"portal.core"},
    "brand": {"portal.core", "portal.news"},
    "events": {"portal.core", "portal.news", "brand"},
    "portal.sitewide": {"portal.core", "portal.news", "brand", "events"},
    "portal.tooling": {"portal.core", "portal.news", "brand", "events", "portal.sitewide"},
    "portal": {"portal.core", "portal.news", "brand", "events", "portal.sitewide", "portal.tooling"},
}

# Imports inside a function that are there on purpose (see the document).
INNER_IMPORTS_ALLOWED = {
    "portal/apps.py",  # AppConfig.ready(): signal handlers connect once the registry is ready
    "brand/apps.py",
    "events/apps.py",
    "portal/settings/dev.py",  # an optional local.py
    "portal/tooling/benchmark.py",  # configures Django before it may import a model
    "portal/tooling/lighthouse.py",  # the same
}


def room_of(module):
    parts = module.split(".")
    if parts[0] == "portal" and len(parts) > 1 and f"portal.{parts[1]}" in ALLOWED:
        return f"portal.{parts[1]}"
    return parts[0]


def source_files():
    for app in OURS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path):
    """(imported module, line, inside a function) for each import of our code in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ImportFrom) and child.module and child.module.split(".")[0] in OURS:
                # `from portal import x` imports the module portal.x.
                targets = [
                    f"{child.module}.{a.name}" if child.module == "portal" else child.module for a in child.names
                ]
                found.extend((target, child.lineno, in_function) for target in targets)
            elif isinstance(child, ast.Import):
                found.extend(
                    (a.name, child.lineno, in_function) for a in child.names if a.name.split(".")[0] in OURS
                )
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return found


MODULES = {module_name(path): path for path in source_files()}


def test_the_rooms_cover_the_code():
    """Every module is in a room the document names (a new top-level package would need a line there)."""
    assert {room_of(module) for module in MODULES} == set(ALLOWED)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_arrows(module):
    room = room_of(module)
    wrong = [
        f"line {line}: {target}"
        for target, line, _inner in imports_of(MODULES[module])
        if room_of(target) != room and room_of(target) not in ALLOWED[room]
    ]
    assert not wrong, f"{module} ({room}) imports against the arrows: {wrong}"


def test_no_import_is_hidden_inside_a_function():
    hidden = [
        f"{path.relative_to(ROOT)}:{line} {target}"
        for path in source_files()
        if str(path.relative_to(ROOT)) not in INNER_IMPORTS_ALLOWED
        for target, line, inner in imports_of(path)
        if inner
    ]
    assert not hidden, "imports inside functions (hoist them, or fix the cycle they hide):\n" + "\n".join(hidden)


def test_the_rooms_form_no_cycle():
    edges = {room: set() for room in ALLOWED}
    for module, path in MODULES.items():
        for target, _line, _inner in imports_of(path):
            if room_of(target) != room_of(module):
                edges[room_of(module)].add(room_of(target))
    # Kahn's algorithm: whatever cannot be ordered sits on a cycle.
    remaining = {room: set(targets) for room, targets in edges.items()}
    while True:
        leaves = [room for room, targets in remaining.items() if not targets]
        if not leaves:
            break
        for leaf in leaves:
            del remaining[leaf]
        for targets in remaining.values():
            targets.difference_update(leaves)
    assert not remaining, f"rooms on a cycle: {sorted(remaining)}"


# Who may reach inside the cache package rather than through its door (portal/core/cache/__init__.py).
CACHE_INSIDE_ALLOWED = {
    "portal.apps": "connects the cache's signal handlers",
    "portal.templatetags.portal_tags": "registers the cached fragment and card tags",
}


def test_the_cache_is_used_through_its_door():
    """Apps and features name what they show (depends_on, cached_value…), never the cache's internals."""
    inside = [
        f"{module}:{line} {target}"
        for module, path in MODULES.items()
        if not module.startswith("portal.core.cache") and module not in CACHE_INSIDE_ALLOWED
        for target, line, _inner in imports_of(path)
        if target.startswith("portal.core.cache.")
    ]
    assert not inside, "import from portal.core.cache, not its modules:\n" + "\n".join(inside)


def test_the_checker_sees_a_violation(tmp_path):
    """The reader is not blind: an import against the arrows, inside a function, is found."""
    sample = tmp_path / "sample.py"
    sample.write_text("from portal.core import seo\n\ndef f():\n    from events.models import EventPage\n")
    found = imports_of(sample)
    assert ("portal.core", 1, False) in found
    assert ("events.models", 4, True) in found
    assert room_of("events.models") not in ALLOWED["portal.news"]

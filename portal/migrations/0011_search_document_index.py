"""An index for the site search on PostgreSQL (#8).

Wagtail's PostgreSQL backend matches a query against `title || body` of its
index entries. It creates GIN indexes on `title` and on `body` alone, which
that expression cannot use: every search read and decompressed every
entry (65 ms on 13,000 pages, most of a search's time). A GIN index on the
expression itself turns that into an index scan (under 1 ms).
tests/portal/sitewide/test_search.py checks that the backend's query still
uses it, so a change in Wagtail's query shape does not go unnoticed.
Nothing happens on other databases.
"""

from django.db import migrations

INDEX = "portal_search_document_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((title || body))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_figures_page"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]

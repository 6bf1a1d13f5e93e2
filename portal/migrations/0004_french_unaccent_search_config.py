"""A PostgreSQL text-search configuration for French without accents.

PostgreSQL's "french" configuration stems ("entreprises" -> "entrepris") but
keeps accents, so "numerique" would not find "numérique". This one runs
unaccent before the French stemmer. Nothing happens on other databases.
CREATE EXTENSION needs a role allowed to create it (a superuser, or the
database owner on PostgreSQL 13+ for trusted extensions such as unaccent).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_articlepage_mentions_brand")]

    operations = [migrations.RunPython(create, drop)]

"""Wagtail's database search backend, with lighter result queries on PostgreSQL and titles weighed on SQLite.

The PostgreSQL backend filters on `title || body` through an annotation
(`_vector_`), and Django selects every annotation: each of a search's (up
to 200) matches sent its whole document vector back, about a kilobyte,
which psycopg then decoded and nobody read. On 10,000 articles that was
half of a common query's time (48 → 27 ms). Here the annotation stays in
the WHERE clause and leaves the SELECT list.

On SQLite with FTS5, the rank weighs a word in the title above one in the
body (TitleWeightedBM25). Every other database gets what
`wagtail.search.backends.database` chooses.

These subclasses use modelsearch's backend classes, which are not a documented
API: tests/portal/sitewide/test_search_languages.py breaks if they change (its
title-above-body and query-table tests).
"""

from django.db import connection
from modelsearch.backends import database
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend, PostgresSearchResults

try:
    # modelsearch defines its FTS5 model only when the database is SQLite with FTS5.
    from modelsearch.backends.database.sqlite.query import BM25, SQLiteFTSIndexEntry
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend, SQLiteSearchQueryCompiler
except LookupError:
    SQLiteSearchBackend = None

# On SQLite, how much more a word in a page's title weighs than one in its body
# (PostgreSQL ranks titles with Wagtail's weights, portal.sitewide.search_postgres).
TITLE_WEIGHT = 10.0
# The annotation modelsearch's PostgreSQL compiler filters on.
VECTOR_ANNOTATION = "_vector_"


class LeanPostgresSearchResults(PostgresSearchResults):
    def get_queryset(self):
        queryset = super().get_queryset()
        query = queryset.query
        if VECTOR_ANNOTATION in query.annotation_select:
            # Only hides the column: the filter and the ranking are compiled from the expressions.
            query.set_annotation_mask([name for name in query.annotation_select if name != VECTOR_ANNOTATION])
        return queryset


class LeanPostgresSearchBackend(PostgresSearchBackend):
    results_class = LeanPostgresSearchResults


if SQLiteSearchBackend is not None:

    class TitleWeightedBM25(BM25):
        """FTS5's bm25 with column weights: a word in the title counts TITLE_WEIGHT times one in the body.

        modelsearch calls bm25() without weights, so on SQLite a page that says a
        word often in a long body came before the page with the word in its title.
        The FTS table's columns are (autocomplete, body, title) (modelsearch's migration 0002).
        """

        def as_sql(self, compiler, connection, function=None, template=None):
            return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, 0.0, 1.0, {TITLE_WEIGHT})", []

    class TitleWeightedSQLiteCompiler(SQLiteSearchQueryCompiler):
        def build_tsrank(self, vector, query, config=None, boost=1.0):
            # bm25() ranks the row against the whole MATCH expression, every term of the query
            # at once: one call is the rank. (modelsearch combines one call per term, which for
            # bm25's negative values turns the order upside down as soon as there are two terms.)
            return TitleWeightedBM25()

    class TitleWeightedSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = TitleWeightedSQLiteCompiler


# Wagtail looks this name up in the module, as in its own database backend.
def SearchBackend(params):
    if connection.vendor == "postgresql":
        return LeanPostgresSearchBackend(params)
    backend = database.SearchBackend(params)
    if SQLiteSearchBackend is not None and isinstance(backend, SQLiteSearchBackend):  # FTS5 is there
        return TitleWeightedSQLiteSearchBackend(params)
    return backend

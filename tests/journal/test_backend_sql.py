"""The journal's SQL is written once, with ``?`` placeholders: each backend must run it as written.

PostgreSQL's backend numbers the placeholders (``$1``, ``$2`` …) and sends the text as it is (psycopg's raw
cursor), so a statement with many parameters is not parsed again on every call, and a ``%`` in the text is
just a character (psycopg's own ``%s`` style would read it as a placeholder).
"""

from __future__ import annotations

from shipspec.journal import Journal


def test_placeholders_keep_their_order_and_the_rest_of_the_text_is_left_alone(journal: Journal) -> None:
    values = [f"v{number}" for number in range(60)]  # more than psycopg caches a parsed query for (50)
    marks = " || ".join("?" for _ in values)
    backend = journal._backend
    with backend.read() as cursor:
        cursor.execute(backend.sql(f"SELECT {marks} || '%s' || '%'"), values)
        assert cursor.fetchall() == [("".join(values) + "%s%",)]

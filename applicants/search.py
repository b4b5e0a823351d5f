"""The review queue's search text: an applicant's name, e-mail address and the reference, folded to
lower case without accents, so that "joao" finds João and "SILVA" finds Silva.

Each application keeps it in `Application.search_text`, written when the application is saved with
its reference and again when its applicant's name or address changes; the queue matches each word
of a search against it (on PostgreSQL through a trigram index, migration 0009).
"""

import unicodedata

MAX_SEARCH_TERMS = 5


def searchable(*parts: str | None) -> str:
    """`parts` joined by spaces, case-folded and without accents."""
    text = unicodedata.normalize("NFKD", " ".join(part for part in parts if part).casefold())
    return "".join(char for char in text if not unicodedata.combining(char))


def search_terms(query: str) -> list[str]:
    """The words of a search as they are matched (the first few only)."""
    return searchable(query).split()[:MAX_SEARCH_TERMS]

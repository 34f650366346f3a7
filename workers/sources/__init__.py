"""Evidence sources: where the documents a check is judged against come from.

"article" is the stored article (read from Redis by the task); "wikipedia" searches Wikipedia's
Action API. Each source turns a claim into `workers.engine.types.Document`s; none of them judges.
"""

# The source names are the API's vocabulary too: add a new source type in vocabulary.py.
from vocabulary import SOURCE_TYPES as SOURCE_TYPES


class SourceUnavailable(Exception):
    """A source could not be reached or answered with a server error: worth retrying."""

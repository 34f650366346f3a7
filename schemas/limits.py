"""Size limits of the API, fixed by the contract (they also appear in the OpenAPI document)."""

MAX_CLAIM_CHARS = 1_000
MAX_ARTICLE_BYTES = 1_000_000  # UTF-8 bytes of an article's text
MAX_TITLE_CHARS = 1_000
MAX_URL_CHARS = 2_048
MAX_METADATA_BYTES = 4_096  # serialised JSON of a check's `metadata`
MAX_PAGE_SIZE = 100
MAX_PAGE_OFFSET = 1_000_000_000  # offset + limit must stay a 64-bit integer for Redis
# A whole request body. JSON may escape every character of an article as \uXXXX (6 bytes for
# up to 2 UTF-8 bytes), so this leaves room for any valid article; bigger bodies are refused
# before they are read.
MAX_BODY_BYTES = 3 * MAX_ARTICLE_BYTES + 64 * 1024

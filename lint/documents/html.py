"""HTML, provisional: read with the Markdown reader's inline scanner (tags dropped, entities
decoded, comments and script/style skipped, offsets kept). Replaced by a real parser in the HTML
issue."""

from __future__ import annotations

from lint.documents import markdown
from lint.documents.model import Document


def read(path: str, source: str) -> Document:
    return markdown.read(path, source)

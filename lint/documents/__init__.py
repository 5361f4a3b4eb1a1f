"""Readers: bytes -> Document, one reader per format, chosen by file extension."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import PurePath

from lint.documents.model import BLOCK_SEPARATOR, Comment, Document, ProseBuilder, Span

__all__ = [
    "BLOCK_SEPARATOR",
    "LINTABLE_SUFFIXES",
    "Comment",
    "DecodeError",
    "Document",
    "ProseBuilder",
    "Span",
    "decode",
    "from_bytes",
    "from_text",
]

Reader = Callable[[str, str], Document]


class DecodeError(ValueError):
    """The file's bytes are not text in any encoding we accept."""


def _reader(suffix: str) -> Reader:
    # Imported lazily: a run over Markdown alone never imports the HTML parser.
    if suffix in (".md", ".markdown", ".mdown", ".mkd"):
        from lint.documents import markdown

        return markdown.read
    if suffix in (".html", ".htm", ".xhtml"):
        from lint.documents import html

        return html.read
    from lint.documents import text

    return text.read


LINTABLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})


def from_text(path: str, source: str, *, kind: str | None = None) -> Document:
    """A Document from already-decoded text; ``kind`` ('md', 'html', 'txt') overrides the suffix."""
    suffix = "." + kind if kind else PurePath(path).suffix.lower()
    return _reader(suffix)(path, source)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, *, fallback: str | None = None) -> str:
    """Text of ``data``: by its BOM, else UTF-8, else ``fallback`` (a declared charset)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"not valid {encoding} at byte {exc.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback:
            try:
                return data.decode(fallback)
            except (UnicodeDecodeError, LookupError):
                pass
        raise DecodeError(f"not valid UTF-8 at byte {exc.start}") from None


def from_bytes(path: str, data: bytes, *, kind: str | None = None) -> Document:
    """Decode and read a file's bytes."""
    return from_text(path, decode(data), kind=kind)

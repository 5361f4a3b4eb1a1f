"""Readers: bytes -> Document, one reader per format, chosen by file extension."""

from __future__ import annotations

import codecs
import re
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
    "charset_label",
    "decode",
    "from_bytes",
    "from_text",
    "is_binary",
]

Reader = Callable[[str, str], Document]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})


def _reader(suffix: str) -> Reader:
    # Imported lazily: a run over Markdown alone never imports the HTML parser.
    if suffix in (".md", ".markdown", ".mdown", ".mkd"):
        from lint.documents import markdown

        return markdown.read
    if suffix in HTML_SUFFIXES:
        from lint.documents import html

        return html.read
    from lint.documents import text

    return text.read


LINTABLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", *HTML_SUFFIXES})


def from_text(path: str, source: str, *, kind: str | None = None) -> Document:
    """A Document from already-decoded text; ``kind`` ('md', 'html', 'txt') overrides the suffix."""
    suffix = "." + kind if kind else PurePath(path).suffix.lower()
    return _reader(suffix)(path, source)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset="…"> or <meta http-equiv="Content-Type" content="text/html; charset=…">, looked
# for in the first bytes as a browser's pre-scan does.
_DECLARED_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)""", re.IGNORECASE
)
# XHTML pages may declare it in the XML declaration instead.
_XML_ENCODING = re.compile(rb"""\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:+-]+)""")
_PRESCAN_BYTES = 4096
# WHATWG Encoding: these labels mean windows-1252; a declared UTF-16 without a BOM means UTF-8.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}
_BINARY_PROBE = 8192


class DecodeError(ValueError):
    """The file's bytes are not text in any encoding we accept; ``line`` is where it fails."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag near its start, if any."""
    m = _XML_ENCODING.match(data) or _DECLARED_CHARSET.search(data, 0, _PRESCAN_BYTES)
    if m is None:
        return None
    return charset_label(m.group(1).decode("ascii"))


def charset_label(label: str) -> str:
    """A charset label as the decoder uses it (WHATWG aliases: ``iso-8859-1`` is windows-1252)."""
    label = label.strip().strip("\"'").lower()
    return _CHARSET_ALIASES.get(label, label)


def is_binary(data: bytes) -> bool:
    """Whether ``data`` looks like a binary file: a NUL byte early on and no UTF-16/32 BOM."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\x00" in data[:_BINARY_PROBE]


def _failure(data: bytes, encoding: str, exc: UnicodeDecodeError, hint: str) -> DecodeError:
    line = data.count(b"\n", 0, exc.start) + 1
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
    byte = data[exc.start : exc.start + 1].hex().upper()
    return DecodeError(f"not valid {encoding} (byte 0x{byte} at offset {exc.start}){hint}", line)


def decode(data: bytes, *, fallback: str | None = None) -> str:
    """Text of ``data``: by its BOM, else UTF-8, else ``fallback`` (a declared charset).

    UTF-8 is tried before a declared charset because the commonest mistake in real sites is a
    page saved as UTF-8 under an old ``iso-8859-1`` declaration; the reverse (legacy bytes that
    happen to be valid UTF-8) is rare beyond plain ASCII, which reads the same either way.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _failure(data, encoding, exc, "") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not fallback or fallback in ("utf-8", "utf8"):
            hint = (
                " though it declares it"
                if fallback
                else "; save it as UTF-8 or declare its charset"
            )
            raise _failure(data, "UTF-8", exc, hint) from None
        try:
            return data.decode(fallback)
        except LookupError:
            raise DecodeError(f"declares an unknown charset '{fallback}'") from None
        except UnicodeDecodeError as exc:
            raise _failure(data, fallback, exc, " (its declared charset)") from None


def _is_html(path: str, kind: str | None) -> bool:
    suffix = "." + kind if kind else PurePath(path).suffix.lower()
    return suffix in HTML_SUFFIXES


def from_bytes(
    path: str, data: bytes, *, kind: str | None = None, charset: str | None = None
) -> Document:
    """Decode and read a file's bytes (an HTML page's declared charset is honoured).

    ``charset``: the one a transport declared (an HTTP ``Content-Type``); as in browsers it
    wins over the page's own ``<meta>`` declaration, and like it is tried after UTF-8."""
    if charset:
        fallback: str | None = charset_label(charset)
    else:
        fallback = declared_charset(data) if _is_html(path, kind) else None
    return from_text(path, decode(data, fallback=fallback), kind=kind)

"""Decoding: BOMs, UTF-8, the charset an HTML page declares; binary files; bad bytes."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from lint import documents

TEXT = "آٹزم کا مکمل علاج — café\nline two"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le"],
)
def test_unicode_encodings(data: bytes) -> None:
    assert not documents.is_binary(data)
    assert documents.decode(data) == TEXT


@pytest.mark.parametrize(
    ("head", "encoding", "text"),
    [
        ('<meta charset="windows-1256">', "cp1256", "مكمل علاج"),
        ("<meta charset=windows-1256>", "cp1256", "مكمل علاج"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
            "cp1252",
            "café — crème",
        ),
        ("<META CHARSET='shift_jis'>", "shift_jis", "幹細胞"),
        ('<?xml version="1.0" encoding="windows-1252"?>', "cp1252", "crème — café"),
    ],
)
def test_declared_charset(head: str, encoding: str, text: str) -> None:
    page = f"<html><head>{head}</head><body><p>{text}</p></body></html>"
    if head.startswith("<?xml"):  # an XML declaration stands first
        page = head + page.replace(head, "")
    data = page.encode(encoding)
    with pytest.raises(documents.DecodeError):
        documents.decode(data)  # not UTF-8: only the declaration makes it readable
    doc = documents.from_bytes("page.html", data)
    assert text in doc.prose


def test_utf8_wins_over_a_stale_latin1_declaration() -> None:
    data = '<meta charset="iso-8859-1"><p>café</p>'.encode()
    assert "café" in documents.from_bytes("page.html", data).prose


def test_transport_charset_is_used_and_wins_over_a_meta_declaration() -> None:
    # A page served with Content-Type: text/html; charset=windows-1256 and no <meta> of its own,
    # or a wrong one: the header's charset decodes it, as a browser does.
    for head in ("", '<meta charset="windows-1252">'):
        data = f"<html><head>{head}</head><p>مكمل علاج</p></html>".encode("cp1256")
        doc = documents.from_bytes(
            "https://clinic.test/ur", data, kind="html", charset="Windows-1256"
        )
        assert "مكمل علاج" in doc.prose


def test_declaration_is_ignored_outside_html() -> None:
    data = b'<meta charset="windows-1256">' + "علاج".encode("cp1256")
    with pytest.raises(documents.DecodeError):
        documents.from_bytes("notes.txt", data)


def test_undecodable_error_names_the_line() -> None:
    data = b"line one\nline two\ncaf\xe9\n"
    with pytest.raises(documents.DecodeError) as caught:
        documents.decode(data)
    assert caught.value.line == 3
    assert "0xE9" in str(caught.value)


def test_unknown_declared_charset() -> None:
    data = b'<meta charset="klingon"><p>caf\xe9</p>'
    with pytest.raises(documents.DecodeError, match="unknown charset 'klingon'"):
        documents.from_bytes("page.html", data)


def test_binary_detection() -> None:
    assert documents.is_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not documents.is_binary(b"plain text")
    assert not documents.is_binary(codecs.BOM_UTF16_LE + "x".encode("utf-16-le"))


def test_site_with_odd_encodings_lints_the_rest_and_exits_2() -> None:
    """The real tool over fixtures/html/site: one error line for the undecodable page, a note
    for the binary one under --verbose, findings for every readable page, exit 2."""
    site = FIXTURES / "html" / "site"
    run = subprocess.run(
        [
            *(sys.executable, "-m", "lint", "check", "--format", "json", "--verbose"),
            *("--rules", "tests/rules/positions", "--select", "positions"),
            str(site.relative_to(ROOT)),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 2, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("clinic-lint: error:")]
    assert errors == [
        "clinic-lint: error: fixtures/html/site/broken/undecodable.html:3: cannot decode: "
        "not valid UTF-8 (byte 0xE9 at offset 55) though it declares it"
    ]
    assert "fixtures/html/site/broken/binary.html: skipped: a binary file" in run.stderr
    paths = {f["path"] for f in json.loads(run.stdout)["findings"]}
    assert paths == {
        "fixtures/html/site/index.html",
        "fixtures/html/site/legacy/latin1.html",
        "fixtures/html/site/legacy/utf16.html",
        "fixtures/html/site/legacy/utf8-bom.html",
        "fixtures/html/site/legacy/windows-1256.html",
    }  # and not drafts/, which the site's .gitignore ignores

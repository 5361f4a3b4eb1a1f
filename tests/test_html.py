"""The HTML reader: what is prose, where blocks end, and an offset map that never lies."""

from __future__ import annotations

import html as stdlib_html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lint import normalize
from lint.documents import BLOCK_SEPARATOR, Document, from_text


def read(source: str) -> Document:
    return from_text("page.html", source)


def blocks(source: str) -> list[str]:
    """The non-blank paragraphs of a page, white space collapsed."""
    doc = read(source)
    out = [" ".join(doc.prose[s:e].split()) for s, e in doc.paragraphs]
    return [b for b in out if b]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>no <b>side</b> effects</p>", ["no side effects"]),
        ("<p>a</p><p>b</p>", ["a", "b"]),
        ("<ul><li>one<li>two</ul>", ["one", "two"]),
        ("<table><tr><td>x</td><td>y</td></tr></table>", ["x", "y"]),
        ("<h2>Title</h2>text", ["Title", "text"]),
        ("<div>a<span>b</span>c</div>", ["abc"]),
        ("<p>5 &amp; 6 &ndash; 7&nbsp;% &#8217; &#x41;</p>", ["5 & 6 – 7 % ’ A"]),
        ("<p>AT&T &unknown; &amp</p>", ["AT&T &unknown; &"]),
        ("<p>Q&#A &#; &#38; &#xZ</p><p>next</p>", ["Q&#A &#; & &#xZ", "next"]),
    ],
)
def test_text_and_blocks(source: str, expected: list[str]) -> None:
    assert blocks(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "<script>no side effects</script>",
        "<style>.no-side-effects{}</style>",
        "<template><p>no side effects</p></template>",
        "<pre>no side effects</pre>",
        "<p><code>no side effects</code></p>",
        "<!-- no side effects -->",
        "<svg><title>no side effects</title></svg>",
        "<noscript>no side effects</noscript>",
        '<a href="/no-side-effects" class="no side effects" data-x="no side effects"></a>',
        '<meta name="keywords" content="no side effects">',
        '<script type="application/ld+json">{"url": "no side effects", "@id": "x"}</script>',
        "<textarea>no side effects</textarea>",
        "<p>fine</p><!-- an unclosed comment: <p>no side effects</p>",
    ],
)
def test_not_prose(source: str) -> None:
    assert "side" not in read(source).prose


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('<img src="a.png" alt="Before &amp; after">', ["Before & after"]),
        ('<a title="Best clinic">x</a>', ["x", "Best clinic"]),
        ("<title>Clinic</title>", ["Clinic"]),
        ('<meta name="description" content="Stem cells">', ["Stem cells"]),
        ('<meta property="og:description" content="A cure">', ["A cure"]),
        ('<meta name="twitter:description" content="Safe">', ["Safe"]),
        ('<meta content="Reversed" name="Description">', ["Reversed"]),
        (
            '<script type="application/ld+json">{"name": "Q?", "text": "A \\"yes\\"."}</script>',
            ["Q?", 'A "yes".'],
        ),
        (
            '<script type="application/ld+json">{"text": "<p>a</p><p>b &amp; c</p>"}</script>',
            ["a", "b & c"],
        ),
        (
            '<script type="application/ld+json">{"acceptedAnswer": "Yes.", "url": "u"}</script>',
            ["Yes."],
        ),
    ],
)
def test_attribute_meta_and_json_ld_prose(source: str, expected: list[str]) -> None:
    assert blocks(source) == expected


def test_alt_text_does_not_cut_the_sentence_around_it() -> None:
    doc = read('<p>Our therapy <img alt="a photo"> has no side effects.</p>')
    first = doc.paragraphs[0]
    assert " ".join(doc.prose[first[0] : first[1]].split()) == "Our therapy has no side effects."


def test_head_prose_in_source_order() -> None:
    source = (
        '<head><title>T</title><meta name="description" content="D">'
        '<script type="application/ld+json">{"text": "J"}</script></head><body><p>B</p></body>'
    )
    assert blocks(source) == ["T", "D", "J", "B"]


def test_br_ends_a_sentence_not_the_paragraph() -> None:
    doc = read("<p>no side<br>effects here</p>")
    assert len([p for p in doc.paragraphs if doc.prose[p[0] : p[1]].strip()]) == 1
    texts = [doc.prose[s:e] for s, e in doc.sentences]
    assert "no side" in texts and "effects here" in texts


def test_unclosed_code_ends_with_its_block() -> None:
    assert blocks("<div><p>a <code>x</div><p>no side effects</p>") == ["a", "no side effects"]


@pytest.mark.parametrize("source", ["<![alt](y)", "<![if x]>a<![endif]>", "<![ if", "<!", "</ >"])
def test_odd_declarations_do_not_raise(source: str) -> None:
    read(source)


def test_comments_are_recorded_with_their_span() -> None:
    source = "<p>x</p>\n<!-- clinic-lint: disable core/cure -- reviewed -->\n<p>y</p>"
    doc = read(source)
    [comment] = doc.comments
    assert (
        source[comment.offset : comment.end]
        == "<!-- clinic-lint: disable core/cure -- reviewed -->"
    )
    assert comment.body == "clinic-lint: disable core/cure -- reviewed"


def test_positions_through_entities_tags_and_json() -> None:
    source = (
        '<p>a&nbsp;<i>b</i> c</p>\n<script type="application/ld+json">\n'
        '{"text": "x \\u00e9t\\u00e9 <b>no</b>\\nside"}\n</script>'
    )
    doc = read(source)
    for word, (line, column) in {
        "b": (1, 14),
        "c": (1, 20),
        "no": (3, 30),
        "side": (3, 38),
    }.items():
        at = doc.prose.index(word)
        assert doc.position(doc.source_offset(at)) == (line, column), word
    accented = doc.prose.index("été")
    span = doc.span(accented, accented + 3)
    assert source.split("\n")[2][span.column - 1 : span.end_column - 1] == "\\u00e9t\\u00e9"


def test_columns_count_code_points() -> None:
    doc = read("<p>😀 آٹزم کا علاج</p>")
    at = doc.prose.index("علاج")
    assert doc.position(doc.source_offset(at)) == (1, 14)


# -- the map never lies: a property over generated, often broken, markup -------------------------
PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<br>",
        "<li>",
        "<div class='x'>",
        "</div>",
        "<code>",
        "</code>",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<!--",
        "-->",
        "<!-- c -->",
        "&amp;",
        "&nbsp;",
        "&#8217;",
        "&#x41;",
        "&#;",
        "&ampx",
        "&",
        "<",
        ">",
        "\r\n",
        "\n",
        "\t",
        "no side effects",
        "آٹزم کا مکمل علاج",
        "ـ",
        "\u064e",
        '<img alt="a &amp; b">',
        '<meta name="description" content="x &lt; y">',
        "<title>t</title>",
        "'",
        '"',
        '<script type="application/ld+json">{"text": "a\\u00e9 \\"q\\" <i>i</i>"}</script>',
        "<pre>",
        "</pre>",
        "<p/>",
        "<a title=unquoted>",
        "</ a>",
        "<?php echo 1 ?>",
        "<!DOCTYPE html>",
    ]
)


# Raw punctuation finds the tokenizer's corners: '<![x', '&#;', '</ >', unclosed comments.
RAW = st.text(alphabet="<!>[]-/&#;?x1 \n\"'=", max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(PIECES, max_size=40).map("".join), RAW))
def test_offset_map_is_exact(source: str) -> None:
    doc = read(source)  # never raises: html.parser's own assertions are caught
    prose_starts, src_starts, prose_lens, src_lens = doc.runs
    for p_start, s_start, p_len, s_len in zip(
        prose_starts, src_starts, prose_lens, src_lens, strict=True
    ):
        prose = doc.prose[p_start : p_start + p_len]
        src = source[s_start : s_start + s_len]
        if prose == BLOCK_SEPARATOR:
            assert s_len == 0
        elif p_len == s_len:
            assert prose == src  # copied 1:1: the very same characters
        else:  # a replacement: an entity or a JSON escape standing for what it decodes to
            assert src.startswith(("&", "\\")), (prose, src)
            decoded = stdlib_html.unescape(src) if src.startswith("&") else src
            assert prose in decoded or src.startswith("\\"), (prose, src)
        assert not normalize.IGNORABLE.search(prose)

"""Readers and segmentation: what is prose, where blocks and sentences end, exact positions."""

from __future__ import annotations

import pytest

from lint.documents import BLOCK_SEPARATOR, from_text


def prose(text: str, kind: str) -> str:
    shown = from_text(f"x.{kind}", text).prose.replace(BLOCK_SEPARATOR, " | ")
    return " ".join(shown.split()).strip(" |")


def sentences(text: str, kind: str = "txt") -> list[str]:
    doc = from_text(f"x.{kind}", text)
    return [" ".join(doc.excerpt(s, e).split()) for s, e in doc.sentences]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Title\n\nSome *bold* and **strong** text.", "Title | Some bold and strong text."),
        ("```\nno side effects\n```\nAfter.", "After."),
        ("Para.\n\n    indented code\n\nAfter.", "Para. | After."),
        ("See [our clinic](https://x.pk/no-side-effects) now.", "See our clinic now."),
        ("![Before and after photo](img.png)", "Before and after photo"),
        ("Call <https://x.pk> or www.x.pk today.", "Call or today."),
        ("Text <!-- hidden claim --> more.", "Text more."),
        ("<!--\nmulti\nline\n-->\nAfter.", "After."),
        ("---\ntitle: Cure now\nslug: no-side-effects\n---\nBody.", "Cure now | Body."),
        ("- one\n- two", "one | two"),
        ("> quoted\n> text", "quoted text"),
        ("| a | b |\n|---|---|\n| c | d |", "a | b | c | d"),
        ("Use `no side effects` in code.", "Use in code."),
        (
            "Fish &amp; chips, 100&nbsp;% safe, \\*not emphasis\\*",
            "Fish & chips, 100 % safe, *not emphasis*",
        ),
        ("no <b>side</b> effects", "no side effects"),
    ],
)
def test_markdown_prose(source: str, expected: str) -> None:
    assert prose(source, "md") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Dr. Khan treats you. It works.", ["Dr. Khan treats you.", "It works."]),
        ("Use e.g. this one. Next.", ["Use e.g. this one.", "Next."]),
        ("A 1.5 ml dose. Next.", ["A 1.5 ml dose.", "Next."]),
        ("We are No. 1 in Lahore. Next.", ["We are No. 1 in Lahore.", "Next."]),
        ("By A. M. Lavezzi here. Next!", ["By A. M. Lavezzi here.", "Next!"]),
        ("پہلا جملہ۔ دوسرا جملہ۔", ["پہلا جملہ۔", "دوسرا جملہ۔"]),
        (
            "Heading\nFirst line of text.\nSecond line.",
            ["Heading", "First line of text.", "Second line."],
        ),
        ("A wrapped\nsentence here.\n\nNext para.", ["A wrapped sentence here.", "Next para."]),
    ],
)
def test_sentences(source: str, expected: list[str]) -> None:
    assert sentences(source) == expected


def test_markdown_list_numbers_do_not_end_sentences() -> None:
    assert sentences("1. First item here\n2. Second item", "md") == [
        "First item here",
        "Second item",
    ]


@pytest.mark.parametrize(
    ("source", "kind", "start", "end", "expected"),
    [
        # entity inside the phrase: the end column is past the whole entity
        ("x\n100&nbsp;% safe", "md", "100", "safe", (2, 1, 2, 16)),
        ("Say:\tno <b>side</b> effects", "md", "no", "effects", (1, 6, 1, 28)),
        ("a\r\nno side effects\r\n", "txt", "no", "effects", (2, 1, 2, 16)),
        ("کوئی سائیڈ ایفیکٹ نہیں", "txt", "سائیڈ", "ایفیکٹ", (1, 6, 1, 18)),
    ],
)
def test_positions_map_to_source(
    source: str, kind: str, start: str, end: str, expected: tuple[int, int, int, int]
) -> None:
    doc = from_text(f"x.{kind}", source)
    s = doc.prose.index(start)
    e = doc.prose.index(end) + len(end)
    span = doc.span(s, e)
    assert (span.line, span.column, span.end_line, span.end_column) == expected


def test_ignorable_marks_are_dropped_but_positions_kept() -> None:
    source = "یہ شرطیــــہ علاج ہے"  # tatweel inside the word
    doc = from_text("x.txt", source)
    assert "شرطیہ" in doc.text
    s = doc.text.index("شرطیہ")
    span = doc.span(s, s + len("شرطیہ"))
    assert source[span.column - 1 : span.end_column - 1] == "شرطیــــہ"


def test_fold_is_normalize_fold() -> None:
    """The document's quick fold (a replace per folded character) is normalize's translate:
    one pass each, so no folded character may be another's variant."""
    import random

    from lint import normalize
    from lint.documents import model

    variants = {variant for variant, _ in model._FOLD_PAIRS}
    assert not variants & {plain for _, plain in model._FOLD_PAIRS}
    alphabet = [*variants, *(plain for _, plain in model._FOLD_PAIRS), "a", " ", "\u06cc", "\n"]
    rnd = random.Random(5)
    for size in (0, 1, 7, 300):
        text = "".join(rnd.choice(alphabet) for _ in range(size))
        assert model.fold(text) == normalize.fold(text)

"""Rules described for people: the listing (``clinic-lint rules``), one rule explained
(``clinic-lint explain``) and the reference page (``docs/rules.md``). Everything comes from the
rule files themselves, so no description can drift from the rules (Ruff's and yamllint's way)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from lint.examples import Example
from lint.hints import close_matches
from lint.rules import (
    BODY_KEYS,
    CATEGORIES,
    DEFAULT_PACKS,
    Rule,
    RuleSet,
    relative,
    shipped_rules_dir,
)

DOCS_COMMAND = "clinic-lint rules docs > docs/rules.md"


class CatalogError(ValueError):
    """An unknown rule, pack or category asked for (one line, exit 2)."""


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = close_matches(word, choices, cutoff=0.5)
    return f" — did you mean '{close[0]}'?" if close else ""


def _ordered(rules: Iterable[Rule]) -> list[Rule]:
    """The default packs first, then by pack, category (in the design's order) and id."""
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    default = {p: i for i, p in enumerate(DEFAULT_PACKS)}  # the packs a plain run uses come first
    return sorted(
        rules,
        key=lambda r: (default.get(r.pack, len(default)), r.pack, rank.get(r.category, 99), r.id),
    )


def select(ruleset: RuleSet, pack: str | None = None, category: str | None = None) -> list[Rule]:
    """The rules of one pack and/or category; unknown names raise CatalogError."""
    if pack is not None and pack not in ruleset.packs:
        raise CatalogError(
            f"unknown pack '{pack}' (packs: {', '.join(sorted(ruleset.packs))}){_did_you_mean(pack, ruleset.packs)}"
        )
    if category is not None and category not in CATEGORIES:
        raise CatalogError(
            f"unknown category '{category}'{_did_you_mean(category, CATEGORIES)}"
            f" (categories: {', '.join(CATEGORIES)})"
        )
    return _ordered(
        r
        for r in ruleset
        if (pack is None or r.pack == pack) and (category is None or r.category == category)
    )


def find(ruleset: RuleSet, rule_id: str) -> Rule:
    """The rule with this id (``core/cure``), or CatalogError with the closest id."""
    rule = ruleset.get(rule_id)
    if rule is None:
        ids = [r.id for r in ruleset]
        stems = [i for i in ids if i.split("/", 1)[-1] == rule_id]
        hint = f" — did you mean '{stems[0]}'?" if stems else _did_you_mean(rule_id, ids)
        raise CatalogError(f"unknown rule '{rule_id}'{hint} (list them with: clinic-lint rules)")
    return rule


def one_line(text: str) -> str:
    """A message or text on one line, ``{match}`` shown as an ellipsis."""
    return " ".join(text.split()).replace("{match}", "…")


# -- the listing ---------------------------------------------------------------------------------


def listing_text(rules: Sequence[Rule]) -> str:
    """Rules grouped by pack, one per line: id, category, severity, message."""
    if not rules:
        return "no rules match\n"
    width = max(len(r.id) for r in rules)
    cat_width = max(len(r.category) for r in rules)
    out: list[str] = []
    for pack in dict.fromkeys(r.pack for r in rules):
        in_pack = [r for r in rules if r.pack == pack]
        out.append(f"{pack} ({len(in_pack)} rule{'s' * (len(in_pack) != 1)})")
        out += [
            f"  {r.id:<{width}}  {r.category:<{cat_width}}  {r.severity.value:<7}  {one_line(r.message)}"
            for r in in_pack
        ]
        out.append("")
    return "\n".join(out)


def summary_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "pack": rule.pack,
        "category": rule.category,
        "severity": rule.severity.value,
        "message": rule.message,
        "source": relative(rule.source),
    }


def listing_json(rules: Sequence[Rule]) -> dict[str, Any]:
    return {
        "version": 1,
        "packs": list(dict.fromkeys(r.pack for r in rules)),
        "rules": [summary_json(r) for r in rules],
    }


# -- one rule explained ----------------------------------------------------------------------------


def patterns_yaml(rule: Rule) -> str:
    """The rule's body (match, unless, near, except, count, when, require) as written, in file order."""
    body = {k: v for k, v in rule.raw.items() if k in BODY_KEYS}
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)


def _example_line(example: Example) -> str:
    text = example.marked
    if example.fix is not None:
        text += f"  →  fix: {example.fix}"
    if example.todo is not None:
        text += f"  (known gap: {example.todo})"
    return text


def _para(text: str, first: str = "    ") -> str:
    """Text wrapped for a terminal, indented under its heading."""
    return textwrap.fill(
        " ".join(text.split()),
        width=100,
        initial_indent=first,
        subsequent_indent=" " * len(first),
    )


def explain_text(rule: Rule) -> str:
    indent = "\n    "
    out = [
        f"{rule.id}  ({rule.category}, {rule.severity.value}; pack {rule.pack})",
        f"  defined in {relative(rule.source)}",
        "",
        "  What it flags",
        _para(rule.message),
        "",
        "  Why",
        _para(rule.why),
        "",
        "  References",
        *(_para(ref, "    - ") for ref in rule.references),
        "",
        "  Say instead",
        _para(rule.suggest),
        "",
        "  Flags (bad examples; [[…]] marks the exact words)",
        *(f"    ✗ {_example_line(e)}" for e in rule.examples.cases if e.kind == "bad"),
        "",
        "  Leaves alone (good examples)",
        *(f"    ✓ {_example_line(e)}" for e in rule.examples.cases if e.kind == "good"),
        "",
        "  Patterns",
        "    " + indent.join(patterns_yaml(rule).rstrip("\n").splitlines()),
        "",
    ]
    return "\n".join(out)


def _example_json(example: Example) -> dict[str, Any]:
    return {"text": example.marked, "fix": example.fix, "todo": example.todo}


def explain_json(rule: Rule) -> dict[str, Any]:
    return {
        **summary_json(rule),
        "why": rule.why,
        "references": list(rule.references),
        "suggest": rule.suggest,
        "examples": {
            kind: [_example_json(e) for e in rule.examples.cases if e.kind == kind]
            for kind in ("bad", "good")
        },
        "patterns": {k: v for k, v in rule.raw.items() if k in BODY_KEYS},
    }


# -- the reference page ------------------------------------------------------------------------------

WHITESPACE = re.compile(r"\s+")
_MD_SPECIAL = "\\`*_[]<>|#"


def _escape(text: str) -> str:
    """Plain text safe inside Markdown (backslash-escape what would become markup), one line."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in WHITESPACE.sub(" ", text))


def _md(text: str) -> str:
    return _escape(text.strip())


def _md_example(example: Example) -> str:
    text = "".join(
        "**" + _escape(example.text[s:e]) + "**" if i % 2 else _escape(example.text[s:e])
        for i, (s, e) in enumerate(_pieces(example))
    )
    if example.fix is not None:
        text += f" → fix: {_md(example.fix)}"
    if example.todo is not None:
        text += f" *(known gap: {_md(example.todo)})*"
    return f"- {text}"


def _pieces(example: Example) -> list[tuple[int, int]]:
    """Alternating unmarked / marked slices of the example text (marked at odd positions)."""
    pieces, last = [], 0
    for start, end in example.spans:
        pieces += [(last, start), (start, end)]
        last = end
    return [*pieces, (last, len(example.text))]


def _source_link(rule: Rule) -> str:
    """A link to the rule file: from docs/ for shipped rules, from here for a reviewer's own."""
    try:
        path = Path(rule.source).resolve().relative_to(shipped_rules_dir().parent).as_posix()
    except ValueError:
        return f"[{relative(rule.source)}]({relative(rule.source)})"
    return f"[{path}](../{path})"


def counted(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _md_rule(rule: Rule) -> list[str]:
    out = [
        f"#### `{rule.id}`",
        "",
        f"**{rule.severity.value}** · {rule.category} · {_source_link(rule)}",
        "",
        _md(rule.message.replace("{match}", "…")),
        "",
        f"**Why.** {_md(rule.why)}",
        "",
        "**References.**",
        "",
        *(f"- {_md(ref)}" for ref in rule.references),
        "",
        f"**Say instead.** {_md(rule.suggest)}",
        "",
        "**Flags:**",
        "",
        *(_md_example(e) for e in rule.examples.cases if e.kind == "bad"),
        "",
        "**Leaves alone:**",
        "",
        *(_md_example(e) for e in rule.examples.cases if e.kind == "good"),
        "",
    ]
    return out


def reference_markdown(ruleset: RuleSet, command: str = DOCS_COMMAND) -> str:
    """docs/rules.md (or a reviewer's page): every rule, grouped by pack and category."""
    rules = _ordered(ruleset)
    packs = list(dict.fromkeys(r.pack for r in rules))
    out = [
        "# Rule reference",
        "",
        f"<!-- Generated from the rule files by `{command}`; do not edit by hand. -->",
        "",
        f"{counted(len(rules), 'rule')} in {counted(len(packs), 'pack')}. Each rule's id is `pack/file-name`; turn one off"
        " with `--ignore ID` or select by pack or category with `--select`. "
        "`clinic-lint explain ID` shows the same entry in the terminal, with the patterns.",
        "",
        *(
            f"- [{p}](#{p}): {counted(sum(r.pack == p for r in rules), 'rule')}"
            + (" (used by default)" if p in DEFAULT_PACKS else "")
            for p in packs
        ),
        "",
    ]
    for pack in packs:
        out += [f"## {pack}", ""]
        in_pack = [r for r in rules if r.pack == pack]
        for category in dict.fromkeys(r.category for r in in_pack):
            out += [f"### {category}", ""]
            for rule in (r for r in in_pack if r.category == category):
                out += _md_rule(rule)
    return "\n".join(out).rstrip("\n") + "\n"

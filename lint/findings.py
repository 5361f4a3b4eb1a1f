"""The Finding record: plain data, ordered by place, serialisable to the JSON contract."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """How bad a finding is; ``rank`` orders them for ``--fail-on``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


SEVERITIES = tuple(s.value for s in Severity)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. Lines and columns are 1-based; columns count code points.

    ``end_line``/``end_column`` point just past the match (exclusive), as in SARIF and LSP.
    ``context`` is the match with the word before and after it in its sentence (used for
    fingerprints, not printed). ``document`` marks a document-level finding (a ``when``/
    ``require`` rule: a missing disclaimer), which is about the whole page, not its place.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    match: str = field(compare=False)
    suggestion: str = field(compare=False, default="")
    context: str = field(compare=False, default="", repr=False)
    # A learned rule's probability that the sentence is a violation (None for pattern rules).
    probability: float | None = field(compare=False, default=None)
    document: bool = field(compare=False, default=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The finding as the JSON output contract spells it (design.md, 'Machine output')."""
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "match": self.match,
            "suggestion": self.suggestion,
        }
        if self.probability is not None:
            data["probability"] = self.probability
        return data

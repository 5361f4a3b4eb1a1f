"""lint.record against dataclasses: the same behaviour for every feature the project uses."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from lint import record


def _pair(frozen: bool, order: bool) -> tuple[type, type]:
    """The same class declared both ways."""

    def declare(decorator, field):  # type: ignore[no-untyped-def]
        @decorator
        class Point:
            path: str
            line: int
            note: str = field(compare=False, default="")
            tags: list[str] = field(default_factory=list, compare=False, repr=False)
            level: int = 3

        return Point

    ours = declare(record.record(frozen=frozen, order=order), record.field)
    theirs = declare(dataclasses.dataclass(frozen=frozen, order=order), dataclasses.field)
    return ours, theirs


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("order", [False, True])
def test_behaves_as_dataclass(frozen: bool, order: bool) -> None:
    ours, theirs = _pair(frozen, order)
    cases = [("a", 1), ("a", 2, "x"), ("b", 1, "", ["t"], 0), ("a", 1, "other note")]
    mine = [ours(*c) for c in cases]
    ref = [theirs(*c) for c in cases]
    for m, r in zip(mine, ref, strict=True):
        assert repr(m).split("(", 1)[1] == repr(r).split("(", 1)[1]
        assert vars(m) == vars(r)
    for i, j in [(a, b) for a in range(len(cases)) for b in range(len(cases))]:
        assert (mine[i] == mine[j]) == (ref[i] == ref[j])
        if order:
            assert (mine[i] < mine[j]) == (ref[i] < ref[j])
            assert (mine[i] >= mine[j]) == (ref[i] >= ref[j])
    if frozen:
        assert [hash(m) for m in mine] == [hash(r) for r in ref]
        with pytest.raises(AttributeError):
            mine[0].line = 5
    else:
        assert ours.__hash__ is None
        mine[0].line = 5
        assert mine[0].line == 5
    assert ours("a", 1).tags is not ours("a", 1).tags  # a fresh default each time
    assert ours.level == theirs.level == 3 and not hasattr(ours, "tags")
    with pytest.raises(TypeError):
        ours()
    assert (mine[0] == object()) is False


def test_replace_and_pickle() -> None:
    ours, _ = _pair(True, True)
    one = ours("a", 1, "n", ["t"])
    two = record.replace(one, line=7)
    assert (two.path, two.line, two.note, two.tags) == ("a", 7, "n", ["t"])
    with pytest.raises(TypeError, match="no field 'nope'"):
        record.replace(one, nope=1)
    assert pickle.loads(pickle.dumps(Picklable("x", 2))) == Picklable("x", 2)


@record.record(frozen=True)
class Picklable:
    name: str
    size: int

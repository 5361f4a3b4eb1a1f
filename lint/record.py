"""Record classes: the part of ``dataclasses`` this project uses, at a fraction of its start-up.

``import dataclasses`` pulls in ``inspect`` (with ``ast``, ``dis`` and ``tokenize``), about 12 ms,
and each decorated class then costs another ~0.7 ms of generic processing: together a fifth of a
pre-commit run on one page. ``record`` reads the same class syntax (annotations, defaults,
``field(default_factory=..., compare=False, repr=False)``, ``frozen``, ``order``) and builds the
methods with a single ``exec`` per class. Semantics follow ``dataclasses`` for these features
(tests/test_record.py compares them); type checkers see it as a dataclass (PEP 681).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorator: decorator


T = TypeVar("T")
_MISSING: Any = object()
_ORDER = {"<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class Field:
    """What ``field()`` declares about one attribute."""

    __slots__ = ("compare", "default", "default_factory", "repr")

    def __init__(
        self, default: Any, default_factory: Callable[[], Any] | None, compare: bool, repr: bool
    ) -> None:
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    compare: bool = True,
    repr: bool = True,
) -> Any:
    """Like ``dataclasses.field`` for the options this project uses."""
    return Field(default, default_factory, compare, repr)


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = False, order: bool = False) -> Any:
    """``@record`` or ``@record(frozen=True, order=True)``, as ``@dataclass`` would be used."""

    def wrap(klass: type[T]) -> type[T]:
        return _build(klass, frozen, order)

    return wrap if cls is None else wrap(cls)


def _fields(cls: type) -> dict[str, Field]:
    """The class's own annotated attributes, in order, as Fields (plain defaults wrapped)."""
    specs: dict[str, Field] = {}
    # Not inspect.get_annotations: importing inspect is the cost this module exists to avoid.
    for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, Field) else Field(value, None, True, True)
        specs[name] = spec
        if isinstance(value, Field):  # as dataclasses: the class keeps plain defaults only
            if value.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, value.default)
    return specs


def _build(cls: type[T], frozen: bool, order: bool) -> type[T]:
    specs = _fields(cls)
    env: dict[str, Any] = {"_MISSING": _MISSING, "_Frozen": FrozenInstanceError}
    params, body = [], []
    for name, spec in specs.items():
        if spec.default_factory is not None:
            env[f"_f_{name}"] = spec.default_factory
            params.append(f"{name}=_MISSING")
            body.append(f" d['{name}'] = _f_{name}() if {name} is _MISSING else {name}")
            continue
        if spec.default is not _MISSING:
            env[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
        else:
            params.append(name)
        body.append(f" d['{name}'] = {name}")
    # Writing the instance dict directly is what makes frozen construction as cheap as plain.
    lines = [f"def __init__(self, {', '.join(params)}):", " d = self.__dict__", *body]
    if not body:
        lines.append(" pass")
    shown = [n for n, s in specs.items() if s.repr]
    shown_text = ", ".join(f"{n}={{self.{n}!r}}" for n in shown)
    lines += ["def __repr__(self):", f" return f'{cls.__qualname__}({shown_text})'"]
    compared = [n for n, s in specs.items() if s.compare]
    key = "(" + "".join(f"self.{n}, " for n in compared) + ")"
    other = key.replace("self.", "other.")
    comparisons = [("==", "__eq__")] + (list(_ORDER.items()) if order else [])
    for op, name in comparisons:
        lines += [
            f"def {name}(self, other):",
            " if other.__class__ is not self.__class__: return NotImplemented",
            f" return {key} {op} {other}",
        ]
    if frozen:
        lines += [
            "def __hash__(self):",
            f" return hash({key})",
            "def __setattr__(self, name, value):",
            " raise _Frozen(f'cannot assign to field {name!r}')",
            "def __delattr__(self, name):",
            " raise _Frozen(f'cannot delete field {name!r}')",
        ]
    exec("\n".join(lines), env)  # source built above from the class's own field names
    methods = ["__init__", "__repr__", "__eq__", *(_ORDER.values() if order else ())]
    methods += ["__hash__", "__setattr__", "__delattr__"] if frozen else []
    for name in methods:
        function = env[name]
        function.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, function)
    if not frozen:
        cls.__hash__ = None  # type: ignore[assignment] # mutable and compared: unhashable
    cls.__record_fields__ = tuple(specs)  # type: ignore[attr-defined]
    return cls


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the record ``obj`` with some fields changed (``dataclasses.replace``)."""
    names = obj.__class__.__record_fields__  # type: ignore[attr-defined]
    values = {name: getattr(obj, name) for name in names}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{obj.__class__.__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return obj.__class__(**values)

"""Record classes: the part of ``dataclasses`` this project uses, at a fraction of its start-up.

``import dataclasses`` pulls in ``inspect`` (with ``ast``, ``dis`` and ``tokenize``), about 12 ms,
and each decorated class then costs another ~0.7 ms of generic processing: together a fifth of a
pre-commit run on one page. ``record`` reads the same class syntax (annotations, defaults,
``field(default_factory=..., compare=False, repr=False)``, ``frozen``, ``order``); only
``__init__`` is compiled per class, the other methods are shared and read a per-class key. Semantics follow ``dataclasses`` for these features
(tests/test_record.py compares them); type checkers see it as a dataclass (PEP 681).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorator: decorator


T = TypeVar("T")
_MISSING: Any = object()


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
    compared = [n for n, s in specs.items() if s.compare]
    # The comparison key: a tuple of the compared fields, from one C-level getter.
    key = attrgetter(*compared) if len(compared) > 1 else _one(compared)
    cls.__record_fields__ = tuple(specs)  # type: ignore[attr-defined]
    cls.__record_key__ = staticmethod(key)  # type: ignore[attr-defined]
    cls.__record_repr__ = tuple(n for n, s in specs.items() if s.repr)  # type: ignore[attr-defined]
    methods: dict[str, Any] = {
        "__init__": _init(cls, specs, frozen),
        "__repr__": _repr,
        "__eq__": _eq,
    }
    if order:
        methods.update(_order(cls, compared))
    if frozen:
        methods.update(__hash__=_hash, __setattr__=_setattr, __delattr__=_delattr)
    for name, function in methods.items():
        setattr(cls, name, function)
    if not frozen:
        cls.__hash__ = None  # type: ignore[assignment] # mutable and compared: unhashable
    return cls


def _one(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda obj: ()
    getter = attrgetter(names[0])
    return lambda obj: (getter(obj),)


def _init(cls: type, specs: dict[str, Field], frozen: bool) -> Callable[..., None]:
    """``__init__`` with the fields as parameters: the one method compiled per class, since a
    generic ``*args`` version would cost every construction (findings are made by thousands).
    Attributes are set one by one, as dataclasses do: touching ``__dict__`` would turn the
    instance's inline attribute values into a plain dict, and every later read slower."""
    env: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, body = [], []
    for name, spec in specs.items():
        value = name
        if spec.default_factory is not None:
            env[f"_f_{name}"] = spec.default_factory
            params.append(f"{name}=_MISSING")
            value = f"_f_{name}() if {name} is _MISSING else {name}"
        elif spec.default is not _MISSING:
            env[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
        else:
            params.append(name)
        body.append(f" _set(self, '{name}', {value})" if frozen else f" self.{name} = {value}")
    source = "\n".join([f"def __init__(self, {', '.join(params)}):", *(body or [" pass"])])
    exec(source, env)  # source built from the class's own field names
    function: Callable[..., None] = env["__init__"]
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    return function


def _repr(self: Any) -> str:
    shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self.__record_key__(self) == self.__record_key__(other)


def _order(cls: type, compared: list[str]) -> dict[str, Callable[[Any, Any], Any]]:
    """The four orderings, compiled: sorting thousands of findings calls them ~15 times each,
    twice as fast as through the shared key getter."""
    mine = "(" + "".join(f"self.{n}, " for n in compared) + ")"
    theirs = mine.replace("self.", "other.")
    lines = []
    for op, name in (("<", "__lt__"), ("<=", "__le__"), (">", "__gt__"), (">=", "__ge__")):
        lines += [
            f"def {name}(self, other):",
            " if other.__class__ is not self.__class__: return NotImplemented",
            f" return {mine} {op} {theirs}",
        ]
    env: dict[str, Any] = {}
    exec("\n".join(lines), env)  # source built from the class's own field names
    for name in ("__lt__", "__le__", "__gt__", "__ge__"):
        env[name].__qualname__ = f"{cls.__qualname__}.{name}"
    return {name: env[name] for name in ("__lt__", "__le__", "__gt__", "__ge__")}


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the record ``obj`` with some fields changed (``dataclasses.replace``)."""
    names = obj.__class__.__record_fields__  # type: ignore[attr-defined]
    values = {name: getattr(obj, name) for name in names}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{obj.__class__.__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return obj.__class__(**values)

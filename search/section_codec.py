"""Briefings and sections to JSON and back, field by field: no pickle, no code from disk.

The encoding follows the dataclasses as they are defined now, so a field added to the
model flows through without a change here. Only dataclasses and enums defined by
partner-tui's search package can be rebuilt; the cache that stores this names the fields
of each one (`model_signature`), so data written by another version of the model is
never read into this one.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import importlib
import json
import pkgutil
from functools import cache
from typing import Any

_MODULES = ("partner_tui.search.model", "partner_tui.search.readers")


class CodecError(ValueError):
    """The value holds something this codec does not rebuild (the caller re-reads)."""


@cache
def _classes() -> dict[str, type]:
    """Dataclasses and enums of the search model and readers, by name."""
    found: dict[str, type] = {}
    for name in _MODULES:
        module = importlib.import_module(name)
        modules = [module]
        if hasattr(module, "__path__"):
            for info in pkgutil.iter_modules(module.__path__, f"{name}."):
                modules.append(importlib.import_module(info.name))
        for each in modules:
            for value in vars(each).values():
                if not isinstance(value, type) or not value.__module__.startswith(
                    "partner_tui.search"
                ):
                    continue
                if dataclasses.is_dataclass(value) or issubclass(value, enum.Enum):
                    found[value.__name__] = value
    return found


@cache
def model_signature() -> str:
    """Names every rebuildable class with its fields (or members), in order."""
    parts = []
    for name, kind in sorted(_classes().items()):
        if dataclasses.is_dataclass(kind):
            parts.append(f"{name}({','.join(f.name for f in dataclasses.fields(kind))})")
        else:
            members = kind.__members__.values()  # type: ignore[attr-defined]
            parts.append(f"{name}[{','.join(str(m.value) for m in members)}]")
    return hashlib.blake2b(";".join(parts).encode(), digest_size=12).hexdigest()


def encode(value: Any) -> Any:
    """A JSON-able form of `value`; raises CodecError for what cannot come back."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return {"e": [type(value).__name__, encode(value.value)]}
    if isinstance(value, tuple):
        return {"t": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"m": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _classes().get(name) is not type(value):
            raise CodecError(f"not a model class: {name}")
        values = [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return {"d": [name, values]}
    raise CodecError(f"cannot encode {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """The value `dumps` wrote; CodecError (or ValueError) for anything else."""
    return json.loads(text, object_hook=_rebuild)


def _rebuild(tagged: dict) -> Any:
    if len(tagged) != 1:
        raise CodecError("untagged object")
    ((tag, payload),) = tagged.items()
    if tag == "t":
        return tuple(payload)
    if tag == "m":
        return {key: value for key, value in payload}
    if tag == "d":
        name, values = payload
        return _instance(_known(name), values)
    if tag == "e":
        name, value = payload
        return _known(name)(value)
    raise CodecError(f"unknown tag {tag!r}")


def _known(name: str) -> type:
    kind = _classes().get(name) if isinstance(name, str) else None
    if kind is None:
        raise CodecError(f"unknown class {name!r}")
    return kind


@cache
def _plan(kind: type) -> tuple[tuple[str, ...], bool]:
    """(field names, whether the constructor takes them all in order)."""
    fields = dataclasses.fields(kind)
    return tuple(f.name for f in fields), all(f.init for f in fields)


def _instance(kind: type, values: list) -> Any:
    names, by_constructor = _plan(kind)
    if len(values) != len(names):
        raise CodecError(f"{kind.__name__} has {len(names)} fields, not {len(values)}")
    if by_constructor:
        return kind(*values)
    made: Any = object.__new__(kind)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(made, name, value)
    return made

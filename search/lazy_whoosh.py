"""Defer a Whoosh module that every import pays for but no query of ours uses.

`whoosh.query.terms` does `from whoosh.lang.morph_en import variations` at its top, and
that module compiles about a hundred regular expressions: a fifth of a cold
`partner-tui search`. Only Whoosh's `Variations` query calls it, and we never build one.
A stand-in module takes its place; the first call or attribute read loads the real one.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_MORPH_EN = "whoosh.lang.morph_en"


def _real_morph_en() -> types.ModuleType:
    if isinstance(sys.modules.get(_MORPH_EN), _StandIn):
        del sys.modules[_MORPH_EN]
    return importlib.import_module(_MORPH_EN)


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            # The import system and repr() probe dunders; they must not load the module.
            raise AttributeError(name)
        return getattr(_real_morph_en(), name)


def _variations(word: str) -> Any:
    return _real_morph_en().variations(word)


def defer_rarely_used_modules() -> None:
    if _MORPH_EN in sys.modules:
        return
    stand_in = _StandIn(_MORPH_EN, "loads whoosh.lang.morph_en when first used")
    stand_in.variations = _variations  # type: ignore[attr-defined]
    sys.modules[_MORPH_EN] = stand_in

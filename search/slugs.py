"""Stable, readable ids: the same heading gives the same id on every run and machine."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’]")
_NOT_WORD = re.compile(r"[\W_]+")
# Already a slug (a file named `briefing-0042`): nothing to change.
_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str) -> str:
    """`Implications for Japan’s Tech Industry` → `implications-for-japans-tech-industry`."""
    if text.isascii():
        base = text.lower()
        if _PLAIN_SLUG.fullmatch(base):
            return base
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        # Accents go (café → cafe) but letters of other scripts stay, so ids never collapse.
        base = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()
    base = _APOSTROPHES.sub("", base)
    slug = _NOT_WORD.sub("-", base).strip("-")
    return slug or "section"


class SlugAllocator:
    """Hands out unique slugs within one scope, suffixing repeats with -2, -3…"""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def allocate(self, text: str) -> str:
        slug = slugify(text)
        count = self._seen.get(slug, 0) + 1
        self._seen[slug] = count
        return slug if count == 1 else f"{slug}-{count}"

"""Small text pieces shared by the tree and the results list."""

from __future__ import annotations

from rich.text import Text

BOOKMARK_MARK = "★"
"""Shown before a bookmarked section's title (in the tree and in search results)."""


def bookmark_prefix(bookmarked: bool) -> Text:
    """A fixed-width prefix so titles line up whether or not they carry the mark."""
    return Text(f"{BOOKMARK_MARK} " if bookmarked else "  ", style="bold" if bookmarked else "")

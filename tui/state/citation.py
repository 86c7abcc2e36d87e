"""A section as a quotation with its citation, for the clipboard."""

from __future__ import annotations

from partner_tui.search.model import Section


def citation(section: Section) -> str:
    """Where a section comes from: briefing title, pillar and (if any) sub-section."""
    parts = [section.briefing_title, *section.path]
    return " › ".join(parts)


def quotation(section: Section) -> str:
    """The section's text quoted line by line (Markdown style), then its citation."""
    body = section.body.strip("\n")
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
    return f"{quoted}\n\n— {citation(section)}\n"

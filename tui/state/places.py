"""Where a section sits, said in words: 'Briefing › Pillar' (for results and the palette)."""

from __future__ import annotations

from partner_tui.search.engine import Engine, UnknownSection

SEPARATOR = " › "


def place_of(engine: Engine, section_id: str) -> str:
    """The section's pillar path above it; the briefing's name only when there is more
    than one briefing (then it tells something). Empty for an unknown section."""
    try:
        section = engine.section(section_id)
    except UnknownSection:
        return ""
    where = section.path[:-1]
    if len(engine.briefings) > 1:
        where = (section.briefing_title, *where)
    return SEPARATOR.join(where)

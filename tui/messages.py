"""Messages widgets post up to the screen; the screen decides what happens."""

from __future__ import annotations

from textual.message import Message


class SectionChosen(Message):
    """The reader picked a section (in the pillars tree or the results list) to read."""

    def __init__(self, section_id: str, focus_reader: bool = False) -> None:
        super().__init__()
        self.section_id = section_id
        self.focus_reader = focus_reader
        """Whether the reader should move on to reading it (yes from results, no from tree)."""

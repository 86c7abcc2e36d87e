"""A small modal with one line to edit (a bookmark's note or tags): enter saves, escape
cancels. It returns the text typed, or None when cancelled or left as it was."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

# A one-line Input cannot hold line breaks; notes may have them (an import joins two
# notes with a blank line), so each break is shown as this mark and turned back on save.
LINE_BREAK = "¶"


def note_to_line(note: str | None) -> str:
    return f" {LINE_BREAK} ".join((note or "").splitlines())


def line_to_note(line: str) -> str:
    return "\n".join(part.strip() for part in line.split(LINE_BREAK))


def line_to_tags(line: str) -> list[str]:
    return [tag.strip().lstrip("#") for tag in line.split(",") if tag.strip().lstrip("#")]


class EditLine(ModalScreen[str | None]):
    DEFAULT_CSS = """
    EditLine {
        align: center middle;
    }
    EditLine > Vertical {
        width: 90%;
        max-width: 76;
        height: auto;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    EditLine Static {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="editing a note or tags: cancel")]

    def __init__(self, title: str, about: str, value: str, hint: str) -> None:
        super().__init__()
        self._title = title
        self._about = about
        self._initial = value
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            box.border_subtitle = "enter saves · escape cancels"
            yield Static(Text(self._about), id="edit-about")
            yield Input(self._initial, id="edit-line", select_on_focus=False)
            yield Static(Text(self._hint), id="edit-hint")

    @on(Input.Submitted, "#edit-line")
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(None if event.value == self._initial else event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

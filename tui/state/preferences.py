"""Per-user preferences (theme, last section read, reading history, where each section was
being read, search history, pane layout) as a small JSON file.

Written with temp-file + os.replace so a crash or a hang-up never leaves half a file; a
file that cannot be read is moved aside and reported, and defaults are used.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from partner_tui.tui.state.atomic_write import write_atomically
from partner_tui.tui.state.moved_aside import move_aside

PREFERENCES_FILE = "preferences.json"
HISTORY_LIMIT = 100
MAX_NAVIGATOR_DELTA = 200
MAX_POSITIONS = 1000


@dataclass
class Preferences:
    theme: str | None = None
    last_section: str | None = None
    history: list[str] = field(default_factory=list)
    reading_positions: dict[str, int] = field(default_factory=dict)
    search_history: list[str] = field(default_factory=list)
    navigator_delta: int = 0
    """Columns added to (or taken from) the navigator pane's fitted width."""
    reading_zoomed: bool = False


class PreferencesStore:
    def __init__(self, directory: Path) -> None:
        self.path = directory / PREFERENCES_FILE
        self.warnings: list[str] = []
        # False once a file we could not read could not be moved aside either: saving
        # would overwrite it, so this session keeps its preferences in memory only.
        self.saving = True

    def load(self) -> Preferences:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Preferences()
        except OSError as error:
            self.warnings.append(f"cannot read preferences {self.path}: {error}")
            return Preferences()
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            return Preferences(
                theme=_optional_str(data.get("theme")),
                last_section=_optional_str(data.get("last_section")),
                history=_strings(data.get("history"))[-HISTORY_LIMIT:],
                reading_positions=_offsets(data.get("reading_positions")),
                search_history=_strings(data.get("search_history"))[-HISTORY_LIMIT:],
                navigator_delta=_bounded_int(data.get("navigator_delta"), MAX_NAVIGATOR_DELTA),
                reading_zoomed=data.get("reading_zoomed") is True,
            )
        except (ValueError, TypeError, AttributeError) as error:
            try:
                moved = move_aside(self.path)
            except OSError as move_error:
                self.saving = False
                self.warnings.append(
                    f"preferences were unreadable ({error}) and could not be moved aside "
                    f"({move_error.strerror or move_error}); they are left as they are and "
                    "this session's changes will not be saved"
                )
                return Preferences()
            self.warnings.append(f"preferences were unreadable ({error}); kept them as {moved}")
            return Preferences()

    def save(self, preferences: Preferences) -> None:
        """Raises OSError when the file cannot be written."""
        if not self.saving:
            return
        preferences.history = preferences.history[-HISTORY_LIMIT:]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(asdict(preferences), indent=2))


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item[:500] for item in value if isinstance(item, str)]


def _offsets(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    items = list(value.items())[-MAX_POSITIONS:]
    return {
        key[:500]: offset
        for key, offset in items
        if isinstance(key, str) and type(offset) is int and 0 < offset < 2**40
    }


def _bounded_int(value: object, bound: int) -> int:
    if type(value) is not int:
        return 0
    return max(-bound, min(bound, value))

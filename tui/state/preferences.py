"""Per-user preferences (theme, last section read, reading history) as a small JSON file.

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


@dataclass
class Preferences:
    theme: str | None = None
    last_section: str | None = None
    history: list[str] = field(default_factory=list)


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
                history=[h for h in data.get("history", []) if isinstance(h, str)][-HISTORY_LIMIT:],
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

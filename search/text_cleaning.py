"""Turn raw file bytes into safe text: decoded, normalised, free of control characters.

Briefing text is data. Terminal control characters (ESC, BEL, C1 codes…) are removed here,
at read time, so no later layer can echo them to a terminal. Markup-like text such as
`[bold]` is left exactly as written; displaying it literally is the UI's job.
"""

from __future__ import annotations

import codecs
import re

# Whole terminal escape sequences first (CSI such as colour codes, OSC such as window
# titles), so no `[31m` debris is left behind; then any C0 control except newline and tab,
# DEL, and the C1 block.
_ESCAPE_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: ESC [ params final
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: ESC ] text BEL-or-ST
    r"|\x1b[@-Z\\-_]"  # other two-character escapes
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BINARY_SAMPLE = 8192
# Bytes that are normal in text: printable and UTF-8 bytes, tab, newlines, form feed, ESC.
_TEXT_BYTES = bytes([9, 10, 12, 13, 27, *range(32, 256)])


class BinaryFileError(ValueError):
    """The bytes are not text at all (an image, an archive, a compiled file)."""


def looks_binary(data: bytes) -> bool:
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = len(sample.translate(None, _TEXT_BYTES))  # C speed: runs once per file
    return controls / len(sample) > 0.1


def decode_text(data: bytes) -> tuple[str, bool]:
    """Decode as UTF-8 (or BOM-marked UTF-16); return the text and whether bytes were replaced."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return clean_text(text.lstrip("\ufeff")), "\ufffd" in text
    if looks_binary(data):
        raise BinaryFileError("binary content")
    try:
        text = data.decode("utf-8-sig")
        replaced = False
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
        replaced = True
    return clean_text(text), replaced


def clean_text(text: str) -> str:
    """Normalise line ends and tabs and drop control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return strip_controls(text)


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters (keeping newline and tab).

    The one stripper for every string from outside: briefings, bookmark notes and tags,
    imported fields. Linear time: both patterns match without backtracking."""
    return _CONTROL_CHARS.sub("", _ESCAPE_SEQUENCES.sub("", text))

"""Turn raw file bytes into safe text: decoded, normalised, free of control characters.

Briefing text is data. Terminal control characters (ESC, BEL, C1 codes…) are removed here,
at read time, so no later layer can echo them to a terminal. Markup-like text such as
`[bold]` is left exactly as written; displaying it literally is the UI's job.
"""

from __future__ import annotations

import codecs
import re

# Whole terminal escape sequences first (CSI such as colour codes, OSC such as window
# titles, in their 7-bit and C1 forms), so no `[31m` debris is left behind; then any C0
# control except newline and tab, DEL, and the C1 block. An OSC must be terminated within
# its line: a stray `ESC ]` loses only those two characters, never the rest of the file.
# Every repetition is bounded, so cleaning stays linear whatever the input.
_ESCAPE_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]{0,64}[!-/]{0,16}[@-~]"  # CSI: ESC [ (or C1 CSI) params final
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]{0,512}(?:\x07|\x1b\\|\x9c)"  # OSC, terminated
    r"|\x1b[@-Z\\-_]"  # other two-character escapes, and a stray ESC ] alone
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible characters that reorder or hide text (display spoofing): bidi embeddings,
# overrides and isolates, marks, zero-width space, word joiner, stray BOMs. The zero-width
# (non-)joiners shape Persian, Indic and emoji text, so they stay between non-ASCII letters.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063"
        "\u2064\u2066\u2067\u2068\u2069\ufeff\u061c\u180e",
    ),
    None,
)
_LOOSE_JOINERS = re.compile("[\u200c\u200d](?![^\\x00-\\x7f])|(?<![^\\x00-\\x7f])[\u200c\u200d]")
_LINE_BREAKS = re.compile(r"[\n\t\u2028\u2029]")
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


def _drop_controls(text: str) -> str:
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPE_SEQUENCES.sub("", text)
    text = _CONTROL_CHARS.sub("", text)
    if text.isascii():  # the common case: nothing invisible can be there
        return text
    text = text.translate(_INVISIBLE)
    if "\u200c" in text or "\u200d" in text:
        text = _LOOSE_JOINERS.sub("", text)
    return text


def clean_text(text: str) -> str:
    """Normalise line ends and tabs and drop control and invisible characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    if not text.isascii():
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _drop_controls(text)


def strip_controls(text: str) -> str:
    """Remove terminal escapes, control and invisible characters, keeping newline and tab.

    The one stripper for multi-line strings from outside: briefings, bookmark notes and
    tags, imported fields. Linear time: the patterns match without backtracking."""
    return _drop_controls(text)


def one_line(value: str, limit: int | None = None) -> str:
    """A string from outside (a file name, a metadata value, a warning's subject) made
    safe to print on one line: `strip_controls`, with line breaks and tabs turned into
    spaces, cut to `limit` characters with an ellipsis."""
    if not (value.isascii() and value.isprintable()):  # else nothing to drop or turn
        value = _LINE_BREAKS.sub(" ", value.replace("\r\n", " ").replace("\r", " "))
        value = _drop_controls(value)
    if limit is not None and len(value) > limit:
        value = value[: max(0, limit - 1)] + "…"
    return value

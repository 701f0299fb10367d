"""Reading an article's text for drafting: strict UTF-8, one newline convention, headline and body.

The file convention is the gold set's (docs/annotation.md): the first line is the headline, then a
blank line, then the body; the file ends with one newline that is not part of the body.
"""

import codecs
import re

#: The most text a draft is made from: 256 KiB, twenty times the longest article so far (12 KB),
#: which drafts in about a second here (docs/drafting.md). Larger input is refused before it is
#: decoded, so the admin and the API cannot be kept busy by a book.
MAX_TEXT_BYTES = 256 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DraftInputError(ValueError):
    """Text that cannot be drafted from; the message says why, for a person to read."""


def read_article_text(raw: bytes, *, title: str | None = None) -> tuple[str, str]:
    """The (title, body) of an article file's bytes; ``DraftInputError`` when it cannot be read.

    UTF-8 is decoded strictly (a byte-order mark is dropped), newlines become ``\\n``. Without
    ``title`` the first line is the headline and the rest, after blank lines, the body; with it
    the whole text is the body. The final newline of the file is not part of the body.
    """
    if not isinstance(raw, bytes | bytearray):
        raise DraftInputError("The article must be given as bytes of UTF-8 text.")
    if len(raw) > MAX_TEXT_BYTES:
        raise DraftInputError(
            f"The article is {len(raw):,} bytes; at most {MAX_TEXT_BYTES:,} bytes of text can be drafted."
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DraftInputError(
            f"The article is not UTF-8 text (byte {exc.start} is not valid UTF-8); save it as UTF-8."
        ) from None
    if "\x00" in text:
        raise DraftInputError("The article holds NUL characters: it looks like a binary file, not text.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if text.endswith("\n"):
        text = text[:-1]
    if title is not None:
        title = " ".join(title.split())
        if not title:
            raise DraftInputError("The title given is empty.")
        body = text.strip("\n")
    else:
        lines = text.lstrip("\n").split("\n", 1)
        title = " ".join(lines[0].split())
        body = lines[1].lstrip("\n") if len(lines) > 1 else ""
        if not title:
            raise DraftInputError("The article is empty: the first line should be its headline.")
    body = body.rstrip()
    if not body.strip():
        raise DraftInputError("The article has a headline but no body: the text starts after a blank line.")
    if len(title) > 300:
        raise DraftInputError(
            "The first line is longer than a headline can be (300 characters): give the title with --title, "
            "or put the headline on a line of its own."
        )
    return title, body


def dateline_offset(body: str) -> int:
    """Where the dateline paragraph starts: the body's start, or the first paragraph after a
    credit or source line ("Courtesy: Office of the President …", "Source: …")."""
    position = 0
    for _ in range(3):
        line_end = body.find("\n", position)
        line = body[position : len(body) if line_end == -1 else line_end]
        if (
            not re.match(r"\s*(?:Courtesy|Source|Credit|By|Photo|Picture)\b[^\n]{0,120}$", line)
            or line_end == -1
        ):
            return position
        position = line_end + 1
        while position < len(body) and body[position] == "\n":
            position += 1
    return position

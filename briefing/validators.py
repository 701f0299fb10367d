"""Which characters names, titles and other labels may hold: the rule every door applies.

Attached to the model fields (``validators=[...]``), so the importer, the admin and the API all
refuse the same characters through ``full_clean()`` (DRF's model serializers copy the field
validators). Refused are the characters that hide or disguise text when it is displayed:

* control characters (Unicode category Cc: C0, DEL and C1, such as terminal escape sequences);
  prose fields (summaries, descriptions) keep tab, line feed and carriage return;
* line and paragraph separators (U+2028, U+2029) in one-line fields;
* bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
  which reorder what a reader sees ("Trojan Source");
* lone surrogates, which no database can store as UTF-8.

An article body and a statement's text are stored exactly as published and get no such check:
the text is the evidence, and a statement must match its article to the character.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

BIDI_FORMATTING = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\u2028\u2029")
PROSE_CONTROLS = frozenset("\t\n\r")


def describe(character: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``, ``U+001B (a control character)``: a character named safely."""
    name = unicodedata.name(character, "") or (
        "(a control character)" if unicodedata.category(character) == "Cc" else "(unnamed)"
    )
    return f"U+{ord(character):04X} {name}"


def forbidden(character: str, *, multiline: bool) -> bool:
    """Whether ``character`` may not stand in a label (or, with ``multiline``, in prose)."""
    if character in BIDI_FORMATTING:
        return True
    category = unicodedata.category(character)
    if category == "Cs":
        return True
    if category == "Cc":
        return not (multiline and character in PROSE_CONTROLS)
    return not multiline and character in LINE_BREAKS


@deconstructible
class DisplaySafeText:
    """Refuse control, bidirectional-formatting and similar characters (see the module docstring)."""

    code = "forbidden_character"

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        for index, character in enumerate(value):
            if forbidden(character, multiline=self.multiline):
                raise ValidationError(
                    "Control and bidirectional-formatting characters are not allowed here "
                    "(found %(character)s at position %(position)d).",
                    code=self.code,
                    params={"character": describe(character), "position": index},
                )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DisplaySafeText) and other.multiline == self.multiline


#: For one-line fields: names, titles, places, roles, URLs.
single_line_text = DisplaySafeText()
#: For prose fields (summaries, descriptions): line breaks and tabs allowed.
prose_text = DisplaySafeText(multiline=True)


def not_only_whitespace(value: str) -> None:
    """Refuse a text of nothing but white space (a statement must say something)."""
    if value and not value.strip():
        raise ValidationError("The text is only white space.", code="blank")

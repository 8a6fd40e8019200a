"""Vietnamese text helpers shared by articles and comments.

One place decides how Vietnamese is folded (for slugs, for banned-term matching),
how a reader's text is normalized and counted (the 500-character rule), and when
two readers' texts are the same (the duplicate check).
"""

import re
import unicodedata

from django.utils.text import slugify

# Unicode's decomposition leaves đ/Đ intact (it is a letter of its own, not
# d plus a mark), so slugify would drop it: "Đồng Tháp" -> "ong-thap".
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})

# Control characters (category Cc) except the newline, which a reader uses to
# separate paragraphs. Carriage returns are folded into newlines first.
_CONTROL = "\x00-\x09\x0b-\x1f\x7f-\x9f"

# Bidirectional formatting: embeddings and overrides (U+202A-U+202E), isolates
# (U+2066-U+2069) and the marks (U+200E, U+200F, U+061C). Vietnamese is written
# left to right and never needs them, while in a reader's name or comment they
# reorder what is shown: "\u202enimda" reads "admin", and an override left open
# runs on into the text beside it. The marks go too: invisible, and with no use
# here but to shuffle punctuation and digits.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"

# Removed from what a reader sends. static/js/comments.js removes the same set
# (its counter must agree with the server's), so change both together.
_REMOVED = re.compile(f"[{_CONTROL}{_BIDI}]")

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): what a
# renderer shows as nothing, format characters (zero-width space and joiners,
# soft hyphen, word joiner, BOM, tags) and fillers and variation selectors
# alike. The ranges reserve room for future such characters, so the list holds.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def fold(text: str) -> str:
    """Lower-case ASCII-ish form of Vietnamese text: accents dropped, đ -> d."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def vn_slugify(text: str, max_length: int = 200) -> str:
    """A URL slug without diacritics: "Đồng Tháp mùa nước nổi" -> "dong-thap-mua-nuoc-noi"."""
    slug = slugify(text.translate(_D_TABLE))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def normalize_comment(text: str) -> str:
    """The canonical form of a reader's text, the one that is stored and counted.

    NFC (a letter with its tone mark is one code point whether typed composed or
    decomposed), line breaks unified to ``\\n``, other control characters and
    the bidirectional controls removed, surrounding whitespace stripped. What
    emoji sequences need stays: the zero-width joiner (U+200D) and the
    variation selectors (U+FE0F).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _REMOVED.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def comment_key(text: str) -> str:
    """What two readers' texts share when a reader would call them the same.

    The normalized text without its invisible characters, folded (case,
    accents, đ, and compatibility forms such as full-width letters), with every
    run of whitespace (non-breaking spaces, line breaks) made one space. The
    duplicate check compares it; a text whose key is empty shows nothing.
    """
    visible = _INVISIBLE.sub("", normalize_comment(text))
    return " ".join(fold(visible).split())


def char_count(text: str) -> int:
    """Characters as a reader counts them: code points of the normalized text."""
    return len(normalize_comment(text))


def term_pattern(term: str) -> re.Pattern | None:
    """A regex matching ``term`` as whole words of folded text, or None if it has no words.

    Word boundaries are looked for on the folded text itself, where every
    Vietnamese letter has become a plain ``\\w`` character, so a boundary can
    never fall between a letter and its tone mark.
    """
    words = fold(term).split()
    if not words:
        return None
    body = r"\s+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){body}(?!\w)")

"""Vietnamese text helpers shared by articles and comments.

One place decides how Vietnamese is folded (for slugs, for banned-term matching)
and how a reader's text is normalized and counted (the 500-character rule).
"""

import re
import unicodedata

from django.utils.text import slugify

# Unicode's decomposition leaves đ/Đ intact (it is a letter of its own, not
# d plus a mark), so slugify would drop it: "Đồng Tháp" -> "ong-thap".
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})

# Control characters (category Cc) except the newline, which a reader uses to
# separate paragraphs. Carriage returns are folded into newlines first.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


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
    decomposed), line breaks unified to ``\\n``, other control characters
    removed, surrounding whitespace stripped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def char_count(text: str) -> int:
    """Characters as a reader counts them: code points of the normalized text."""
    return len(normalize_comment(text))

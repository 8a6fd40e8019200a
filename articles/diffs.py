"""Word-level differences between texts as readers read them: the article's
history (articles/revisions.py) and the edit conflict notice (articles/editing.py).

A Vietnamese word is a syllable between spaces, so texts are compared word by
word with difflib, paragraph by paragraph. A difference is a list of lines
(paragraphs, or list items), each a list of runs ``(op, text)``: ``op`` is
SAME, DEL or INS, ``text`` the run's words joined by spaces; whoever shows a
line puts a space between two runs.
"""

import difflib
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import PurePosixPath

SAME, DEL, INS = "same", "del", "ins"
# A paragraph break added or removed, shown where it was.
PARAGRAPH_MARK = "¶"
# What stands for unchanged text left out.
SKIPPED = "…"
_BREAK = "\n"  # never a word: words are split on whitespace

Run = tuple[str, str]
Line = list[Run]


class _ReadersText(HTMLParser):
    """The body as readers read it: its paragraphs' text, pictures by their description."""

    BLOCKS = frozenset(
        {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figure"}
        | {"figcaption", "table", "tr", "td", "th", "ul", "ol", "pre", "br", "hr"}
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []

    def _break(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._break()
        attrs = dict(attrs)
        if tag == "img":
            name = attrs.get("alt") or PurePosixPath(attrs.get("src") or "").name
            self._current.append(f" [Ảnh: {name}] ")
        elif tag == "iframe":
            self._current.append(" [Video] ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._break()

    def handle_data(self, data):
        self._current.append(data)

    def close(self):
        super().close()
        self._break()


def body_paragraphs(html: str) -> list[str]:
    """The paragraphs readers read in a body's HTML, their spaces folded."""
    parser = _ReadersText()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


def _words(paragraphs: Iterable[str]) -> list[str]:
    words: list[str] = []
    for paragraph in paragraphs:
        if words:
            words.append(_BREAK)
        # One spelling of each letter: "ệ" typed as one character or as
        # e + two marks reads the same and is the same word.
        words.extend(unicodedata.normalize("NFC", paragraph).split())
    return words


def _add(line: Line, op: str, word: str) -> None:
    if line and line[-1][0] == op:
        line[-1] = (op, f"{line[-1][1]} {word}")
    else:
        line.append((op, word))


def word_diff(old: Iterable[str], new: Iterable[str]) -> list[Line]:
    """Two texts given as paragraphs, compared word by word: the paragraphs of
    the result. A paragraph break added or removed shows as PARAGRAPH_MARK."""
    a, b = _words(old), _words(new)
    lines: list[Line] = [[]]

    def emit(op, words):
        for word in words:
            if word == _BREAK:
                if op != SAME:
                    _add(lines[-1], op, PARAGRAPH_MARK)
                lines.append([])
            else:
                _add(lines[-1], op, word)

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            emit(SAME, a[i1:i2])
        else:
            emit(DEL, a[i1:i2])
            emit(INS, b[j1:j2])
    return [line for line in lines if line]


def item_diff(old: list[str], new: list[str]) -> list[Line]:
    """Two lists (authors in byline order, tags, corrections): one line per item."""
    lines = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend([(SAME, item)] for item in old[i1:i2])
        else:
            lines.extend([(DEL, item)] for item in old[i1:i2])
            lines.extend([(INS, item)] for item in new[j1:j2])
    return lines


def collapse(lines: Iterable[Line], *, context: int | None = None) -> list[Line | None]:
    """``lines`` with each run of unchanged ones as one None. With ``context``,
    in a changed line each unchanged stretch longer than twice that many words
    keeps ``context`` words beside each change and SKIPPED for the rest."""
    kept: list[Line | None] = []
    for line in lines:
        if all(op == SAME for op, _ in line):
            if not kept or kept[-1] is not None:
                kept.append(None)
        else:
            kept.append(line if context is None else _shortened(line, context))
    return kept


def _shortened(line: Line, context: int) -> Line:
    runs = []
    for position, (op, text) in enumerate(line):
        words = text.split(" ")
        if op == SAME and len(words) > 2 * context:
            head = words[:context] if position > 0 else []
            tail = words[-context:] if position < len(line) - 1 else []
            text = " ".join([*head, SKIPPED, *tail])
        runs.append((op, text))
    return runs

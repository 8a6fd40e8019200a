"""Content rules applied to a reader's comment before it is stored.

Banned terms match whole words of the folded text (accents and case ignored,
``đ`` = ``d``), so "Đánh Bạc" matches the term "danh bac" but "bạc" never matches
inside "bạch". Links are counted on the text as written.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from portal.text import fold, term_pattern

from . import holds
from .models import BannedTerm

MAX_LINKS = 2

# A scheme, a "www." host, or a bare host name under a common top-level domain
# (spam often leaves the scheme out to dodge link filters).
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|vn|xyz|top|io|me|co|club)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    """What the content rules decided: the status to store and why."""

    spam: bool = False
    held: bool = False
    reasons: tuple[str, ...] = ()


def matching_terms(text: str, terms: Iterable[BannedTerm]) -> list[BannedTerm]:
    """The banned terms found in ``text`` as whole words."""
    folded = fold(text)
    found = []
    for term in terms:
        pattern = term_pattern(term.term)
        if pattern is not None and pattern.search(folded):
            found.append(term)
    return found


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def judge(text: str, *, honeypot_filled: bool, terms: Iterable[BannedTerm]) -> Verdict:
    """Apply the content rules; reasons are short codes kept in ``Comment.held_reason``.

    ``honeypot`` (a bot filled the hidden field) and ``banned:<term>`` with a
    spam action make it spam; ``banned:<term>`` with a hold action and
    ``links`` (more than two) keep it pending for a moderator, and so do the
    Vietnam-specific holds (``phone:``, ``chat:``, ``bank:``, ``betting:``, see
    comments/holds.py), which never make it spam.
    """

    reasons: list[str] = []
    spam = held = False
    if honeypot_filled:
        spam = True
        reasons.append("honeypot")
    for term in matching_terms(text, terms):
        reasons.append(f"banned:{term.term}")
        if term.action == BannedTerm.Action.SPAM:
            spam = True
        else:
            held = True
    if count_links(text) > MAX_LINKS:
        held = True
        reasons.append("links")
    if found := holds.find(text):
        held = True
        reasons.extend(found)
    return Verdict(spam=spam, held=held and not spam, reasons=tuple(reasons))


def describe_reason(held_reason: str) -> str:
    """The stored reason codes in words, for moderators."""

    labels = []
    for code in filter(None, (part.strip() for part in held_reason.split(";"))):
        if code == "honeypot":
            labels.append("Điền vào ô bẫy dành cho máy (honeypot)")
        elif code == "links":
            labels.append(f"Có hơn {MAX_LINKS} liên kết (links)")
        elif code.startswith("banned:"):
            labels.append(f"Có từ bị chặn: “{code.removeprefix('banned:')}”")
        elif code.startswith("ban:"):
            labels.append("Người gửi đang bị chặn (e-mail hoặc địa chỉ IP)")
        elif hold := holds.describe(code):
            labels.append(hold)
        else:
            labels.append(code)
    return "; ".join(labels)

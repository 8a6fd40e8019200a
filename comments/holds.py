"""Vietnam-specific holds: what in a reader's comment a moderator must look at.

A phone number, a Zalo or Telegram account, a bank account number, betting or
loan-shark words: each keeps the comment for a moderator with a reason code
(``phone:0912 345 678``, ``chat:zalo``, ``bank:0071000123456``,
``betting:nhà cái``), never marks it spam (a reader may write about the fight
against betting) and never lets a rule approve it by itself. ``describe()``
gives the moderator the code in words.

Every detector reads the folded text (portal.text.fold: accents and case
dropped, ``đ`` = ``d``, full-width digits made ASCII), except the few words
whose folded form is an everyday one ("kèo" and "kẹo", "nổ hũ" and "nó hư"),
matched with their accents.
"""

import re
import unicodedata

from portal.text import fold, term_pattern

# Between two digits of a phone or account number: one space, dot or dash, or
# the parenthesis closing an area code ("(028) 3822 1234").
_GAP = r"\)?[ .\-]?"


def _digits(count: int) -> str:
    return rf"(?:{_GAP}[0-9]){{{count}}}"


# After the 0 or the country code: mobiles 3x, 5x, 7x, 8x, 9x (9 digits) and
# landlines 2x (10 digits). Digits are [0-9], not \d: other scripts' digits
# are no phone number here.
_SUBSCRIBER = rf"(?:[35789]{_digits(8)}|2{_digits(9)})"
# Written nationally ("0912 345 678", "(028) 3822 1234") or after 84, with or
# without "+", parentheses and "(0)" ("+84 (0) 912 345 678").
_PHONE = re.compile(
    r"(?<![0-9.,/=&%#+_\-])"  # not the tail of a longer number, an address or a query
    rf"(?:\(?0{_GAP}|\(?\+?84{_GAP}(?:\(?0\)?{_GAP})?){_SUBSCRIBER}"
    r"(?![0-9]|[.,\-][0-9])"  # nor the head of one
)

# "84.912.345.678" is written the way a quantity is ("84.500.000.000 đồng"),
# while a national number's leading 0 never starts one.
_QUANTITY = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+")
_DATE = re.compile(r"[0-9]{1,2}([./\-])[0-9]{1,2}\1[0-9]{4}")

CHAT_WORDS = ("zalo", "za lo", "zl", "tele", "telegram")
_CHAT_LINK = re.compile(r"(?<![\w.])t\.me/[a-z0-9_]+")
_HANDLE = re.compile(r"(?<![\w.@])@[a-z0-9_.]{3,32}")
# How far a handle may stand from the word it goes with ("zalo: @ban_doc").
_HANDLE_REACH = 20

BANK_WORDS = (
    "stk",
    "số tài khoản",
    "chuyển khoản",
    "vietcombank",
    "vcb",
    "techcombank",
    "mb bank",
    "mbbank",
    "agribank",
    "bidv",
    "vietinbank",
    "acb",
    "sacombank",
    "tpbank",
    "tp bank",
    "vpbank",
    "vp bank",
    "momo",
)
_ACCOUNT = re.compile(r"(?<![0-9.,])[0-9](?:[ .\-]?[0-9]){7,18}(?![0-9]|[.,][0-9])")
_STK_DIGITS = re.compile(r"(?<!\w)stk\W{0,3}([0-9](?:[ .\-]?[0-9]){0,18})")
# How far an account number may stand from the word that names it.
_ACCOUNT_REACH = 40

BETTING_WORDS = (
    "nhà cái",
    "cá cược",
    "cá độ",
    "soi cầu",
    "soi kèo",
    "tỷ lệ kèo",
    "tài xỉu",
    "xóc đĩa",
    "vay nóng",
    "vay tiền nhanh",
    "vay tiền online",
    "giải ngân trong ngày",
)
# Folded, these would be everyday words: "kẹo dừa", "nó hư rồi", "lỡ để quên",
# "bốc hộ", "không thể chấp nhận". Matched with their accents only.
BETTING_WORDS_ACCENTED = ("kèo", "nổ hũ", "lô đề", "bốc họ", "không thế chấp")


def _accented(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _accented_pattern(term: str) -> re.Pattern:
    body = r"\s+".join(re.escape(word) for word in _accented(term).split())
    return re.compile(rf"(?<!\w){body}(?!\w)")


_CHAT_PATTERNS = [term_pattern(word) for word in CHAT_WORDS]
_BANK_PATTERNS = [term_pattern(word) for word in BANK_WORDS]
_BETTING_FOLDED = [(word, term_pattern(word)) for word in BETTING_WORDS]
_BETTING_ACCENTED = [(word, _accented_pattern(word)) for word in BETTING_WORDS_ACCENTED]


def _one_separator(number: str) -> bool:
    # "05.05.2024 20:30" is a date and a time; a phone number keeps to one kind
    # (the space after an area code's parenthesis aside).
    return len(set(re.findall(r"[ .\-]", re.sub(r"\)[ .\-]?", "", number)))) <= 1


def phone_number(folded: str) -> str | None:
    """The first Vietnamese phone number in ``folded``, as written, or None."""
    for match in _PHONE.finditer(folded):
        number = match.group().lstrip("(")
        if not _one_separator(number):
            continue
        if not number.startswith(("0", "+")) and _QUANTITY.fullmatch(number):
            continue
        return match.group()
    return None


def chat_account(folded: str) -> str | None:
    """A t.me link or a Zalo/Telegram word in ``folded``, with a handle beside it, or None."""
    if link := _CHAT_LINK.search(folded):
        return link.group()
    for pattern in _CHAT_PATTERNS:
        if word := pattern.search(folded):
            start, end = word.start() - _HANDLE_REACH, word.end() + _HANDLE_REACH
            handle = _HANDLE.search(folded, max(0, start), end)
            return f"{word.group()} {handle.group()}" if handle else word.group()
    return None


def bank_account(folded: str) -> str | None:
    """The run of 8–19 digits nearest a bank's name or "stk", or what follows "stk"; else None."""
    words = [m.span() for pattern in _BANK_PATTERNS for m in pattern.finditer(folded)]
    if not words:
        return None
    nearest = None
    for run in _ACCOUNT.finditer(folded):
        digits = run.group()
        if _QUANTITY.fullmatch(digits) or _DATE.fullmatch(digits) or not _one_separator(digits):
            continue
        # A phone number may stand near the word too: the account is the closer one.
        distance = min(max(run.start() - end, start - run.end(), 0) for start, end in words)
        if distance <= _ACCOUNT_REACH and (nearest is None or distance < nearest[0]):
            nearest = (distance, digits)
    if nearest:
        return nearest[1]
    if stk := _STK_DIGITS.search(folded):
        return stk.group(1)
    return None


def betting_word(text: str, folded: str) -> str | None:
    """The first betting or loan-shark term in the comment, as the list spells it, or None."""
    for term, pattern in _BETTING_FOLDED:
        if pattern.search(folded):
            return term
    accented = _accented(text)
    for term, pattern in _BETTING_ACCENTED:
        if pattern.search(accented):
            return term
    return None


def find(text: str) -> list[str]:
    """The hold reason codes for ``text``, one per kind found."""
    folded = fold(text)
    codes = []
    if number := phone_number(folded):
        codes.append(f"phone:{number}")
    if account := chat_account(folded):
        codes.append(f"chat:{account}")
    if digits := bank_account(folded):
        codes.append(f"bank:{digits}")
    if term := betting_word(text, folded):
        codes.append(f"betting:{term}")
    return codes


_LABELS = {
    "phone": "Có số điện thoại: {}",
    "chat": "Có tài khoản Zalo/Telegram: “{}”",
    "bank": "Có số tài khoản ngân hàng: {}",
    "betting": "Có từ ngữ cá độ / cho vay nặng lãi: “{}”",
}


def describe(code: str) -> str | None:
    """A hold's reason code in words for the moderator, or None if it is no hold's code."""
    kind, _, detail = code.partition(":")
    label = _LABELS.get(kind)
    return label.format(detail) if label and detail else None

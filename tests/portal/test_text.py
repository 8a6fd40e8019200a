import unicodedata

import pytest

from portal.text import char_count, fold, normalize_comment, vn_slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đồng Tháp", "dong-thap"),
        ("ĐỒNG THÁP mùa nước nổi", "dong-thap-mua-nuoc-noi"),
        ("Đường về Đất Mũi – 2024!", "duong-ve-dat-mui-2024"),
        ("Phường Đông Hòa, Dĩ An", "phuong-dong-hoa-di-an"),
        ("Giá lúa tăng 10% sau Tết", "gia-lua-tang-10-sau-tet"),
    ],
)
def test_vn_slugify_keeps_d_and_drops_diacritics(title, slug):
    assert vn_slugify(title) == slug


def test_vn_slugify_truncates_on_a_word_boundary():
    slug = vn_slugify("Sạt lở bờ sông " * 30, max_length=50)
    assert len(slug) <= 50
    assert not slug.endswith("-")
    assert slug.startswith("sat-lo-bo-song-")


def test_fold_ignores_case_accents_and_d():
    assert fold("ĐƯỜNG Dân Vận") == "duong dan van"
    assert fold("Bệnh viện") == fold("benh VIEN")


def test_decomposed_letters_count_as_one_character():
    composed = "Việt Nam"
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > len(composed)
    assert char_count(decomposed) == char_count(composed) == 8
    assert normalize_comment(decomposed) == composed


def test_normalize_comment_strips_controls_keeps_newlines():
    text = "  \x00Dòng một\r\nDòng\x07 hai\u200b \t\n"
    assert normalize_comment(text) == "Dòng một\nDòng hai\u200b"


def test_emoji_counts_as_one_code_point():
    assert char_count("👍") == 1

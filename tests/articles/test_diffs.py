"""The word-level difference (articles/diffs.py) that the history page and the
edit conflict notice both show."""

from types import SimpleNamespace

from django.template.loader import render_to_string

from articles import editing
from articles.diffs import DEL, INS, SAME, body_paragraphs, collapse, item_diff, word_diff


def test_one_changed_word_is_one_deletion_and_one_insertion():
    lines = word_diff(["Nước lũ dâng cao ở Hồng Ngự"], ["Nước lũ rút nhanh ở Hồng Ngự"])
    assert lines == [[(SAME, "Nước lũ"), (DEL, "dâng cao"), (INS, "rút nhanh"),
                      (SAME, "ở Hồng Ngự")]]  # fmt: skip


def test_the_same_words_typed_differently_are_unchanged():
    composed = "Tiền Giang triển khai"
    decomposed = "Tiền Giang triển khai".replace("ề", "e\u0302\u0300").replace("ể", "e\u0302\u0309")
    assert composed != decomposed
    assert word_diff([composed], [f"  {decomposed} "]) == [[(SAME, composed)]]


def test_a_new_paragraph_is_marked():
    lines = word_diff(["Một. Hai."], ["Một.", "Hai."])
    assert lines == [[(SAME, "Một."), (INS, "¶")], [(SAME, "Hai.")]]


def test_a_list_is_compared_item_by_item():
    assert item_diff(["Lê Hoàng Phúc", "Trần Mỹ Duyên"], ["Trần Mỹ Duyên", "Võ Minh Khoa"]) == [
        [(DEL, "Lê Hoàng Phúc")],
        [(SAME, "Trần Mỹ Duyên")],
        [(INS, "Võ Minh Khoa")],
    ]


def test_the_body_is_compared_as_readers_read_it():
    html = (
        "<p>Đoạn <strong>một</strong>&nbsp;có chữ đậm.</p><h2>Tiêu đề phụ</h2>"
        '<figure><img src="/media/uploads/a/cau.jpg" alt="Cầu Cao Lãnh"></figure>'
        "<p>Dòng 1<br>Dòng 2</p>"
    )
    assert body_paragraphs(html) == [
        "Đoạn một có chữ đậm.",
        "Tiêu đề phụ",
        "[Ảnh: Cầu Cao Lãnh]",
        "Dòng 1",
        "Dòng 2",
    ]


def test_unchanged_paragraphs_are_left_out_and_changed_ones_kept_whole():
    words = " ".join(f"từ{n}" for n in range(40))
    old = ["Đoạn một.", "Đoạn hai.", words, "Đoạn cuối."]
    new = ["Đoạn một.", "Đoạn hai.", words.replace("từ20", "chữ"), "Đoạn cuối."]

    lines = collapse(word_diff(old, new))

    assert lines[0] is None and lines[2] is None and len(lines) == 3
    assert " ".join(text for _, text in lines[1]) == words.replace("từ20", "từ20 chữ")


def test_a_long_text_shows_the_changed_words_with_a_little_context():
    before = " ".join(f"từ{n}" for n in range(60))
    after = before.replace("từ30", "chữ mới")

    lines = collapse(word_diff([before], [after]), context=8)

    assert lines == [[
        (SAME, "… " + " ".join(f"từ{n}" for n in range(22, 30))),
        (DEL, "từ30"),
        (INS, "chữ mới"),
        (SAME, " ".join(f"từ{n}" for n in range(31, 39)) + " …"),
    ]]  # fmt: skip


def test_the_conflict_notice_shortens_a_long_body_as_its_reader_reads_it():
    opened = {"body": "".join(f"<p>Đoạn {n} không đổi.</p>" for n in range(10))}
    stored = {"body": opened["body"].replace("Đoạn 5", "Đoạn <em>năm</em>")}

    (change,) = editing.changes_between(opened, stored)

    assert change.before.startswith("Đoạn 0 không đổi. Đoạn 1 không đổi.")
    assert change.pieces == [
        (SAME, "… 3 không đổi. Đoạn 4 không đổi. Đoạn"),
        (DEL, "5"),
        (INS, "năm"),
        (SAME, "không đổi. Đoạn 6 không đổi. Đoạn 7 …"),
    ]


def test_the_conflict_notice_reads_with_a_space_between_runs():
    runs = [(SAME, "Giá lúa"), (DEL, "tăng"), (INS, "giảm nhẹ")]
    change = editing.FieldChange("title", "tiêu đề", "Giá lúa tăng", "Giá lúa giảm nhẹ", runs)
    form = SimpleNamespace(conflict=SimpleNamespace(changes=[change]))

    html = render_to_string(
        "admin/articles/article/includes/editing.html",
        {"adminform": SimpleNamespace(form=form), "editing": {}},
    )

    assert "<p>Giá lúa <del>tăng</del> <ins>giảm nhẹ</ins></p>" in html

"""Vietnam-specific holds: phone numbers, Zalo/Telegram, bank accounts, betting and loan words."""

import pytest
from django.test import Client
from django.urls import reverse

from comments import holds, spam
from comments.models import Comment
from tests.factories import make_article, make_staff, staff_browser

QUEUE = "admin:comments_pendingcomment_changelist"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Cần bán đất, gọi 0912.345.678 gặp chú Ba", "phone:0912.345.678"),
        ("Liên hệ 0912 345 678", "phone:0912 345 678"),
        ("Lh 0912-345-678", "phone:0912-345-678"),
        ("SĐT:0387654321", "phone:0387654321"),
        ("Hotline 091 234 5678", "phone:091 234 5678"),
        ("gọi 0 9 1 2 3 4 5 6 7 8 nha", "phone:0 9 1 2 3 4 5 6 7 8"),
        ("Gọi +84 912 345 678", "phone:+84 912 345 678"),
        ("Gọi 84912345678", "phone:84912345678"),
        ("Gọi +84 (0) 912 345 678", "phone:+84 (0) 912 345 678"),
        ("Văn phòng (028) 3822 1234", "phone:(028) 3822 1234"),
        ("Văn phòng +84 28 3822 1234", "phone:+84 28 3822 1234"),
        ("Gọi ０９１２３４５６７８", "phone:0912345678"),  # full-width digits
        ("Kết bạn Zalo nhé", "chat:zalo"),
        ("ZA LO: 0912 345 678", "chat:za lo"),
        ("ib zl", "chat:zl"),
        ("Nhắn Tele @kiemtien_24h", "chat:tele @kiemtien_24h"),
        ("Vào nhóm t.me/kiemtien24h", "chat:t.me/kiemtien24h"),
        ("Telegram: @nhom_vip", "chat:telegram @nhom_vip"),
        ("STK 0071000123456 Vietcombank", "bank:0071000123456"),
        ("chuyển khoản vào 1903 5678 9012 34 Techcombank", "bank:1903 5678 9012 34"),
        ("Số tài khoản: 102-8765-43210", "bank:102-8765-43210"),
        ("stk: 1234", "bank:1234"),
        ("Ủng hộ qua MB Bank 0801234567890", "bank:0801234567890"),
        ("Nhà cái uy tín nhất", "betting:nhà cái"),
        ("Chúng tôi chống CÁ ĐỘ bóng đá", "betting:cá độ"),  # a moderator decides
        ("ca cuoc online", "betting:cá cược"),
        ("Soi cầu miễn phí", "betting:soi cầu"),
        ("Kèo thơm hôm nay", "betting:kèo"),
        ("Game NỔ HŨ đổi thưởng", "betting:nổ hũ"),
        ("Vay nóng trong ngày", "betting:vay nóng"),
        ("vay tien nhanh", "betting:vay tiền nhanh"),
        ("Bốc họ lãi thấp", "betting:bốc họ"),
        ("Giải ngân trong ngày", "betting:giải ngân trong ngày"),
        ("Cho vay không thế chấp", "betting:không thế chấp"),
    ],
)
def test_held_with_its_reason(text, code):
    assert code in holds.find(text)


@pytest.mark.parametrize(
    "text",
    [
        "Giá lúa 7.000 đồng một ký",
        "Vụ này gieo 1.500 ha",
        "Dự án 1.500.000.000 đồng",
        "Tổng vốn 84.900.000.000 đồng",
        "Năm 2024 và 2025 mưa nhiều",
        "Ngày 05.05.2024 lúc 20:30",
        "05.05.2024 20 giờ",
        "Từ 12/05/2024 đến 19/05/2024",
        "Mã hồ sơ 12345678",
        "Số 012345678 thiếu một số",
        "0912345678901 quá dài",
        "0123456789 không phải đầu số di động",
        "Bài https://baophusa.vn/thoi-su/cau-moi-0912345678.html hay",
        "Xem baophusa.vn/?id=84912345678",
        "Gửi thư cho ban@gmail.com",
        "Vietcombank cho vay 1.500.000.000 đồng",
        "Agribank khai trương ngày 05.05.2024",
        "Kẹo dừa Bến Tre ngon",
        "Cái xe nó hư rồi",
        "Chuyện này không thể chấp nhận được",
        "Lỡ để quên ví ở chợ",
        "Công ty báo lỗ năm nay",
        "Trận đấu trên sông Bạch Đằng rất hay",
        "Mong tỉnh sớm làm xong con đường này.",
    ],
)
def test_not_held(text):
    assert holds.find(text) == []


def test_one_reason_per_kind_in_the_order_a_moderator_reads():
    codes = holds.find("Nhà cái số 1, zalo 0912 345 678, stk 0071000123456 vcb")
    assert codes == [
        "phone:0912 345 678",
        "chat:zalo",
        "bank:0071000123456",
        "betting:nhà cái",
    ]


def test_holds_keep_it_pending_and_never_make_it_spam():
    verdict = spam.judge("Chống cá độ! Gọi 0912 345 678", honeypot_filled=False, terms=[])
    assert verdict.held and not verdict.spam
    assert verdict.reasons == ("phone:0912 345 678", "betting:cá độ")
    assert not spam.judge("Bài viết hay.", honeypot_filled=False, terms=[]).held


def test_reasons_are_described_for_moderators():
    assert spam.describe_reason(
        "phone:0912.345.678; chat:zalo @ban_doc; bank:0071000123456; betting:nhà cái; links"
    ) == (
        "Có số điện thoại: 0912.345.678; Có tài khoản Zalo/Telegram: “zalo @ban_doc”; "
        "Có số tài khoản ngân hàng: 0071000123456; "
        "Có từ ngữ cá độ / cho vay nặng lãi: “nhà cái”; Có hơn 2 liên kết (links)"
    )
    assert holds.describe("phone:") is None
    assert holds.describe("unknown:x") is None


@pytest.mark.django_db
def test_a_reader_s_phone_number_is_held_and_the_moderator_sees_why():
    article = make_article()
    # The article page's form: no token, posted from this site's own page.
    reader = Client(enforce_csrf_checks=True, HTTP_SEC_FETCH_SITE="same-origin")
    response = reader.post(
        reverse("comments:post", args=[article.pk]),
        {"name": "Út Mập", "email": "", "body": "Cần bán đất mặt tiền, gọi 0912 345 678."},
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == "phone:0912 345 678"

    moderator = staff_browser(make_staff("kd", "Moderators"))
    queue = moderator.get(reverse(QUEUE))
    assert queue.status_code == 200
    assert "Cần bán đất mặt tiền, gọi 0912 345 678." in queue.text
    assert "<strong>Lý do giữ lại:</strong> Có số điện thoại: 0912 345 678" in queue.text

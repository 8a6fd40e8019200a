"""What the browser tests read: viewports, the story most tests open, and pictures."""

from datetime import UTC, datetime

from django.core.files.base import ContentFile

from demo.content import SECTIONS as DEMO_SECTIONS
from demo.covers import draw_cover

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# The story most tests read: fixed time, so the date line is known exactly.
STORY_PUBLISHED_AT = datetime(2024, 2, 13, 10, 38, 6, tzinfo=UTC)  # 17:38:06 in Vietnam
STORY_DATELINE = "Thứ 3, 13/02/2024 | 17:38:06 [GMT +7]"
STORY_TITLE = "Nông dân Tháp Mười thu hoạch lúa Đông Xuân sớm, năng suất đạt hơn 7 tấn mỗi héc-ta"
STORY_SAPO = (
    "Nhờ xuống giống đồng loạt và áp dụng quy trình “1 phải 5 giảm”, hơn 2.000 héc-ta lúa "
    "Đông Xuân ở huyện Tháp Mười cho thu hoạch sớm mười ngày, giá bán ổn định."
)
WIDE_FIGURE = (1600, 900)  # wider than any column: it must scale down
STORY_BODY = """
<p>Những ngày giữa tháng Hai, trên các cánh đồng xã Mỹ An, Mỹ Quý, tiếng máy gặt đập liên hợp
vang lên từ sáng sớm. Nông dân phấn khởi vì lúa chín đều, hạt chắc, ít sâu bệnh.</p>
<p>Theo Phòng Nông nghiệp huyện, năng suất bình quân vụ này đạt 7,2 tấn mỗi héc-ta, cao hơn vụ
trước khoảng 0,4 tấn. Thương lái đến tận ruộng thu mua với giá từ 7.800 đến 8.200 đồng một ký.</p>
<h2>Xuống giống đồng loạt, né rầy hiệu quả</h2>
<p>Vụ Đông Xuân năm nay, huyện khuyến cáo bà con xuống giống tập trung trong ba đợt, theo lịch
thời vụ của ngành nông nghiệp tỉnh, để né rầy nâu và tiết kiệm nước tưới.</p>
<figure class="figure"><img src="{figure_url}" alt="Máy gặt đập liên hợp thu hoạch lúa trên cánh
đồng xã Mỹ An" width="{width}" height="{height}"><figcaption>Thu hoạch lúa Đông Xuân trên cánh
đồng xã Mỹ An, huyện Tháp Mười.</figcaption></figure>
<blockquote><p><strong>Ông Trần Văn Út</strong>, nông dân ấp 3, xã Mỹ Quý:</p>
<p>“Năm nay tôi giảm được gần một phần ba lượng phân bón mà lúa vẫn đẹp, trừ chi phí còn lời
khoảng 25 triệu đồng mỗi héc-ta.”</p></blockquote>
<p>Bảng giá tham khảo tại ruộng, cập nhật ngày 13/02:</p>
<table><thead><tr><th>Giống lúa</th><th>Giá tại ruộng (đồng/ký)</th><th>Năng suất bình quân
(tấn/héc-ta)</th><th>Diện tích đã thu hoạch (héc-ta)</th><th>Ghi chú của Phòng Nông nghiệp huyện
Tháp Mười</th></tr></thead><tbody><tr><td>OM 18</td><td>8.200</td><td>7,4</td><td>850</td>
<td>Thương lái đặt cọc trước khi thu hoạch</td></tr><tr><td>Đài Thơm 8</td><td>8.000</td>
<td>7,1</td><td>720</td><td>Giá ổn định so với tuần trước</td></tr></tbody></table>
<p>Xem lịch thời vụ đầy đủ tại https://sonongnghiep.phusa.example/lich-thoi-vu/dong-xuan-2024/
xuong-giong-dot-1-2-3-va-khuyen-cao-phong-tru-ray-nau-chi-tiet-theo-tung-xa.</p>
"""


def draw(motif: str, *, seed: str, size=(1200, 675)) -> ContentFile:
    """A JPEG illustration in the demo covers' style (see demo/covers.py)."""
    style = next(s for s in DEMO_SECTIONS if s.motif == motif)
    return ContentFile(draw_cover(style, seed=seed, size=size), name=f"{seed}.jpg")

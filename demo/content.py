"""Sample content for ``manage.py seed_demo``: a fictional Mekong-delta province paper.

Everything here was written for this project. The province (Phù Sa), its districts
and every person quoted are invented; only the rivers and the crops are real.
Long because it is text, not logic: the code that uses it is in
``demo/management/commands/seed_demo.py``.

An article body is a list of blocks: a plain string is a paragraph, ``H2(...)`` a
sub-heading, ``Quote(...)`` a person speaking (name and role, then the words) and
``Figure(...)`` an illustration with its caption. Scheduling is relative: an
article is published ``hours_ago`` hours before the seed runs (negative: later).
Many tags are shared by several articles, so tag pages and related lists have
something to show.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class H2:
    text: str


@dataclass(frozen=True)
class Quote:
    name: str
    role: str
    text: str


@dataclass(frozen=True)
class Figure:
    caption: str


@dataclass(frozen=True)
class DemoSection:
    name: str
    position: int
    description: str
    colours: tuple[str, str]  # the cover gradient, from the top
    motif: str  # what the generated covers draw, see demo/covers.py
    journalists_publish: bool = False  # journalists publish here without review


@dataclass(frozen=True)
class DemoAuthor:
    name: str
    bio: str


@dataclass(frozen=True)
class DemoArticle:
    section: str
    title: str
    sapo: str
    authors: tuple[str, ...]
    location: str
    hours_ago: float
    cover_caption: str
    tags: tuple[str, ...] = ()  # given to the article when it has none
    body: list = field(default_factory=list)
    draft: bool = False
    # Not published: sent for review by the journalist, or sent back with this note.
    in_review: bool = False
    sent_back: str = ""

    @property
    def has_figure(self) -> bool:
        return any(isinstance(block, Figure) for block in self.body)


# The province's places (invented, like the province): the demo articles'
# datelines, and seed_bench's text.
PLACES = (
    "TP. Phù Sa",
    "Đồng Lợi",
    "Mỹ Lộc",
    "Cồn Tre",
    "Rạch Sen",
    "Bình Hòa Trung",
    "Long Điền Hạ",
    "Tân Thạnh Đông",
    "Xáng Ngang",
    "Cù lao Tre",
    "Phú Sa Đông",
    "Mỹ Lộc Hạ",
    "Bến Sen",
    "Rạch Gốc",
    "Tân Lợi",
    "Hòa Sa",
    "An Lộc Đông",
    "Vàm Sen",
)

SECTIONS = [
    DemoSection(
        "Thời sự",
        1,
        "Tin tức chính trị, xã hội nổi bật trong tỉnh.",
        ("#0d3b66", "#5fa8d3"),
        "bridge",
    ),
    DemoSection(
        "Kinh tế", 2, "Sản xuất, kinh doanh, giá cả thị trường.", ("#7a3e00", "#f4a259"), "boats"
    ),
    DemoSection(
        "Nông nghiệp",
        3,
        "Lúa, trái cây, thủy sản và đời sống nhà nông.",
        ("#1b5e20", "#a5d66f"),
        "fields",
    ),
    DemoSection(
        "Xã hội",
        4,
        "Giáo dục, y tế, an sinh và đời sống.",
        ("#4a2c6f", "#c29fe0"),
        "houses",
        journalists_publish=True,
    ),
    DemoSection(
        "Văn hóa – Thể thao",
        5,
        "Lễ hội, nghệ thuật truyền thống và các giải thể thao.",
        ("#8c1c13", "#f28f3b"),
        "flags",
    ),
    DemoSection(
        "Du lịch",
        6,
        "Điểm đến, ẩm thực và trải nghiệm miệt vườn sông nước.",
        ("#00695c", "#80cbc4"),
        "palms",
    ),
]

# The first author is linked to the demo journalist's account.
AUTHORS = [
    DemoAuthor("Nguyễn Thanh Tùng", "Phóng viên thời sự, theo dõi giao thông và đô thị."),
    DemoAuthor("Lê Thị Ngọc Hân", "Phóng viên kinh tế, phụ trách thị trường và doanh nghiệp."),
    DemoAuthor("Trần Quốc Bảo", "Phóng viên nông nghiệp, gắn bó với ruộng đồng hơn mười năm."),
    DemoAuthor("Phạm Minh Đức", "Phóng viên ảnh và thể thao."),
    DemoAuthor("Huỳnh Thị Kim Thoa", "Phóng viên xã hội, viết về giáo dục và y tế."),
    DemoAuthor("Võ Hoàng Nam", "Phóng viên văn hóa – du lịch."),
    DemoAuthor("Đặng Thu Trang", "Biên tập viên, phụ trách chuyên mục Du lịch."),
]

ARTICLES = [
    # --- Thời sự -------------------------------------------------------------
    DemoArticle(
        section="Thời sự",
        title="Đồng Lợi khởi công cầu bắc qua sông Tiền, rút ngắn một giờ đường về trung tâm tỉnh",
        sapo="Sáng nay, tỉnh Phù Sa khởi công cầu Đồng Lợi dài 1,2 km, công trình người dân "
        "cù lao chờ đợi gần hai mươi năm. Cầu dự kiến thông xe sau 30 tháng thi công.",
        authors=("Nguyễn Thanh Tùng",),
        location="Đồng Lợi",
        hours_ago=1.5,
        cover_caption="Bến phà Đồng Lợi, nơi sẽ được thay bằng cây cầu mới (ảnh minh họa).",
        tags=("Giao thông", "Sông Tiền", "Cù lao", "Đồng Lợi"),
        body=[
            "Cầu Đồng Lợi có bốn làn xe, nối thị trấn Đồng Lợi với cù lao Cồn Tre. Tổng vốn "
            "đầu tư khoảng 1.450 tỷ đồng từ ngân sách trung ương và ngân sách tỉnh.",
            "Hiện mỗi ngày có hơn 6.000 lượt người và 1.500 lượt xe máy qua phà. Vào mùa "
            "nước nổi hoặc khi có gió chướng, phà phải tạm ngừng, hàng hóa của bà con trên "
            "cù lao ứ lại nhiều giờ.",
            H2("Giải phóng mặt bằng đạt gần 95%"),
            "Theo Ban Quản lý dự án đầu tư xây dựng tỉnh, 212 trong số 224 hộ bị ảnh hưởng "
            "đã nhận tiền bồi thường và bàn giao mặt bằng. Các hộ còn lại đang được vận động, "
            "bố trí tái định cư ngay trong xã.",
            Figure("Phối cảnh cầu Đồng Lợi nhìn từ bờ Bắc sông Tiền."),
            Quote(
                "Ông Lâm Văn Hiếu",
                "Chủ tịch UBND huyện Đồng Lợi",
                "Cây cầu không chỉ rút ngắn đường đi. Khi có cầu, trái cây trên cù lao ra tới "
                "chợ đầu mối trong buổi sáng, giá bán cho nông dân sẽ khác hẳn.",
            ),
            "Nhà thầu cam kết bố trí luồng tạm để tàu thuyền qua lại an toàn trong suốt thời "
            "gian thi công trên sông.",
        ],
    ),
    DemoArticle(
        section="Thời sự",
        title="Hội đồng nhân dân tỉnh thông qua nghị quyết miễn học phí cho học sinh ở các xã "
        "cù lao",
        sapo="Từ học kỳ tới, khoảng 18.000 học sinh mầm non và phổ thông ở 14 xã cù lao của "
        "tỉnh Phù Sa được miễn toàn bộ học phí.",
        authors=("Huỳnh Thị Kim Thoa",),
        location="TP. Phù Sa",
        hours_ago=4,
        cover_caption="Học sinh xã cù lao tan trường (ảnh minh họa).",
        tags=("Giáo dục", "Học phí", "Cù lao"),
        body=[
            "Nghị quyết được thông qua tại kỳ họp chuyên đề của Hội đồng nhân dân tỉnh khóa "
            "X với 48 trên 50 đại biểu tán thành. Kinh phí thực hiện mỗi năm khoảng 27 tỷ đồng.",
            "Ngoài học phí, học sinh thuộc hộ nghèo và cận nghèo còn được hỗ trợ tiền đi đò "
            "đến trường, mỗi tháng 150.000 đồng.",
            H2("Giữ học sinh ở lại lớp"),
            "Báo cáo của Sở Giáo dục và Đào tạo cho thấy tỉ lệ học sinh bỏ học ở các xã cù lao "
            "cao gấp đôi mức trung bình của tỉnh, chủ yếu vì chi phí đi lại và phụ giúp gia đình.",
            Quote(
                "Bà Trịnh Thị Mai Lan",
                "Phó Chủ tịch UBND tỉnh",
                "Chúng tôi muốn không em nào phải nghỉ học chỉ vì tiền đò hay tiền học phí.",
            ),
            "Sở Giáo dục và Đào tạo sẽ hướng dẫn các trường lập danh sách trước ngày 15 tháng tới.",
        ],
    ),
    DemoArticle(
        section="Thời sự",
        title="Đồng Lợi: mưa lớn kèm triều cường làm sạt lở gần 200 mét bờ kênh Xáng Ngang",
        sapo="Đêm qua, một đoạn bờ kênh Xáng Ngang qua xã Tân Thạnh Đông bị sạt lở, ba căn nhà "
        "phải di dời khẩn cấp. Không có thiệt hại về người.",
        authors=("Nguyễn Thanh Tùng", "Phạm Minh Đức"),
        location="Đồng Lợi",
        hours_ago=9,
        cover_caption="Bờ kênh Xáng Ngang sau trận mưa lớn (ảnh minh họa).",
        tags=("Sạt lở", "Phòng chống thiên tai", "Đồng Lợi"),
        body=[
            "Khoảng 23 giờ, người dân nghe tiếng đất nứt và báo cho chính quyền xã. Lực lượng "
            "dân quân cùng công an xã có mặt sau 20 phút, giúp ba hộ chuyển đồ đạc lên nơi cao.",
            "Đoạn sạt lở dài gần 200 mét, có chỗ ăn sâu vào bờ 6 mét, cuốn theo một đoạn "
            "đường giao thông nông thôn.",
            H2("Cắm biển cảnh báo, phân luồng giao thông"),
            "UBND huyện đã cắm biển cảnh báo, cấm xe trên 2 tấn qua đoạn đường ven kênh và "
            "hỗ trợ mỗi hộ phải di dời 10 triệu đồng.",
            Quote(
                "Ông Phan Thành Được",
                "Trưởng phòng Nông nghiệp huyện Đồng Lợi",
                "Triều cường những ngày tới còn cao. Chúng tôi đề nghị bà con ven kênh không "
                "ở lại trong nhà sát mép bờ vào ban đêm.",
            ),
            "Huyện đang lập hồ sơ đề nghị tỉnh hỗ trợ kinh phí kè khẩn cấp đoạn bờ kênh này.",
        ],
    ),
    DemoArticle(
        section="Thời sự",
        title="Trung tâm phục vụ hành chính công tỉnh nhận hồ sơ đến 20 giờ mỗi tối thứ Năm",
        sapo="Để người lao động không phải xin nghỉ làm, Trung tâm phục vụ hành chính công "
        "tỉnh Phù Sa mở cửa buổi tối một ngày trong tuần, bắt đầu từ tuần này.",
        authors=("Nguyễn Thanh Tùng",),
        location="TP. Phù Sa",
        hours_ago=30,
        cover_caption="Quầy tiếp nhận hồ sơ tại Trung tâm phục vụ hành chính công (ảnh minh họa).",
        tags=("Cải cách hành chính", "Dịch vụ công"),
        body=[
            "Vào tối thứ Năm, trung tâm nhận hồ sơ đất đai, hộ tịch, đăng ký kinh doanh và "
            "cấp phiếu lý lịch tư pháp. Người dân có thể đặt lịch trước qua cổng dịch vụ công.",
            "Trong buổi tối đầu tiên, trung tâm đã tiếp nhận 86 hồ sơ, phần lớn của công nhân "
            "các khu công nghiệp.",
            H2("Giảm thời gian chờ"),
            "Trung tâm bố trí thêm hai quầy hướng dẫn nộp hồ sơ trực tuyến và một máy lấy số "
            "tự động có hướng dẫn bằng giọng nói.",
            Quote(
                "Chị Nguyễn Thị Bé Ba",
                "công nhân Khu công nghiệp Tân Thạnh Đông",
                "Tan ca là tôi chạy qua đây, nộp xong hồ sơ làm giấy khai sinh cho con chỉ trong "
                "mười lăm phút. Không phải xin nghỉ, không bị trừ lương.",
            ),
            "Nếu lượng hồ sơ ổn định, tỉnh sẽ xem xét mở thêm buổi sáng thứ Bảy.",
        ],
    ),
    # --- Kinh tế -------------------------------------------------------------
    DemoArticle(
        section="Kinh tế",
        title="Giá lúa tươi tăng nhẹ đầu vụ Hè Thu, thương lái về tận ruộng thu mua ở Mỹ Lộc",
        sapo="Lúa thơm được thương lái mua tại ruộng với giá 7.600 đồng một ký, cao hơn cùng kỳ "
        "năm trước khoảng 400 đồng. Nông dân lãi từ 25 đến 30 triệu đồng mỗi héc-ta.",
        authors=("Lê Thị Ngọc Hân",),
        location="Mỹ Lộc",
        hours_ago=2.5,
        cover_caption="Ghe chở lúa neo bên bờ kênh ở Mỹ Lộc (ảnh minh họa).",
        tags=("Lúa gạo", "Giá cả", "Vụ Hè Thu"),
        body=[
            "Những ngày này, trên các tuyến kênh ở Mỹ Lộc, ghe thương lái nối nhau vào tận "
            "ruộng. Nhiều nơi lúa chưa chín đều đã được đặt cọc trước.",
            "Theo các doanh nghiệp xay xát, đơn hàng gạo thơm xuất khẩu tăng khiến nhu cầu "
            "lúa nguyên liệu tăng theo.",
            H2("Nông dân cần giữ chất lượng"),
            "Ngành nông nghiệp khuyến cáo bà con thu hoạch đúng độ chín, không phơi lúa trên "
            "mặt đường để tránh hạt gạo bị nứt, giảm giá.",
            Quote(
                "Ông Tô Văn Sáu",
                "nông dân ấp Mỹ Thuận, xã Mỹ Lộc",
                "Năm nay lúa trúng, giá lại được. Thương lái tới tận bờ ruộng cân lúa, mình đỡ "
                "tốn công chở ra sân phơi.",
            ),
            "Dự báo giá lúa sẽ ổn định đến cuối vụ nhờ các hợp đồng xuất khẩu đã ký.",
        ],
    ),
    DemoArticle(
        section="Kinh tế",
        title="Khu công nghiệp Tân Thạnh Đông đón thêm ba nhà máy chế biến thủy sản xuất khẩu",
        sapo="Ba nhà máy với tổng vốn hơn 900 tỷ đồng sẽ tạo việc làm cho khoảng 3.500 lao động "
        "địa phương khi đi vào hoạt động cuối năm sau.",
        authors=("Lê Thị Ngọc Hân",),
        location="Tân Thạnh Đông",
        hours_ago=14,
        cover_caption="Khu công nghiệp Tân Thạnh Đông bên sông Tiền (ảnh minh họa).",
        tags=("Khu công nghiệp", "Thủy sản", "Việc làm"),
        body=[
            "Hai nhà máy chế biến cá tra fillet và một nhà máy sản xuất thức ăn thủy sản vừa "
            "nhận giấy chứng nhận đầu tư. Tỷ lệ lấp đầy khu công nghiệp lên gần 80%.",
            "Các nhà đầu tư cam kết xử lý nước thải đạt chuẩn trước khi xả ra sông và ưu tiên "
            "tuyển lao động trong huyện.",
            H2("Áp lực về nhà ở cho công nhân"),
            "Dự kiến số công nhân trong khu công nghiệp sẽ tăng gấp rưỡi. Tỉnh đang kêu gọi "
            "đầu tư khu nhà ở xã hội 800 căn ngay cạnh khu công nghiệp.",
            Figure("Dây chuyền fillet cá tra tại một nhà máy trong khu công nghiệp."),
            Quote(
                "Ông Huỳnh Tấn Lực",
                "Trưởng ban Quản lý các khu công nghiệp tỉnh",
                "Chúng tôi chỉ nhận dự án có công nghệ xử lý môi trường rõ ràng. Sông Tiền là "
                "nguồn nước của cả tỉnh, không thể đánh đổi.",
            ),
            "Trong năm nay, các khu công nghiệp của tỉnh đã thu hút 11 dự án mới.",
        ],
    ),
    DemoArticle(
        section="Kinh tế",
        title="Chợ nổi Cồn Tre chuyển mình với thanh toán bằng mã QR trên từng ghe hàng",
        sapo="Hơn 70% ghe hàng ở chợ nổi Cồn Tre đã treo mã QR để khách chuyển khoản, điều "
        "hiếm thấy ở một phiên chợ họp từ lúc trời còn tối.",
        authors=("Lê Thị Ngọc Hân", "Võ Hoàng Nam"),
        location="Cồn Tre",
        hours_ago=22,
        cover_caption="Ghe hàng trên chợ nổi Cồn Tre lúc bình minh (ảnh minh họa).",
        tags=("Chợ nổi", "Chuyển đổi số", "Cồn Tre"),
        body=[
            "Bốn giờ sáng, chợ nổi đã đông. Trên cây bẹo của mỗi ghe, bên cạnh trái khóm, "
            "trái bí là tấm bảng nhỏ in mã QR được bọc ni-lông cẩn thận.",
            "Đoàn thanh niên xã và các ngân hàng đã mở lớp hướng dẫn ngay trên bến, giúp tiểu "
            "thương lớn tuổi cài ứng dụng và nhận tiền.",
            H2("Tiện cho khách du lịch"),
            "Khách du lịch, nhất là khách trẻ, ít mang tiền mặt. Từ khi có mã QR, nhiều ghe "
            "bán thêm được hàng cho các tàu du lịch ghé chợ.",
            Quote(
                "Bà Lê Thị Hai",
                "tiểu thương bán khóm ở chợ nổi",
                "Lúc đầu tôi sợ bấm lộn, mất tiền. Giờ quen rồi, khách quét là điện thoại kêu "
                "tiếng ting, khỏi thối tiền lẻ.",
            ),
            "Xã Cồn Tre đặt mục tiêu đến cuối năm, mọi ghe hàng đều nhận thanh toán không dùng "
            "tiền mặt.",
        ],
    ),
    DemoArticle(
        section="Kinh tế",
        title="Hợp tác xã dừa Bình Hòa Trung ký hợp đồng xuất khẩu 500 tấn cơm dừa sấy sang "
        "châu Âu",
        sapo="Lần đầu tiên một hợp tác xã của tỉnh trực tiếp ký hợp đồng xuất khẩu, không qua "
        "doanh nghiệp trung gian, với giá cao hơn bán trong nước 30%.",
        authors=("Lê Thị Ngọc Hân",),
        location="Bình Hòa Trung",
        hours_ago=50,
        cover_caption="Vườn dừa ven sông ở Bình Hòa Trung (ảnh minh họa).",
        tags=("Xuất khẩu", "Hợp tác xã", "Dừa"),
        body=[
            "Hợp tác xã có 126 thành viên với 340 héc-ta dừa được chứng nhận hữu cơ. Cơm dừa "
            "được sấy lạnh tại xưởng của hợp tác xã rồi đóng gói theo yêu cầu của đối tác.",
            "Hợp đồng kéo dài ba năm, mỗi năm giao 500 tấn, giá cố định theo quý.",
            H2("Chứng nhận hữu cơ là tấm vé"),
            "Để đạt chứng nhận, các thành viên phải bỏ hẳn phân bón hóa học và thuốc diệt cỏ "
            "trong ba năm, ghi nhật ký canh tác hằng ngày.",
            Quote(
                "Ông Nguyễn Văn Lành",
                "Giám đốc Hợp tác xã dừa Bình Hòa Trung",
                "Ba năm đầu năng suất giảm, có người muốn bỏ cuộc. Giờ trái dừa hữu cơ bán "
                "được giá gấp rưỡi, bà con mới thấy công sức không uổng.",
            ),
            "Hợp tác xã dự kiến kết nạp thêm 60 hộ trồng dừa trong năm tới.",
        ],
    ),
    # --- Nông nghiệp ---------------------------------------------------------
    DemoArticle(
        section="Nông nghiệp",
        title="Nông dân Rạch Sen thu hoạch lúa thơm sớm, năng suất đạt gần bảy tấn mỗi héc-ta",
        sapo="Vụ Hè Thu năm nay, hơn 4.000 héc-ta lúa thơm ở Rạch Sen cho năng suất cao nhất "
        "trong năm năm qua nhờ xuống giống đồng loạt và giảm lượng giống gieo sạ.",
        authors=("Trần Quốc Bảo",),
        location="Rạch Sen",
        hours_ago=3,
        cover_caption="Cánh đồng lúa chín ở Rạch Sen (ảnh minh họa).",
        tags=("Lúa gạo", "Vụ Hè Thu"),
        body=[
            "Máy gặt đập liên hợp làm việc từ sáng sớm. Nhiều hộ cho biết năng suất đạt 6,8 "
            "đến 7 tấn mỗi héc-ta, cao hơn vụ trước gần một tấn.",
            "Lượng lúa giống gieo sạ giảm từ 150 xuống còn 80 ký mỗi héc-ta, vừa tiết kiệm "
            "chi phí vừa giúp cây lúa khỏe, ít sâu bệnh.",
            H2("Cánh đồng lớn, chi phí nhỏ"),
            "Các tổ hợp tác liên kết thành cánh đồng lớn, dùng chung máy bay không người lái "
            "để phun thuốc, giảm gần một nửa công lao động.",
            Figure("Máy gặt đập liên hợp trên cánh đồng lớn ở xã Rạch Sen."),
            Quote(
                "Anh Dương Văn Tới",
                "Tổ trưởng tổ hợp tác sản xuất lúa ấp Rạch Sen B",
                "Trước đây ai làm nấy, giờ cả tổ xuống giống cùng ngày, phun thuốc cùng lúc, "
                "rầy không có chỗ trú.",
            ),
            "Ngành nông nghiệp huyện sẽ nhân rộng mô hình cho vụ Thu Đông sắp tới.",
        ],
    ),
    DemoArticle(
        section="Nông nghiệp",
        title="Mô hình nuôi tôm càng xanh xen lúa giúp nhiều hộ ở Long Điền Hạ có lãi cao",
        sapo="Mỗi héc-ta ruộng vừa trồng lúa vừa nuôi tôm càng xanh mang lại lợi nhuận 120 "
        "triệu đồng một năm, gấp ba lần chỉ trồng lúa.",
        authors=("Trần Quốc Bảo",),
        location="Long Điền Hạ",
        hours_ago=18,
        cover_caption="Ruộng lúa xen tôm càng xanh ở Long Điền Hạ (ảnh minh họa).",
        tags=("Thủy sản", "Lúa gạo", "Hợp tác xã"),
        body=[
            "Sau vụ lúa Đông Xuân, nông dân giữ nước trong ruộng và thả tôm giống. Gốc rạ "
            "mục làm thức ăn tự nhiên cho tôm, còn chất thải của tôm làm ruộng thêm màu mỡ.",
            "Hiện xã có 63 hộ tham gia với diện tích gần 90 héc-ta.",
            H2("Con tôm sạch nhờ cây lúa"),
            "Vì trong ruộng nuôi tôm, nông dân gần như không dùng thuốc bảo vệ thực vật. "
            "Lúa làm ra được các cửa hàng gạo sạch trong tỉnh thu mua với giá cao.",
            Quote(
                "Chị Trần Thị Diễm",
                "nông dân ấp Long Hòa, xã Long Điền Hạ",
                "Năm rồi nhà tôi bán tôm được hơn 90 triệu, lúa vẫn đủ ăn và bán thêm. Nuôi "
                "tôm trong ruộng cực hơn một chút nhưng đáng.",
            ),
            "Trung tâm Khuyến nông tỉnh hỗ trợ 50% tiền con giống cho hộ mới tham gia.",
        ],
    ),
    DemoArticle(
        section="Nông nghiệp",
        title="Ngành nông nghiệp khuyến cáo xuống giống đồng loạt theo lịch để né rầy nâu đầu vụ "
        "Thu Đông",
        sapo="Sở Nông nghiệp và Phát triển nông thôn tỉnh Phù Sa chia ba đợt xuống giống, đợt "
        "đầu từ ngày 5 tháng tới, sau khi bẫy đèn cho thấy rầy nâu vào đèn giảm mạnh.",
        authors=("Trần Quốc Bảo",),
        location="TP. Phù Sa",
        hours_ago=40,
        cover_caption="Nông dân thăm đồng sau khi sạ (ảnh minh họa).",
        tags=("Lúa gạo", "Sâu bệnh", "Vụ Thu Đông"),
        body=[
            "Lịch xuống giống được xây dựng dựa trên số liệu bẫy đèn ở 42 điểm trong tỉnh. "
            "Gieo sạ đúng lịch giúp cây lúa non tránh được đợt rầy di trú cao điểm.",
            "Nông dân được khuyến cáo dùng giống xác nhận, không sạ dày và không bón thừa phân "
            "đạm trong giai đoạn đầu.",
            H2("Theo dõi bẫy đèn hằng ngày"),
            "Cán bộ bảo vệ thực vật cập nhật số rầy vào đèn mỗi sáng và đăng lên nhóm Zalo của "
            "từng xã để nông dân tiện theo dõi.",
            Quote(
                "Ông Bùi Quang Vinh",
                "Chi cục trưởng Chi cục Trồng trọt và Bảo vệ thực vật tỉnh",
                "Sạ né rầy là biện pháp rẻ nhất mà hiệu quả nhất. Một thửa ruộng sạ sớm có "
                "thể kéo rầy về cho cả cánh đồng.",
            ),
            "Các xã sẽ bố trí lực lượng kiểm tra, nhắc nhở những ruộng xuống giống sớm hơn lịch.",
        ],
    ),
    DemoArticle(
        section="Nông nghiệp",
        title="Vườn xoài Mỹ Lộc được cấp mã số vùng trồng, mở đường sang thị trường Nhật Bản",
        sapo="Ba vùng trồng xoài với 210 héc-ta vừa được cấp mã số, điều kiện bắt buộc để trái "
        "xoài của tỉnh vào các thị trường khó tính.",
        authors=("Trần Quốc Bảo", "Lê Thị Ngọc Hân"),
        location="Mỹ Lộc",
        hours_ago=66,
        cover_caption="Vườn xoài bao trái ở Mỹ Lộc (ảnh minh họa).",
        tags=("Xoài", "Xuất khẩu"),
        body=[
            "Để được cấp mã số, các nhà vườn phải ghi chép nhật ký, dùng thuốc trong danh mục "
            "cho phép và bao trái từ khi xoài bằng quả trứng gà.",
            "Một doanh nghiệp xuất khẩu đã ký hợp đồng bao tiêu toàn bộ xoài đạt chuẩn với "
            "giá cao hơn thị trường từ 5.000 đến 8.000 đồng một ký.",
            H2("Giữ mã số còn khó hơn có mã số"),
            "Mã số vùng trồng có thể bị thu hồi nếu phát hiện dư lượng thuốc vượt mức cho phép "
            "hoặc sâu bệnh thuộc diện kiểm dịch.",
            Figure("Nhà vườn bao trái xoài bằng túi giấy chuyên dụng."),
            Quote(
                "Ông Đỗ Văn Thắng",
                "chủ vườn xoài ở ấp Mỹ Hòa",
                "Một nhà làm ẩu là cả vùng bị ảnh hưởng. Bà con trong tổ nhắc nhau từng lần "
                "phun thuốc, ghi chép đầy đủ.",
            ),
            "Tỉnh đặt mục tiêu có thêm 1.000 héc-ta cây ăn trái được cấp mã số trong hai năm tới.",
        ],
    ),
    # --- Xã hội --------------------------------------------------------------
    DemoArticle(
        section="Xã hội",
        title="Đoàn thanh niên tỉnh trao 120 chiếc xe đạp cho học sinh nghèo vượt khó trước "
        "năm học mới",
        sapo="Những chiếc xe đạp mới được trao cho học sinh ở các xã vùng sâu, nơi nhiều em "
        "phải đi bộ hàng cây số trên đường đất đến trường.",
        authors=("Huỳnh Thị Kim Thoa",),
        location="Bình Hòa Trung",
        hours_ago=6,
        cover_caption="Học sinh nhận xe đạp trước năm học mới (ảnh minh họa).",
        tags=("Giáo dục", "Đoàn thanh niên", "An sinh xã hội"),
        body=[
            "Kinh phí mua xe do đoàn viên, thanh niên và các doanh nghiệp trong tỉnh đóng góp "
            "qua chương trình Tiếp sức đến trường.",
            "Ngoài xe đạp, mỗi em còn nhận một bộ sách giáo khoa và mười quyển vở.",
            H2("Mười năm, hơn một nghìn chiếc xe"),
            "Chương trình đã bước sang năm thứ mười, trao tổng cộng 1.140 chiếc xe đạp cho "
            "học sinh có hoàn cảnh khó khăn.",
            Quote(
                "Em Lý Ngọc Như",
                "học sinh lớp 8, Trường THCS Bình Hòa Trung",
                "Nhà em cách trường bốn cây số. Có xe rồi em không sợ trễ giờ, chiều còn về sớm "
                "phụ má bán rau.",
            ),
            "Đoàn thanh niên tỉnh cho biết sẽ tiếp tục vận động để trao thêm 80 chiếc xe vào "
            "dịp Tết.",
        ],
    ),
    DemoArticle(
        section="Xã hội",
        title="Bệnh viện Đa khoa tỉnh đưa vào hoạt động khoa Nhi mới với 150 giường bệnh",
        sapo="Khoa Nhi mới có phòng chơi cho trẻ và khu lưu trú cho người nhà, chấm dứt cảnh "
        "hai, ba bệnh nhi nằm chung một giường vào mùa dịch.",
        authors=("Huỳnh Thị Kim Thoa",),
        location="TP. Phù Sa",
        hours_ago=26,
        cover_caption="Khu nhà khoa Nhi mới của Bệnh viện Đa khoa tỉnh (ảnh minh họa).",
        tags=("Y tế", "Trẻ em"),
        body=[
            "Công trình bốn tầng được xây dựng trong 18 tháng, trang bị hệ thống oxy trung "
            "tâm và 20 giường hồi sức tích cực cho trẻ em.",
            "Mùa sốt xuất huyết năm ngoái, khoa Nhi cũ chỉ có 70 giường nhưng phải điều trị "
            "cùng lúc hơn 200 bệnh nhi.",
            H2("Giảm chuyển viện lên tuyến trên"),
            "Bệnh viện đã cử 12 bác sĩ đi đào tạo chuyên sâu về hồi sức sơ sinh để điều trị "
            "các ca nặng ngay tại tỉnh.",
            Figure("Phòng chơi dành cho bệnh nhi tại khoa mới."),
            Quote(
                "Bác sĩ Châu Minh Trí",
                "Trưởng khoa Nhi, Bệnh viện Đa khoa tỉnh",
                "Trẻ em nằm viện đã mệt, cha mẹ còn mệt hơn. Có chỗ cho người nhà nghỉ ngơi, "
                "việc chăm sóc các cháu cũng tốt hơn.",
            ),
            "Người bệnh có thể đặt lịch khám nhi qua tổng đài của bệnh viện từ 6 giờ sáng.",
        ],
    ),
    DemoArticle(
        section="Xã hội",
        title="Lớp học trên ghe của cô giáo trẻ giúp trẻ em cù lao Cồn Tre biết đọc, biết viết",
        sapo="Mỗi chiều, chiếc ghe nhỏ của cô Thạch Thị Sa Rin lại ghé từng bến nhà, đón các "
        "em nhỏ chưa được đến trường lên học chữ.",
        authors=("Huỳnh Thị Kim Thoa", "Võ Hoàng Nam"),
        location="Cồn Tre",
        hours_ago=46,
        cover_caption="Ghe của lớp học tình thương neo bên bến (ảnh minh họa).",
        tags=("Giáo dục", "Trẻ em", "Cồn Tre"),
        body=[
            "Lớp học có 14 em, từ sáu đến mười hai tuổi, con của các gia đình sống bằng nghề "
            "chài lưới, theo ghe cha mẹ đi khắp các nhánh sông.",
            "Bảng đen treo ở mui ghe, bàn học là những tấm ván kê trên đùi. Học xong, cô trò "
            "cùng nhau hát một bài rồi cô chèo ghe đưa các em về.",
            H2("Từ lớp học nhỏ đến trường lớn"),
            "Sau ba năm, đã có chín em được cô giúp làm giấy khai sinh và nhập học tại trường "
            "tiểu học của xã.",
            Quote(
                "Cô Thạch Thị Sa Rin",
                "giáo viên Trường Tiểu học Cồn Tre",
                "Các em thông minh lắm, chỉ thiếu chỗ học. Em nào đọc được một trang sách là "
                "cả ghe vỗ tay.",
            ),
            "Hội Khuyến học huyện vừa tặng lớp học một chiếc ghe mới có mái che mưa nắng.",
        ],
    ),
    DemoArticle(
        section="Xã hội",
        title="Hơn 3.000 hộ dân ven sông được lắp đồng hồ nước sạch miễn phí trong năm nay",
        sapo="Nhờ tuyến ống mới dọc sông Tiền, người dân ở bốn xã không còn phải dùng nước "
        "sông lắng phèn để nấu ăn, tắm giặt.",
        authors=("Huỳnh Thị Kim Thoa",),
        location="Tân Thạnh Đông",
        hours_ago=72,
        cover_caption="Nhà ven sông ở Tân Thạnh Đông (ảnh minh họa).",
        tags=("Nước sạch", "Sông Tiền", "An sinh xã hội"),
        body=[
            "Tuyến ống dài 38 km do Công ty Cấp nước tỉnh đầu tư, đưa nước từ nhà máy nước "
            "Tân Thạnh về các ấp ven sông.",
            "Mỗi hộ được lắp đồng hồ và đường ống vào nhà miễn phí, giá nước sinh hoạt 6.500 "
            "đồng một mét khối.",
            H2("Mùa khô không còn lo nước mặn"),
            "Những năm hạn mặn, nhiều hộ phải mua nước bình giá hàng trăm nghìn đồng mỗi "
            "tuần. Nay nước máy có đủ quanh năm.",
            Quote(
                "Bà Nguyễn Thị Tư",
                "người dân ấp Tân Thạnh A",
                "Hồi trước tôi phải lóng phèn từng lu nước. Giờ mở vòi là có nước trong, cháu "
                "nhỏ tắm cũng không bị ngứa nữa.",
            ),
            "Công ty Cấp nước tỉnh tiếp nhận phản ánh về chất lượng nước qua đường dây nóng "
            "trực 24 giờ.",
        ],
    ),
    # --- Văn hóa – Thể thao ---------------------------------------------------
    DemoArticle(
        section="Văn hóa – Thể thao",
        title="Lễ hội đua ghe ngo trên sông Hậu thu hút hàng chục nghìn người dân và du khách "
        "cổ vũ",
        sapo="Hai mươi bốn đội ghe ngo của đồng bào Khmer trong tỉnh tranh tài trong hai ngày, "
        "trên đường đua dài 1.200 mét.",
        authors=("Phạm Minh Đức",),
        location="Long Điền Hạ",
        hours_ago=5,
        cover_caption="Đội ghe ngo tập luyện trên sông (ảnh minh họa).",
        tags=("Lễ hội", "Đua ghe ngo", "Đồng bào Khmer"),
        body=[
            "Từ sáng sớm, hai bên bờ sông đã kín người. Tiếng trống, tiếng kèn hòa cùng tiếng "
            "hò reo mỗi khi hai chiếc ghe dài hơn 25 mét lao về đích.",
            "Mỗi ghe có hơn 50 tay bơi, phần lớn là thanh niên trong phum sóc, luyện tập suốt "
            "hai tháng trước lễ hội.",
            H2("Ghe chùa Long Hòa giữ cúp vô địch"),
            "Sau bốn lượt đua, ghe của chùa Long Hòa về nhất với thời gian 4 phút 12 giây, "
            "lần thứ ba liên tiếp giành chiến thắng.",
            Figure("Các tay bơi đồng loạt nhịp chèo khi gần về đích."),
            Quote(
                "Ông Thạch Sóc Khum",
                "huấn luyện viên đội ghe chùa Long Hòa",
                "Đua ghe là niềm vui của cả phum sóc. Thắng thua không quan trọng bằng việc "
                "các em nhỏ được nối tiếp truyền thống của ông bà.",
            ),
            "Lễ hội năm nay còn có gian hàng ẩm thực và biểu diễn nghệ thuật Khmer vào buổi tối.",
        ],
    ),
    DemoArticle(
        section="Văn hóa – Thể thao",
        title="Câu lạc bộ đờn ca tài tử phường 3 giữ lửa cho loại hình di sản của vùng sông nước",
        sapo="Mỗi tối thứ Bảy, mái hiên nhà ông Tư Cải ở phường 3 lại rộn tiếng đàn kìm, đàn "
        "tranh. Câu lạc bộ đã sinh hoạt đều đặn suốt hai mươi năm.",
        authors=("Võ Hoàng Nam",),
        location="TP. Phù Sa",
        hours_ago=20,
        cover_caption="Buổi sinh hoạt của câu lạc bộ đờn ca tài tử (ảnh minh họa).",
        tags=("Đờn ca tài tử", "Di sản"),
        body=[
            "Câu lạc bộ có 32 thành viên, người lớn tuổi nhất 81 tuổi, người nhỏ nhất mới "
            "học lớp 7. Không ai nhận thù lao, ai đến cũng mang theo ít bánh trái.",
            "Ngoài các bài bản tổ, câu lạc bộ còn soạn lời mới về quê hương, về cây cầu mới, "
            "về mùa nước nổi.",
            H2("Dạy đàn miễn phí cho trẻ em"),
            "Mỗi sáng Chủ nhật, các nghệ nhân dạy đàn miễn phí cho thiếu nhi trong phường. "
            "Đã có năm em đoạt giải trong hội thi đờn ca tài tử cấp tỉnh.",
            Quote(
                "Nghệ nhân Nguyễn Văn Cải",
                "Chủ nhiệm câu lạc bộ đờn ca tài tử phường 3",
                "Đờn ca tài tử sống được là nhờ người nghe. Còn người ngồi lại nghe, còn con "
                "nít chịu học đàn là tôi còn mở cửa.",
            ),
            "Khách muốn nghe đờn ca tài tử có thể ghé câu lạc bộ từ 19 giờ tối thứ Bảy.",
        ],
    ),
    DemoArticle(
        section="Văn hóa – Thể thao",
        title="Đội bóng đá Phù Sa thắng ngược 2-1 trên sân nhà, vươn lên dẫn đầu bảng hạng Nhì",
        sapo="Bị dẫn bàn ngay phút thứ 9, đội chủ nhà lội ngược dòng nhờ hai bàn thắng trong "
        "mười phút cuối trước sự cổ vũ của gần 8.000 khán giả.",
        authors=("Phạm Minh Đức",),
        location="TP. Phù Sa",
        hours_ago=33,
        cover_caption="Sân vận động tỉnh trong trận đấu tối qua (ảnh minh họa).",
        tags=("Bóng đá", "Thể thao"),
        body=[
            "Đội khách mở tỷ số từ một tình huống phản công nhanh. Phần còn lại của hiệp một, "
            "Phù Sa cầm bóng nhiều nhưng thiếu sắc bén trong những đường chuyền cuối.",
            "Bước ngoặt đến ở phút 81 khi tiền vệ Trương Văn Lộc sút xa gỡ hòa. Bốn phút sau, "
            "tiền đạo Lê Minh Khang đánh đầu ấn định chiến thắng.",
            H2("Tân binh tỏa sáng"),
            "Lê Minh Khang mới 19 tuổi, trưởng thành từ lò đào tạo trẻ của tỉnh. Đây là bàn "
            "thắng thứ tư của anh trong mùa giải.",
            Quote(
                "Huấn luyện viên Đoàn Quốc Hưng",
                "đội bóng đá Phù Sa",
                "Các cầu thủ không bỏ cuộc. Khán giả nhà hát vang cả trận, đó là động lực để "
                "các em chạy tới phút cuối.",
            ),
            "Vòng tới, Phù Sa làm khách trên sân của đội xếp thứ ba.",
        ],
    ),
    DemoArticle(
        section="Văn hóa – Thể thao",
        title="Giải việt dã Vì sức khỏe cộng đồng quy tụ gần 2.000 vận động viên phong trào "
        "chạy quanh hồ",
        sapo="Từ học sinh tiểu học đến cụ ông 78 tuổi cùng chạy quanh hồ Nguyệt, trên ba cự "
        "ly 3, 5 và 10 km.",
        authors=("Phạm Minh Đức",),
        location="TP. Phù Sa",
        hours_ago=58,
        cover_caption="Vận động viên xuất phát ở cự ly 10 km (ảnh minh họa).",
        tags=("Thể thao", "Sức khỏe"),
        body=[
            "Năm giờ sáng, cổng xuất phát bên hồ Nguyệt đã đông kín. Ban tổ chức bố trí sáu "
            "trạm nước và hai điểm sơ cứu dọc đường chạy.",
            "Toàn bộ tiền lệ phí đăng ký, hơn 180 triệu đồng, được dùng để xây cầu nông thôn "
            "cho một ấp ở huyện Đồng Lợi.",
            H2("Người chạy lớn tuổi nhất"),
            "Cụ Huỳnh Văn Bảy, 78 tuổi, hoàn thành cự ly 5 km trong 41 phút, được ban tổ chức "
            "trao giải đặc biệt.",
            Quote(
                "Cụ Huỳnh Văn Bảy",
                "người dân phường 1",
                "Sáng nào tôi cũng chạy quanh hồ. Hôm nay chạy với mấy đứa cháu, vui hơn "
                "nhận giải nhiều.",
            ),
            "Giải sẽ được tổ chức thường niên vào tháng Ba hằng năm.",
        ],
    ),
    # --- Du lịch -------------------------------------------------------------
    DemoArticle(
        section="Du lịch",
        title="Mùa nước nổi, du khách theo ghe xuồng ra đồng giăng lưới bắt cá linh cùng nông dân",
        sapo="Tour trải nghiệm mùa nước nổi ở Đồng Lợi kín chỗ mỗi cuối tuần. Du khách thức "
        "dậy từ bốn giờ sáng để theo ghe ra đồng thăm lưới.",
        authors=("Võ Hoàng Nam", "Đặng Thu Trang"),
        location="Đồng Lợi",
        hours_ago=8,
        cover_caption="Cánh đồng ngập nước mùa nước nổi (ảnh minh họa).",
        tags=("Mùa nước nổi", "Du lịch sinh thái", "Đồng Lợi"),
        body=[
            "Tháng tám âm lịch, nước từ thượng nguồn tràn về mênh mông. Các hộ dân ở Đồng Lợi "
            "mở dịch vụ đưa khách ra đồng giăng lưới, hái bông điên điển.",
            "Sau buổi sáng trên ghe, du khách về nhà dân học làm bánh xèo bông điên điển, ăn "
            "cá linh kho mía.",
            H2("Du lịch giúp nông dân có thêm thu nhập"),
            "Mỗi hộ làm du lịch có thêm từ 8 đến 12 triệu đồng mỗi tháng trong mùa nước nổi, "
            "thời điểm trước đây gần như nông nhàn.",
            Figure("Du khách cùng nông dân gỡ cá linh khỏi lưới."),
            Quote(
                "Anh Nguyễn Hoàng Phong",
                "chủ một điểm du lịch cộng đồng ở ấp Đồng Lợi A",
                "Mình không cần xây gì nhiều. Khách muốn sống như người miền Tây một ngày, "
                "ăn món quê, nghe chuyện quê.",
            ),
            "Phòng Văn hóa huyện khuyến cáo du khách mặc áo phao trong suốt thời gian đi ghe.",
        ],
    ),
    DemoArticle(
        section="Du lịch",
        title="Làng hoa kiểng Bình Hòa Trung tấp nập khách tham quan, chụp ảnh dịp cuối tuần",
        sapo="Những luống cúc mâm xôi, vạn thọ nở rộ dọc bờ kênh đưa làng hoa trăm tuổi trở "
        "thành điểm hẹn của người trẻ trong và ngoài tỉnh.",
        authors=("Đặng Thu Trang",),
        location="Bình Hòa Trung",
        hours_ago=28,
        cover_caption="Luống hoa dọc bờ kênh ở làng hoa Bình Hòa Trung (ảnh minh họa).",
        tags=("Hoa kiểng", "Làng nghề", "Du lịch sinh thái"),
        body=[
            "Làng hoa có hơn 600 hộ trồng hoa, kiểng. Nét riêng của làng là những giàn hoa "
            "đặt trên liếp cao, bên dưới là mương nước.",
            "Nhiều nhà vườn mở cửa đón khách với phí 20.000 đồng một người, có chỗ gửi xe và "
            "quầy nước mát.",
            H2("Giữ vườn cho người trồng hoa"),
            "Xã khuyến cáo du khách không bước lên liếp hoa, không bẻ cành chụp ảnh, vì mỗi "
            "chậu hoa là công chăm sóc nhiều tháng của nhà vườn.",
            Quote(
                "Bà Mai Thị Kim Loan",
                "chủ vườn hoa ở ấp Bình Thạnh",
                "Khách tới đông, tôi mừng lắm. Chỉ mong mọi người đi nhẹ, nói khẽ, chụp xong "
                "mua giùm vài chậu hoa.",
            ),
            "Dịp cuối năm, làng hoa sẽ tổ chức lễ hội với đêm thả đèn hoa đăng trên kênh.",
        ],
    ),
    DemoArticle(
        section="Du lịch",
        title="Homestay miệt vườn ở Cồn Tre: ngủ nhà sàn, ăn bánh xèo, nghe đờn ca tài tử bên sông",
        sapo="Mười hai homestay ở Cồn Tre vừa được công nhận đạt chuẩn phục vụ khách du lịch, "
        "trong đó có ba điểm đón khách quốc tế thường xuyên.",
        authors=("Đặng Thu Trang",),
        location="Cồn Tre",
        hours_ago=96,
        cover_caption="Homestay nhà sàn giữa vườn dừa ở Cồn Tre (ảnh minh họa).",
        tags=("Homestay", "Du lịch sinh thái", "Đờn ca tài tử", "Cồn Tre"),
        body=[
            "Các homestay giữ nguyên vườn cây ăn trái, chỉ làm thêm nhà sàn bằng gỗ và lá "
            "dừa nước cho khách nghỉ. Buổi tối, khách ngồi bên sông nghe chủ nhà đờn ca.",
            "Giá phòng từ 350.000 đến 600.000 đồng một đêm, bao gồm bữa sáng và xe đạp đi "
            "quanh cù lao.",
            H2("Khách quốc tế ở lâu hơn"),
            "Trung bình mỗi khách quốc tế lưu lại 2,5 đêm, chi tiêu nhiều hơn khách đi tour "
            "trong ngày gần bốn lần.",
            Figure("Bữa tối với bánh xèo và rau vườn tại một homestay."),
            Quote(
                "Chị Lê Thị Bích Tuyền",
                "chủ homestay Vườn Dừa Cồn Tre",
                "Khách nước ngoài thích nhất là được theo tôi ra vườn hái rau, rồi tự tay đổ "
                "bánh xèo. Cái bánh méo mó mà ai cũng cười.",
            ),
            "Huyện đang hỗ trợ các homestay đào tạo tiếng Anh giao tiếp và kỹ năng sơ cứu.",
        ],
    ),
    # --- A draft and a scheduled article: readers must not see them yet -------
    DemoArticle(
        section="Du lịch",
        title="Tuần lễ ẩm thực sông nước cuối năm sẽ có hơn một trăm gian hàng đặc sản địa phương",
        sapo="Tuần lễ dự kiến diễn ra ở công viên bờ sông TP. Phù Sa, giới thiệu món ngon của "
        "mọi huyện trong tỉnh và các làng nghề bánh dân gian.",
        authors=("Đặng Thu Trang",),
        location="TP. Phù Sa",
        hours_ago=0,
        cover_caption="Gian hàng đặc sản (ảnh minh họa).",
        tags=("Ẩm thực", "Lễ hội", "Làng nghề"),
        draft=True,
        sent_back="Cần ghi rõ ngày khai mạc và số gian hàng đã đăng ký; "
        "ảnh minh họa thay bằng ảnh năm trước của ban tổ chức.",
        body=[
            "Dự kiến tuần lễ diễn ra ở công viên bờ sông, quy tụ các món ăn từ mọi huyện trong "
            "tỉnh.",
            H2("Các hoạt động chính"),
            "Thi nấu lẩu mắm, trình diễn làm bánh dân gian, chợ quê ban đêm.",
            Quote(
                "Ông Tạ Minh Quân",
                "Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch",
                "Kế hoạch đang được hoàn thiện, chúng tôi sẽ công bố trong tháng tới.",
            ),
        ],
    ),
    DemoArticle(
        section="Nông nghiệp",
        title="Hợp tác xã Mỹ Lộc thử nghiệm giống lúa chịu mặn trên 40 héc-ta",
        sapo="Giống lúa mới được gieo ở các ruộng gần cửa sông, nơi nước mặn lấn sâu mỗi mùa khô; "
        "kết quả vụ đầu sẽ quyết định việc nhân rộng.",
        authors=("Đặng Thu Trang",),
        location="Mỹ Lộc",
        hours_ago=2,
        cover_caption="Ruộng lúa gần cửa sông Mỹ Lộc (ảnh minh họa).",
        tags=("Lúa gạo", "Xâm nhập mặn"),
        in_review=True,
        body=[
            "Bốn mươi héc-ta ruộng gần cửa sông được hợp tác xã chọn để gieo thử giống lúa chịu "
            "mặn trong vụ đông xuân.",
            "Cán bộ khuyến nông theo dõi độ mặn mỗi tuần và hướng dẫn bà con giữ nước ngọt "
            "trong mương trước khi đóng cống.",
            H2("Chi phí và tiêu thụ"),
            "Hợp tác xã hỗ trợ một nửa tiền giống cho các hộ tham gia; một doanh nghiệp xay xát "
            "ở TP. Phù Sa đã ký bao tiêu toàn bộ sản lượng vụ đầu.",
            Quote(
                "Ông Lâm Văn Hậu",
                "Giám đốc Hợp tác xã Mỹ Lộc",
                "Nếu ruộng chịu được độ mặn bốn phần nghìn, vụ sau chúng tôi mở rộng gấp ba.",
            ),
            "Kết quả vụ đầu sẽ được báo cáo với ngành nông nghiệp tỉnh vào cuối tháng Ba.",
        ],
    ),
    DemoArticle(
        section="Thời sự",
        title="Tỉnh Phù Sa công bố điểm chuẩn tuyển sinh lớp 10 công lập, nhiều trường tăng nhẹ",
        sapo="Điểm chuẩn vào 32 trường trung học phổ thông công lập được công bố sáng nay; "
        "trường chuyên tỉnh lấy cao nhất với 41,5 điểm.",
        authors=("Huỳnh Thị Kim Thoa",),
        location="TP. Phù Sa",
        hours_ago=-20,  # scheduled for tomorrow morning
        cover_caption="Thí sinh dự thi tuyển sinh lớp 10 (ảnh minh họa).",
        tags=("Giáo dục", "Tuyển sinh"),
        body=[
            "Năm nay có hơn 15.000 thí sinh dự thi vào lớp 10 công lập, tăng 6% so với năm trước.",
            "Học sinh tra cứu điểm và kết quả trúng tuyển trên cổng thông tin của Sở Giáo dục "
            "và Đào tạo.",
            H2("Thủ tục nhập học"),
            "Thí sinh trúng tuyển nộp hồ sơ nhập học trực tuyến hoặc trực tiếp tại trường "
            "trong năm ngày làm việc.",
            Quote(
                "Ông Võ Thành Nhân",
                "Giám đốc Sở Giáo dục và Đào tạo tỉnh",
                "Các trường còn chỉ tiêu sẽ xét tuyển bổ sung, không để em nào đủ điều kiện mà "
                "không có chỗ học.",
            ),
        ],
    ),
]

# Demo comments: (article title, name, body, approved?). Kept few and polite.
COMMENTS = [
    (
        ARTICLES[0].title,
        "Nguyễn Văn Út",
        "Chờ cây cầu này mấy chục năm rồi. Mong nhà thầu làm đúng tiến độ, bà con cù lao "
        "đỡ khổ cảnh chờ phà mùa gió chướng.",
        True,
    ),
    (
        ARTICLES[0].title,
        "Trần Thị Mỹ",
        "Cho hỏi các hộ tái định cư sẽ được bố trí đất ở ấp nào? Nhà tôi nằm trong diện "
        "giải tỏa mà chưa thấy thông báo.",
        True,
    ),
    (
        ARTICLES[0].title,
        "Lê Hoàng",
        "Đề nghị làm thêm lối đi riêng cho xe đạp và người đi bộ trên cầu.",
        False,
    ),
    (
        ARTICLES[4].title,
        "Phạm Văn Tám",
        "Giá vậy là mừng rồi, nhưng phân bón cũng tăng nên lời không bao nhiêu.",
        True,
    ),
    (
        ARTICLES[4].title,
        "Ba Rạch Sen",
        "Mong tòa soạn viết thêm về giá lúa ở các huyện khác để bà con so sánh.",
        False,
    ),
    (
        ARTICLES[14].title,
        "Cô giáo Hạnh",
        "Đọc bài mà xúc động. Cảm ơn cô Sa Rin đã mang con chữ đến cho các em.",
        True,
    ),
    (
        ARTICLES[14].title,
        "Khách miền xa",
        "Có cách nào gửi sách vở ủng hộ lớp học trên ghe không ạ?",
        False,
    ),
]

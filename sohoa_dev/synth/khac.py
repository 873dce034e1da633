"""Pages that are no administrative paper at all: they must come out ``khac``.

A stack at the counter can hold anything: a newspaper page used as a wrapper, a private
letter, a shop receipt, a page torn from a novel, a neighbourhood notice. They are Vietnamese
prose, so the classifier cannot tell them apart by language — only by what they are not.
"""

from __future__ import annotations

import random

from sohoa_dev.synth.fake import fake_values
from sohoa_dev.synth.forms import Filled, render_form
from sohoa_dev.synth.layout import Sheet, random_style
from sohoa_dev.synth.templates import Template

NEWS = (
    "Theo Trung tâm Khí tượng thủy văn quốc gia, từ đêm nay đến ngày mai, khu vực {city} có "
    "mưa vừa, mưa to, có nơi mưa rất to.",
    "Nhiệt độ thấp nhất phổ biến từ 17 đến 19 độ C; vùng núi có nơi dưới 14 độ C.",
    "Vụ lúa hè thu năm nay, bà con nông dân {ward} gieo cấy hơn {num} héc-ta, năng suất ước "
    "đạt 5{small} tạ mỗi héc-ta.",
    "Giá lúa tươi tại ruộng dao động từ 6.500 đến 7.200 đồng mỗi ki-lô-gam, cao hơn cùng kỳ "
    "năm trước.",
    "Trong trận đấu tối qua, đội chủ nhà đã giành chiến thắng với tỷ số {small}-1 trước sự cổ "
    "vũ cuồng nhiệt của hàng chục nghìn khán giả.",
    "Huấn luyện viên trưởng cho biết các cầu thủ đã thi đấu với tinh thần quyết tâm cao và "
    "thực hiện đúng đấu pháp đề ra.",
    "Lễ hội năm nay thu hút hàng nghìn du khách trong và ngoài tỉnh đến tham quan, dâng hương.",
    "Nhiều hoạt động văn hóa, thể thao như đua thuyền, kéo co, hát dân ca ví, giặm được tổ "
    "chức sôi nổi.",
    "Kim ngạch xuất khẩu nông sản trong chín tháng đầu năm đạt hơn {num} triệu USD, tăng "
    "{small}% so với cùng kỳ.",
    "Các doanh nghiệp cho biết đơn hàng cuối năm tăng mạnh, nhiều nhà máy phải tuyển thêm lao "
    "động để kịp tiến độ giao hàng.",
    "Sáng nay, hơn {num} nghìn thí sinh bước vào môn thi đầu tiên của kỳ thi tốt nghiệp trung "
    "học phổ thông.",
    "Đề thi môn Ngữ văn được nhiều giáo viên đánh giá là vừa sức, có tính phân loại tốt.",
    "Lực lượng cảnh sát giao thông đã tăng cường tuần tra, kiểm soát trên các tuyến quốc lộ "
    "trọng điểm dịp cuối tuần.",
    "Ngành du lịch đón khoảng {num} nghìn lượt khách trong dịp nghỉ lễ, doanh thu ước đạt hàng "
    "trăm tỷ đồng.",
    "Các bãi biển luôn đông kín du khách từ sáng sớm đến tối muộn, nhiều khách sạn kín phòng.",
    "Người dân được khuyến cáo chủ động theo dõi thông tin thời tiết và không ra khơi khi có "
    "gió mạnh.",
    "Chương trình đã trao tặng {num} suất học bổng cho học sinh có hoàn cảnh khó khăn vượt khó "
    "học giỏi.",
    "Nhiều tuyến phố trung tâm bị ngập sâu từ 30 đến 50 cm sau trận mưa lớn kéo dài hơn hai "
    "giờ.",
    "Các chuyên gia dự báo thị trường sẽ phục hồi dần trong những tháng cuối năm nhờ nhu cầu "
    "tiêu dùng tăng trở lại.",
    "Bệnh viện đã điều trị thành công cho nhiều ca bệnh nặng nhờ ứng dụng kỹ thuật mới.",
    "Theo ban tổ chức, toàn bộ số tiền ủng hộ sẽ được dùng để xây nhà tình nghĩa cho các gia "
    "đình có hoàn cảnh khó khăn.",
    "Từ tháng tới, người dân có thể làm nhiều thủ tục như khai sinh, đổi giấy phép lái xe ngay "
    "trên điện thoại, không phải đến bộ phận một cửa.",
)
HEADLINES = ("Mưa lớn gây ngập nhiều tuyến phố trung tâm", "Xuất khẩu nông sản tăng mạnh",
             "Đội chủ nhà giành chiến thắng thuyết phục", "Hơn 20 nghìn thí sinh dự thi "
             "tốt nghiệp", "Lễ hội truyền thống thu hút hàng nghìn du khách",
             "Du lịch biển đón lượng khách kỷ lục dịp nghỉ lễ", "Nông dân phấn khởi vì được "
             "mùa, được giá", "Người dân làm thủ tục hành chính trên điện thoại")
PAPERS = ("BÁO SÔNG LAM", "TIN TỨC MIỀN TRUNG", "NHỊP SỐNG HÀ THÀNH", "THỜI BÁO KINH TẾ",
          "ĐỜI SỐNG VÀ XÃ HỘI")
SECTIONS = ("XÃ HỘI", "KINH TẾ", "THỂ THAO", "VĂN HÓA", "GIÁO DỤC", "THỜI SỰ")
LETTER = (
    "Đã lâu rồi con chưa viết thư về nhà, không biết dạo này bố mẹ có khỏe không?",
    "Ở đây mọi việc đều ổn, công việc của con tuy bận rộn nhưng con vẫn giữ gìn sức khỏe.",
    "Mấy hôm nay trời trở lạnh, mẹ nhớ mặc ấm khi ra đồng nhé.",
    "Tết này con sẽ cố gắng xin nghỉ sớm để về quê sum họp cùng gia đình.",
    "Em {given} đã thi xong học kỳ chưa hả mẹ? Con mong em học hành chăm chỉ.",
    "Con gửi kèm theo thư ít tiền để bố mẹ sửa lại mái bếp trước mùa mưa.",
    "Hôm trước con gặp lại thằng {given}, bạn học cũ, giờ nó đã có vợ con đề huề.",
    "Con nhớ món canh cua và cà pháo của mẹ lắm, ở đây chẳng ai nấu được như thế.",
    "Chủ nhật vừa rồi con đi chợ, thấy người ta bán bưởi mà lại nhớ vườn nhà mình.",
    "Bố đừng làm việc nặng nữa, có gì cứ để chú {given} bên cạnh giúp một tay.",
)
NOVEL = (
    "Buổi chiều ấy, nắng vàng trải dài trên con đường làng quen thuộc.",
    "Gió từ cánh đồng thổi về mang theo mùi rơm rạ mới.",
    "Bà cụ ngồi bên bậc cửa, đôi mắt nhìn xa xăm như đang chờ đợi ai đó.",
    "Thằng bé chạy ùa vào nhà, tay còn cầm chiếc diều giấy rách một góc.",
    "– Mẹ ơi, mai con lại đi thả diều nữa nhé! – nó reo lên.",
    "Tiếng chuông chùa ngân nga vọng lại từ phía bên kia sông.",
    "Chị {given} lặng lẽ thu dọn mấy chiếc thúng, lòng nặng trĩu những lo toan.",
    "Mùa nước nổi năm ấy, cả xóm phải dọn lên gò cao tránh lũ.",
    "Anh đứng lặng hồi lâu trước cánh cổng cũ, nơi mười năm trước anh đã ra đi.",
    "Những giọt mưa đầu mùa rơi lộp độp trên mái tôn.",
    "Ông giáo già khẽ thở dài, gấp cuốn sách lại rồi tắt đèn.",
    "Đêm ấy, trăng sáng vằng vặc, soi rõ từng khóm tre đầu ngõ.",
    "Cô bước đi thật chậm, như muốn níu giữ từng khoảnh khắc cuối cùng.",
    "Con đò nhỏ chòng chành giữa dòng, người lái đò vẫn bình thản cất câu hò.",
    "Chẳng ai ngờ rằng chỉ vài năm sau, mảnh đất nghèo ấy lại đổi thay đến thế.",
)
BOOKS = ("Mùa nước nổi", "Bến đò xưa", "Ngõ nhỏ ngày mưa", "Cánh diều tuổi thơ", "Quê mẹ")
GOODS = (("Gạo ST25 túi 5kg", 185), ("Dầu ăn 1 lít", 52), ("Nước mắm 750ml", 38),
         ("Sữa tươi không đường 1L", 32), ("Trứng gà hộp 10 quả", 35), ("Mì gói thùng 30 gói",
                                                                         115),
         ("Bột giặt 3kg", 165), ("Nước rửa chén", 28), ("Bánh quy hộp", 45),
         ("Cà phê hòa tan hộp", 55), ("Đường trắng 1kg", 24), ("Rau cải xanh", 15),
         ("Thịt ba chỉ 500g", 75))
NOTICE = Template(
    code="khac",
    titles=("THÔNG BÁO", "THÔNG BÁO\nVề việc tổng vệ sinh môi trường"),
    header="national",
    body=(
        "Thực hiện kế hoạch của Ủy ban nhân dân {ward} về việc ra quân tổng vệ sinh môi trường, "
        "Ban điều hành tổ dân phố số {small} thông báo đến toàn thể các hộ gia đình như sau:",
        "Thời gian: từ 6 giờ 30 phút sáng Chủ nhật, ngày {date}.",
        "Địa điểm: các tuyến đường, ngõ xóm thuộc địa bàn tổ dân phố.",
        "Nội dung: thu gom rác thải, phát quang bụi rậm, khơi thông cống rãnh.",
        "Đề nghị mỗi hộ gia đình cử ít nhất một người tham gia, mang theo chổi, cuốc, xẻng.",
        "Ban điều hành rất mong nhận được sự hưởng ứng của bà con.",
    ),
    sign=("TM. BAN ĐIỀU HÀNH\nTỔ TRƯỞNG",),
)
KINDS = ("news", "news", "letter", "receipt", "novel", "notice")


def render_khac(rng: random.Random, dpi: int, pages: int, kind: str | None = None
                ) -> list[Filled]:
    """``pages`` pages of one non-administrative paper of ``kind`` (random when None)."""
    kind = kind or rng.choice(KINDS)
    if kind == "notice":
        filled = render_form(NOTICE, rng, dpi, pages)
    else:
        v = fake_values(rng)
        make = {"news": news, "letter": letter, "receipt": receipt, "novel": novel}[kind]
        filled = [Filled(make(rng, v, dpi, k), k == 0) for k in range(pages)]
    for page in filled:
        page.kind = kind
    return filled


def _prose(rng: random.Random, pool: tuple[str, ...], v: dict[str, str], n: int) -> str:
    return " ".join(rng.choice(pool).format(given=rng.choice(("Lan", "Hùng", "Mai")), **v)
                    for _ in range(n))


def news(rng: random.Random, v: dict[str, str], dpi: int, k: int) -> Sheet:
    """A newspaper page: masthead, headline, lead, body in one to three columns."""
    sheet = Sheet(random_style(rng, dpi, sans_share=0.5))
    sheet.line(rng.choice(PAPERS), sheet.font(2.2, bold=True), "center")
    sheet.line(f"{rng.choice(SECTIONS)}  •  Thứ {rng.randint(2, 7)}, ngày {v['date']}  •  Số "
               f"{v['num']}", sheet.font(0.8), "center")
    sheet.rule(sheet.width, (sheet.left + sheet.right) / 2, width=3)
    sheet.gap(0.4)
    sheet.paragraph(rng.choice(HEADLINES).upper() if rng.random() < 0.4
                    else rng.choice(HEADLINES), sheet.font(1.9, bold=True))
    sheet.gap(0.3)
    sheet.paragraph(_prose(rng, NEWS, v, 2), sheet.font(1.0, bold=True))
    columns = rng.choice((1, 2, 2, 3))
    gutter = sheet.px(0.25)
    width = (sheet.width - gutter * (columns - 1)) // columns
    top = sheet.y + sheet.px(0.15)
    body = sheet.font(0.85)
    for c in range(columns):
        sheet.y = top
        x0 = sheet.left + c * (width + gutter)
        while sheet.room() > sheet.advance(body) * 6:
            sheet.paragraph(_prose(rng, NEWS, v, rng.randint(2, 4)), body, indent=sheet.px(0.2),
                            span=(x0, x0 + width))
    return sheet


def letter(rng: random.Random, v: dict[str, str], dpi: int, k: int) -> Sheet:
    """A private letter: place and date, greeting, news from home, a fond closing."""
    sheet = Sheet(random_style(rng, dpi, sans_share=0.5))
    sheet.line(f"{v['city']}, ngày {v['day']} tháng {v['month']} năm {v['y']}",
               sheet.font(italic=True), "right")
    sheet.gap(0.8)
    if k == 0:
        sheet.line(rng.choice(("Bố mẹ kính yêu!", "Mẹ kính yêu!", "Anh Nam thân mến!")),
                   sheet.font(1.1, bold=True))
    for _ in range(rng.randint(4, 7)):
        sheet.paragraph(_prose(rng, LETTER, v, rng.randint(2, 3)), sheet.font(),
                        indent=sheet.px(0.4))
        if sheet.room() < sheet.px(2.0):
            break
    sheet.gap(1)
    for text in ("Thôi, thư đã dài, con xin dừng bút tại đây.", "Con của bố mẹ", v["name"]):
        sheet.line(text, sheet.font(italic=text != v["name"]), "right")
    return sheet


def receipt(rng: random.Random, v: dict[str, str], dpi: int, k: int) -> Sheet:
    """A till receipt copied onto A4: a narrow strip of shop name, items and total."""
    style = random_style(rng, dpi)
    sheet = Sheet(style)
    strip = round(dpi * rng.uniform(3.0, 3.8))
    sheet.left = rng.randint(sheet.left, sheet.right - strip)
    sheet.right = sheet.left + strip
    sheet.y += sheet.px(rng.uniform(0.3, 2.0))
    for text, scale, bold in ((f"{rng.choice(('SIÊU THỊ MINI', 'CỬA HÀNG TẠP HÓA'))} "
                               f"{v['BRAND']}", 1.0, True), (v["company_address"], 0.75, False),
                              (f"ĐT: {v['phone']}", 0.75, False),
                              (rng.choice(("HÓA ĐƠN BÁN LẺ", "PHIẾU THANH TOÁN",
                                           "PHIẾU TÍNH TIỀN")), 1.1, True)):
        sheet.paragraph(text, sheet.font(scale, bold=bold), align="center")
    small = sheet.font(0.75)
    sheet.line(f"Số: {v['num']}   Ngày: {v['date']} {v['hour']}:{v['minute']}", small)
    total = 0
    for name, price in rng.sample(GOODS, k=rng.randint(4, 9)):
        qty = rng.randint(1, 3)
        total += qty * price
        sheet.line(name, small)
        sheet.line(f"{qty} x {price}.000 = {qty * price}.000", small, "right")
    for text in (f"Tổng cộng: {total}.000 đ", f"Tiền khách đưa: {total + 50}.000 đ",
                 "Tiền thối lại: 50.000 đ", "Cảm ơn quý khách! Hẹn gặp lại!"):
        sheet.line(text, sheet.font(0.8, bold=text.startswith("Tổng")), "center")
    return sheet


def novel(rng: random.Random, v: dict[str, str], dpi: int, k: int) -> Sheet:
    """A page of a novel: running head, sometimes a chapter opening, prose, a folio."""
    sheet = Sheet(random_style(rng, dpi, sans_share=0.1))
    sheet.line(rng.choice(BOOKS), sheet.font(0.85, italic=True), "center")
    sheet.gap(0.6)
    if k == 0 and rng.random() < 0.4:
        sheet.line(f"Chương {rng.randint(2, 19)}", sheet.font(1.4, bold=True), "center")
        sheet.gap(0.5)
    while sheet.room() > sheet.advance(sheet.font()) * 5:
        sheet.paragraph(_prose(rng, NOVEL, v, rng.randint(2, 5)), sheet.font(),
                        indent=sheet.px(0.35))
    sheet.y = sheet.bottom + sheet.px(0.1)
    sheet.line(str(rng.randint(12, 280)), sheet.font(0.85), "center")
    return sheet

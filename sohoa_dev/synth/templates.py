"""Per-type wording of the synthetic administrative papers, as data.

Each :class:`Template` lists what varies between real copies of one document type: title
wordings, form numbers, the header, the addressee, the labelled fields and paragraphs of the
first page (``body``) and the material that continues on further pages (``more``).

Markup of a body line (see :func:`sohoa_dev.synth.forms.parse`):
``# x`` bold heading, ``## x`` centred bold heading, ``~ x`` italic, ``> x`` right-aligned
italic, ``| a | b`` table rows (one per text line), ``? x`` optional (half of the copies),
``[[a|b]]`` one of the wordings, ``{key}`` fake data (:func:`sohoa_dev.synth.fake.fake_values`),
``{n}`` the next article number.
"""

from __future__ import annotations

from dataclasses import dataclass

SIGN_NOTE = ("(Ký, ghi rõ họ tên)", "(Ký và ghi rõ họ tên)", "(Ký, ghi rõ họ, chữ đệm, tên)")
DATE_LINE = "{city}, ngày {day} tháng {month} năm {y}"
PLEDGE = ("Tôi xin cam đoan những nội dung kê khai trên là đúng sự thật và chịu trách nhiệm "
          "trước pháp luật về lời khai của mình.")


@dataclass(frozen=True)
class Template:
    """How one document type is worded; every tuple is a set of alternatives."""

    code: str
    titles: tuple[str, ...]
    subtitles: tuple[str, ...] = ("",)
    forms: tuple[str, ...] = ("",)
    """Form numbers printed at the top ("" = none)."""

    header: str = "national"
    """"national" (motto centred), "agency" (issuing agency left, motto right), "none"."""

    agencies: tuple[tuple[str, ...], ...] = ()
    number: str = ""
    """Document number under the agency name, e.g. "Số: {num}/GCS"."""

    to: tuple[str, ...] = ("",)
    """"Kính gửi" lines ("" = none)."""

    body: tuple[str, ...] = ()
    more: tuple[str, ...] = ()
    """Continuation material for further pages, used in order (cycled). Without it, a form
    asked for on several pages has its body split between them."""

    pages: tuple[int, int] = (1, 1)
    sign: tuple[str, ...] = ("NGƯỜI KHAI",)
    """Signature captions; "A|B" gives two signers side by side."""

    signer: str = "{name}"
    seal: bool = False
    dated: bool = True
    """A "<city>, ngày ... tháng ... năm ..." line above the signature (False: under the
    motto, for an agency header, or nowhere)."""


TO_KHAI_KHAI_SINH = Template(
    code="to_khai_khai_sinh",
    titles=("TỜ KHAI ĐĂNG KÝ KHAI SINH", "TỜ KHAI ĐĂNG KÝ KHAI SINH",
            "TỜ KHAI ĐĂNG KÝ KHAI SINH,\nĐĂNG KÝ NHẬN CHA, MẸ, CON"),
    subtitles=("", "", "(Dùng cho trường hợp đăng ký khai sinh lưu động)",
               "(Dùng cho việc đăng ký khai sinh đúng hạn)"),
    forms=("Mẫu TP/HT-2020-KS.1", "Mẫu TP/HT-2020-TKKS", "", "Mẫu số 01/HT"),
    to=("Kính gửi: Ủy ban nhân dân {ward}, {province}",
        "Kính gửi: (1) UBND {ward}"),
    body=(
        "Họ, chữ đệm, tên người yêu cầu: {NAME}",
        "Nơi cư trú: {residence}",
        "Giấy tờ tùy thân: Căn cước công dân số {id12}, cấp ngày {issued}",
        "Quan hệ với người được khai sinh: [[cha đẻ|mẹ đẻ|ông nội|bà ngoại]]",
        "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
        "Họ, chữ đệm, tên: {CHILD}",
        "Ngày, tháng, năm sinh: {child_birth}",
        "Giới tính: {child_sex}    Dân tộc: Kinh    Quốc tịch: Việt Nam",
        "Nơi sinh: {hospital}, {province}",
        "Quê quán: {origin}",
        "Họ, chữ đệm, tên người mẹ: {mother}    Năm sinh: {mother_year}",
        "Dân tộc: Kinh    Quốc tịch: Việt Nam    Nơi cư trú: {residence}",
        "Họ, chữ đệm, tên người cha: {NAME}    Năm sinh: {year}",
        "? Đề nghị cấp bản sao trích lục khai sinh: Có, số lượng: 0{small} bản",
        "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, được sự "
        "thỏa thuận nhất trí của các bên liên quan theo quy định pháp luật.",
        "Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.",
    ),
    sign=("NGƯỜI YÊU CẦU",),
)

GIAY_CHUNG_SINH = Template(
    code="giay_chung_sinh",
    titles=("GIẤY CHỨNG SINH", "GIẤY CHỨNG SINH"),
    subtitles=("", "(Bản chính)", "(Dùng cho trẻ sinh ra tại cơ sở khám bệnh, chữa bệnh)"),
    header="agency",
    agencies=(("SỞ Y TẾ {CITY}", "{HOSPITAL}"), ("BỘ Y TẾ", "{HOSPITAL}"),
              ("UBND {PROVINCE}", "SỞ Y TẾ", "{HOSPITAL}")),
    number="Số: {num}/GCS",
    body=(
        "? Quyển số: 0{small}/{y}",
        "Họ và tên mẹ / người nuôi dưỡng: {mother}",
        "Năm sinh: {mother_year}    Dân tộc: Kinh",
        "Nơi đăng ký thường trú: {residence}",
        "Số định danh cá nhân / Căn cước: {mother_id}",
        "Đã sinh con vào lúc: {hour} giờ {minute} phút, ngày {child_birth}",
        "Tại: {hospital}, {province}",
        "Số lần sinh: 0{small}    Số con hiện sống: 0{small}",
        "Số con trong lần sinh này: 01",
        "Giới tính của con: {child_sex}    Cân nặng: {weight} gam",
        "Dự định đặt tên con là: {CHILD}",
        "? Ghi chú: trẻ sinh đủ tháng, sức khỏe bình thường.",
    ),
    sign=("NGƯỜI ĐỠ ĐẺ|THỦ TRƯỞNG CƠ SỞ KHÁM BỆNH, CHỮA BỆNH",
          "NGƯỜI ĐỠ ĐẺ|GIÁM ĐỐC"),
    signer="{b_name}|{name}",
    seal=True,
)

VAN_BAN_CAM_DOAN_VIEC_SINH = Template(
    code="van_ban_cam_doan_viec_sinh",
    titles=("VĂN BẢN CAM ĐOAN VỀ VIỆC SINH", "GIẤY CAM ĐOAN VỀ VIỆC SINH",
            "VĂN BẢN XÁC NHẬN CỦA NGƯỜI LÀM CHỨNG\nVỀ VIỆC SINH",
            "GIẤY XÁC NHẬN CỦA NGƯỜI LÀM CHỨNG"),
    subtitles=("", "", "(Dùng trong trường hợp không có giấy chứng sinh)"),
    to=("Kính gửi: Ủy ban nhân dân {ward}", ""),
    body=(
        "Tôi là: {NAME}    Sinh ngày: {birth}",
        "Giấy tờ tùy thân: Căn cước số {id12}",
        "Nơi cư trú: {residence}",
        "Quan hệ với trẻ: [[người làm chứng|hàng xóm|bà đỡ|người thân trong gia đình]]",
        "Tôi xin [[cam đoan|làm chứng]] về việc sinh của cháu {CHILD} như sau:",
        "Cháu được sinh ra vào ngày {child_birth}, lúc {hour} giờ {minute} phút, tại nhà riêng "
        "ở {residence}.",
        "Họ, chữ đệm, tên người mẹ: {mother}, năm sinh {mother_year}.",
        "Lý do không có giấy chứng sinh: [[sinh tại nhà, không có nhân viên y tế hỗ trợ|trẻ "
        "bị bỏ rơi được phát hiện và nuôi dưỡng|sinh trên đường đến cơ sở y tế]].",
        "Tôi xin cam đoan những nội dung trên là đúng sự thật, nếu sai tôi hoàn toàn chịu "
        "trách nhiệm trước pháp luật.",
    ),
    sign=("NGƯỜI CAM ĐOAN", "NGƯỜI LÀM CHỨNG", "NGƯỜI VIẾT CAM ĐOAN"),
)

GIAY_DE_NGHI_DK_HO_KINH_DOANH = Template(
    code="giay_de_nghi_dk_ho_kinh_doanh",
    titles=("GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH", "GIẤY ĐỀ NGHỊ\nĐĂNG KÝ HỘ KINH DOANH"),
    forms=("Phụ lục III-1", "Mẫu số 01", ""),
    subtitles=("", "(Ban hành kèm theo Thông tư số 02/2023/TT-BKHĐT)"),
    to=("Kính gửi: Phòng Tài chính - Kế hoạch {ward}",
        "Kính gửi: Ủy ban nhân dân {ward}, {province}"),
    body=(
        "Tôi là (ghi họ tên bằng chữ in hoa): {NAME}",
        "Giới tính: {sex}    Sinh ngày: {birth}    Dân tộc: Kinh    Quốc tịch: Việt Nam",
        "Số định danh cá nhân: {id12}",
        "Địa chỉ thường trú: {residence}",
        "Điện thoại: {phone}    Thư điện tử: {email}@gmail.com",
        "Đăng ký hộ kinh doanh do tôi là chủ hộ với các nội dung sau:",
        "1. Tên hộ kinh doanh (ghi bằng chữ in hoa): HỘ KINH DOANH {BRAND}",
        "2. Địa chỉ trụ sở hộ kinh doanh: {company_address}",
        "3. Ngành, nghề kinh doanh: {trade} (mã ngành {trade_code})",
        "4. Vốn kinh doanh: {capital} đồng (bằng chữ: {capital_words} đồng)",
        "5. Số lượng lao động: {workers} người",
        "? 6. Thông tin đăng ký thuế: ngày bắt đầu hoạt động {date}; phương pháp tính thuế "
        "theo phương pháp khoán.",
        "Tôi cam kết: bản thân không thuộc diện pháp luật cấm kinh doanh; không đồng thời là "
        "chủ hộ kinh doanh khác; chịu trách nhiệm trước pháp luật về tính hợp pháp, chính xác "
        "và trung thực của nội dung đăng ký trên.",
    ),
    pages=(1, 2),
    sign=("CHỦ HỘ KINH DOANH", "NGƯỜI ĐỀ NGHỊ"),
)

BIEN_BAN_HOP_THANH_VIEN_HO = Template(
    code="bien_ban_hop_thanh_vien_ho",
    titles=("BIÊN BẢN HỌP THÀNH VIÊN HỘ GIA ĐÌNH", "BIÊN BẢN HỌP\nTHÀNH VIÊN HỘ GIA ĐÌNH",
            "BIÊN BẢN HỌP CÁC THÀNH VIÊN HỘ GIA ĐÌNH"),
    subtitles=("(V/v thành lập hộ kinh doanh)",
               "(Về việc cử cá nhân làm chủ hộ kinh doanh)", ""),
    body=(
        "Hôm nay, vào lúc {hour} giờ, ngày {date}, tại {residence}, chúng tôi gồm các thành "
        "viên hộ gia đình:",
        "1. {ong_ba}: {NAME}, sinh ngày {birth}, số định danh cá nhân {id12}",
        "2. {b_ong_ba}: {b_NAME}, sinh ngày {b_birth}, số định danh cá nhân {b_id12}",
        "Cùng nhau họp và thống nhất các nội dung sau:",
        "Thống nhất thành lập hộ kinh doanh với tên gọi HỘ KINH DOANH {BRAND}, địa chỉ "
        "{company_address}, ngành nghề {trade}.",
        "Thống nhất cử {ong_ba} {name} làm chủ hộ kinh doanh, đại diện cho hộ gia đình thực "
        "hiện các quyền và nghĩa vụ của hộ kinh doanh.",
        "Vốn kinh doanh do các thành viên cùng đóng góp: {capital} đồng.",
        "? Lợi nhuận và rủi ro được phân chia theo tỷ lệ vốn góp của từng thành viên.",
        "Cuộc họp kết thúc vào lúc {small} giờ cùng ngày. Biên bản được lập thành 02 bản, các "
        "thành viên đã đọc lại, nhất trí và cùng ký tên dưới đây.",
    ),
    pages=(1, 2),
    sign=("CHỦ HỘ|THÀNH VIÊN", "CÁC THÀNH VIÊN HỘ GIA ĐÌNH|THƯ KÝ"),
    signer="{name}|{b_name}",
)

VAN_BAN_UY_QUYEN = Template(
    code="van_ban_uy_quyen",
    titles=("GIẤY ỦY QUYỀN", "VĂN BẢN ỦY QUYỀN", "HỢP ĐỒNG ỦY QUYỀN", "GIẤY ỦY QUYỀN"),
    subtitles=("", "", "(V/v nộp hồ sơ và nhận kết quả thủ tục hành chính)"),
    body=(
        "? Căn cứ Bộ luật Dân sự số 91/2015/QH13 ngày 24/11/2015;",
        "Hôm nay, ngày {date}, tại {city}, chúng tôi gồm:",
        "# BÊN ỦY QUYỀN (Bên A):",
        "{ong_ba}: {NAME}    Sinh ngày: {birth}",
        "Căn cước số: {id12}    Cấp ngày: {issued}",
        "Nơi cư trú: {residence}",
        "# BÊN ĐƯỢC ỦY QUYỀN (Bên B):",
        "{b_ong_ba}: {b_NAME}    Sinh ngày: {b_birth}",
        "Căn cước số: {b_id12}",
        "Nơi cư trú: {b_residence}",
        "# NỘI DUNG ỦY QUYỀN:",
        "Bên B được thay mặt Bên A [[nộp hồ sơ, bổ sung hồ sơ và nhận kết quả|liên hệ cơ quan "
        "có thẩm quyền để thực hiện thủ tục]] tại Trung tâm Phục vụ hành chính công {province}.",
        "# THỜI HẠN ỦY QUYỀN:",
        "Kể từ ngày ký cho đến khi hoàn thành công việc được ủy quyền.",
        "Bên B có trách nhiệm thực hiện đúng nội dung được ủy quyền và không được ủy quyền "
        "lại cho người khác.",
    ),
    more=(
        "# ĐIỀU KHOẢN CHUNG",
        "Hai bên cam kết những thông tin nêu trên là đúng sự thật và chịu trách nhiệm trước "
        "pháp luật về việc ủy quyền này.",
        "Mọi tranh chấp phát sinh giữa bên ủy quyền và bên được ủy quyền sẽ do hai bên tự giải "
        "quyết; trường hợp không thỏa thuận được thì đưa ra Tòa án có thẩm quyền.",
        "Văn bản này được lập thành 03 bản có giá trị pháp lý như nhau, mỗi bên giữ 01 bản, "
        "01 bản nộp kèm hồ sơ.",
        "? # LỜI CHỨNG CỦA CÔNG CHỨNG VIÊN",
        "? Công chứng viên chứng nhận các bên đã tự nguyện giao kết, có năng lực hành vi dân sự "
        "và đã ký vào văn bản này trước mặt công chứng viên.",
    ),
    pages=(1, 2),
    sign=("BÊN ỦY QUYỀN|BÊN ĐƯỢC ỦY QUYỀN", "NGƯỜI ỦY QUYỀN|NGƯỜI ĐƯỢC ỦY QUYỀN"),
    signer="{name}|{b_name}",
)

GIAY_DE_NGHI_DK_DOANH_NGHIEP = Template(
    code="giay_de_nghi_dk_doanh_nghiep",
    titles=("GIẤY ĐỀ NGHỊ ĐĂNG KÝ DOANH NGHIỆP", "GIẤY ĐỀ NGHỊ\nĐĂNG KÝ DOANH NGHIỆP"),
    subtitles=("CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN",
               "(Công ty trách nhiệm hữu hạn một thành viên)"),
    forms=("Phụ lục I-2", "Mẫu số 02", ""),
    to=("Kính gửi: Phòng Đăng ký kinh doanh - Sở Tài chính {province}",
        "Kính gửi: Phòng Đăng ký kinh doanh {province}"),
    body=(
        "Tôi là (ghi họ tên bằng chữ in hoa): {NAME}",
        "Là người đại diện theo pháp luật của công ty.",
        "Đăng ký công ty trách nhiệm hữu hạn một thành viên do tôi là người đại diện theo "
        "pháp luật với các nội dung sau:",
        "1. Tình trạng thành lập: Thành lập mới",
        "2. Tên công ty viết bằng tiếng Việt: {company}",
        "Tên công ty viết bằng tiếng nước ngoài: {company_short}",
        "3. Địa chỉ trụ sở chính: {company_address}",
        "Điện thoại: {phone}    Thư điện tử: {email}@gmail.com",
        "4. Ngành, nghề kinh doanh:",
        "| STT | Tên ngành | Mã ngành | Ngành chính\n| 1 | {trade} | {trade_code} | x\n"
        "| 2 | Bán lẻ khác trong các cửa hàng kinh doanh tổng hợp | 4719 |",
        "5. Vốn điều lệ: {capital} đồng (bằng chữ: {capital_words} đồng)",
        "6. Nguồn vốn điều lệ: vốn tư nhân 100%",
    ),
    more=(
        "7. Thông tin về chủ sở hữu:",
        "Họ và tên: {NAME}    Giới tính: {sex}    Sinh ngày: {birth}",
        "Số định danh cá nhân: {id12}    Địa chỉ liên lạc: {residence}",
        "8. Người đại diện theo pháp luật: {NAME}, chức danh: Giám đốc",
        "9. Thông tin đăng ký thuế: Giám đốc/Tổng giám đốc: {NAME}; Kế toán trưởng: {b_name}",
        "Địa chỉ nhận thông báo thuế: {company_address}",
        "Ngày bắt đầu hoạt động: {date}    Hình thức hạch toán: hạch toán độc lập",
        "Năm tài chính: áp dụng từ ngày 01/01 đến ngày 31/12",
        "Phương pháp tính thuế giá trị gia tăng: khấu trừ",
        "10. Đăng ký sử dụng hóa đơn: tự in hóa đơn / đặt in hóa đơn",
        "Tôi cam kết: trụ sở chính thuộc quyền sở hữu hoặc quyền sử dụng hợp pháp của công ty; "
        "chịu trách nhiệm trước pháp luật về tính hợp pháp, chính xác, trung thực của nội "
        "dung đăng ký doanh nghiệp trên.",
    ),
    pages=(1, 3),
    sign=("NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT CỦA CÔNG TY", "CHỦ SỞ HỮU CÔNG TY"),
)

DIEU_LE_CONG_TY = Template(
    code="dieu_le_cong_ty",
    titles=("ĐIỀU LỆ\n{company}", "ĐIỀU LỆ CÔNG TY", "ĐIỀU LỆ\nCÔNG TY TRÁCH NHIỆM HỮU HẠN "
            "MỘT THÀNH VIÊN"),
    subtitles=("", "({company})", "(Được thông qua ngày {date})"),
    body=(
        "Căn cứ Luật Doanh nghiệp số 59/2020/QH14 ngày 17 tháng 6 năm 2020;",
        "? Căn cứ các văn bản hướng dẫn thi hành Luật Doanh nghiệp;",
        "Chủ sở hữu công ty thông qua Điều lệ này với các điều khoản sau đây:",
        "## CHƯƠNG I. QUY ĐỊNH CHUNG",
        "# Điều {n}. Tên công ty",
        "Tên công ty viết bằng tiếng Việt: {company}. Tên viết tắt: {company_short}.",
        "# Điều {n}. Trụ sở chính",
        "Địa chỉ trụ sở chính của công ty: {company_address}. Điện thoại: {phone}.",
        "# Điều {n}. Ngành, nghề kinh doanh",
        "Công ty kinh doanh các ngành nghề: {trade} (mã {trade_code}) và các ngành nghề khác "
        "mà pháp luật không cấm.",
    ),
    more=(
        "# Điều {n}. Vốn điều lệ",
        "Vốn điều lệ của công ty là {capital} đồng (bằng chữ: {capital_words} đồng), do chủ sở "
        "hữu góp đủ trong thời hạn 90 ngày kể từ ngày được cấp Giấy chứng nhận đăng ký doanh "
        "nghiệp.",
        "# Điều {n}. Chủ sở hữu công ty",
        "Chủ sở hữu công ty là {ong_ba} {NAME}, sinh ngày {birth}, số định danh cá nhân {id12}, "
        "nơi cư trú {residence}.",
        "# Điều {n}. Quyền của chủ sở hữu công ty",
        "Quyết định nội dung Điều lệ công ty, sửa đổi, bổ sung Điều lệ công ty; quyết định đầu "
        "tư, kinh doanh và quản trị nội bộ doanh nghiệp; quyết định tăng vốn điều lệ; chuyển "
        "nhượng một phần hoặc toàn bộ vốn điều lệ cho tổ chức, cá nhân khác.",
        "# Điều {n}. Nghĩa vụ của chủ sở hữu công ty",
        "Góp đầy đủ và đúng hạn vốn điều lệ công ty; tuân thủ Điều lệ công ty; xác định và tách "
        "biệt tài sản của chủ sở hữu công ty với tài sản của công ty.",
        "## CHƯƠNG II. TỔ CHỨC QUẢN LÝ CÔNG TY",
        "# Điều {n}. Cơ cấu tổ chức quản lý",
        "Công ty tổ chức quản lý và hoạt động theo mô hình Chủ tịch công ty, Giám đốc và Kiểm "
        "soát viên.",
        "# Điều {n}. Chủ tịch công ty",
        "Chủ tịch công ty nhân danh chủ sở hữu công ty thực hiện các quyền và nghĩa vụ của chủ "
        "sở hữu; có quyền nhân danh công ty thực hiện các quyền và nghĩa vụ của công ty.",
        "# Điều {n}. Giám đốc",
        "Giám đốc do Chủ tịch công ty bổ nhiệm hoặc thuê với nhiệm kỳ không quá 05 năm, điều "
        "hành các hoạt động kinh doanh hằng ngày của công ty và chịu trách nhiệm trước Chủ tịch "
        "công ty về việc thực hiện quyền và nghĩa vụ của mình.",
        "# Điều {n}. Người đại diện theo pháp luật",
        "Người đại diện theo pháp luật của công ty là Giám đốc. Công ty phải bảo đảm luôn có ít "
        "nhất một người đại diện theo pháp luật cư trú tại Việt Nam.",
        "# Điều {n}. Kiểm soát viên",
        "Kiểm soát viên kiểm tra tính hợp pháp, trung thực, cẩn trọng của Chủ tịch công ty và "
        "Giám đốc trong tổ chức thực hiện quyền chủ sở hữu và quản lý điều hành công việc kinh "
        "doanh của công ty.",
        "# Điều {n}. Quyền của công ty",
        "Tự do kinh doanh ngành, nghề mà luật không cấm; tự chủ kinh doanh và lựa chọn hình "
        "thức tổ chức kinh doanh; chủ động lựa chọn ngành, địa bàn, hình thức kinh doanh; lựa "
        "chọn hình thức, phương thức huy động, phân bổ và sử dụng vốn.",
        "# Điều {n}. Nghĩa vụ của công ty",
        "Đáp ứng đủ điều kiện đầu tư kinh doanh khi kinh doanh ngành, nghề đầu tư kinh doanh có "
        "điều kiện; tổ chức công tác kế toán, lập và nộp báo cáo tài chính trung thực, chính "
        "xác, đúng thời hạn; kê khai thuế, nộp thuế và thực hiện các nghĩa vụ tài chính khác.",
        "# Điều {n}. Con dấu của công ty",
        "Công ty quyết định loại dấu, số lượng, hình thức và nội dung dấu. Việc quản lý và lưu "
        "giữ dấu thực hiện theo quy chế do Chủ tịch công ty ban hành.",
        "# Điều {n}. Tăng, giảm vốn điều lệ",
        "Công ty tăng vốn điều lệ thông qua việc chủ sở hữu công ty góp thêm vốn hoặc huy động "
        "thêm vốn góp của người khác. Công ty giảm vốn điều lệ trong trường hợp hoàn trả một "
        "phần vốn góp cho chủ sở hữu theo quy định của Luật Doanh nghiệp.",
        "# Điều {n}. Chuyển nhượng vốn điều lệ",
        "Chủ sở hữu có quyền chuyển nhượng toàn bộ hoặc một phần vốn điều lệ cho tổ chức, cá "
        "nhân khác. Trường hợp chuyển nhượng một phần vốn điều lệ, công ty phải tổ chức quản lý "
        "theo loại hình phù hợp và đăng ký thay đổi nội dung đăng ký doanh nghiệp.",
        "# Điều {n}. Hợp đồng, giao dịch của công ty với người có liên quan",
        "Hợp đồng, giao dịch giữa công ty với chủ sở hữu, người đại diện theo pháp luật, Giám "
        "đốc và người có liên quan của họ phải được Chủ tịch công ty và Kiểm soát viên xem xét "
        "quyết định theo nguyên tắc đa số.",
        "# Điều {n}. Thù lao, tiền lương và lợi ích khác",
        "Chủ tịch công ty, Giám đốc và Kiểm soát viên được hưởng thù lao hoặc tiền lương và "
        "lợi ích khác theo kết quả và hiệu quả kinh doanh của công ty.",
        "## CHƯƠNG III. TÀI CHÍNH VÀ PHÂN CHIA LỢI NHUẬN",
        "# Điều {n}. Năm tài chính",
        "Năm tài chính của công ty bắt đầu từ ngày 01 tháng 01 và kết thúc vào ngày 31 tháng "
        "12 hằng năm.",
        "# Điều {n}. Phân chia lợi nhuận",
        "Lợi nhuận sau thuế thuộc về chủ sở hữu sau khi công ty đã hoàn thành nghĩa vụ thuế và "
        "các nghĩa vụ tài chính khác theo quy định của pháp luật.",
        "# Điều {n}. Sổ sách kế toán và báo cáo tài chính",
        "Công ty thực hiện chế độ kế toán theo quy định của pháp luật về kế toán; báo cáo tài "
        "chính năm được lập và nộp cho cơ quan thuế trong thời hạn quy định.",
        "## CHƯƠNG IV. GIẢI THỂ VÀ THANH LÝ TÀI SẢN",
        "# Điều {n}. Các trường hợp giải thể",
        "Công ty bị giải thể khi chủ sở hữu quyết định giải thể, bị thu hồi Giấy chứng nhận "
        "đăng ký doanh nghiệp hoặc trong các trường hợp khác theo quy định của pháp luật.",
        "# Điều {n}. Thanh lý tài sản",
        "Việc thanh lý tài sản được thực hiện sau khi công ty đã thanh toán hết các khoản nợ và "
        "nghĩa vụ tài sản khác.",
        "# Điều {n}. Giải quyết tranh chấp nội bộ",
        "Tranh chấp nội bộ công ty được giải quyết trước hết thông qua thương lượng, hòa giải; "
        "trường hợp không thành thì đưa ra Trọng tài hoặc Tòa án có thẩm quyền giải quyết.",
        "# Điều {n}. Thủ tục thông qua quyết định của chủ sở hữu",
        "Quyết định của chủ sở hữu công ty được lập thành văn bản, có chữ ký của chủ sở hữu và "
        "được lưu giữ tại trụ sở chính của công ty.",
        "## CHƯƠNG V. ĐIỀU KHOẢN THI HÀNH",
        "# Điều {n}. Hiệu lực thi hành",
        "Điều lệ này có hiệu lực kể từ ngày ký. Điều lệ được lập thành 03 bản, có giá trị như "
        "nhau, một bản lưu tại trụ sở công ty, một bản nộp tại cơ quan đăng ký kinh doanh.",
        "# Điều {n}. Sửa đổi, bổ sung Điều lệ",
        "Mọi sửa đổi, bổ sung Điều lệ này do chủ sở hữu công ty quyết định bằng văn bản và "
        "phải được thông báo cho cơ quan đăng ký kinh doanh theo quy định.",
    ),
    pages=(3, 6),
    sign=("CHỦ SỞ HỮU CÔNG TY", "CHỦ TỊCH CÔNG TY", "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT"),
)

GIAY_CHUNG_NHAN_DK_DOANH_NGHIEP = Template(
    code="giay_chung_nhan_dk_doanh_nghiep",
    titles=("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP", "GIẤY CHỨNG NHẬN\nĐĂNG KÝ DOANH NGHIỆP"),
    subtitles=("CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN",
               "CÔNG TY TRÁCH NHIỆM HỮU HẠN HAI THÀNH VIÊN TRỞ LÊN", "CÔNG TY CỔ PHẦN"),
    header="agency",
    agencies=(("SỞ TÀI CHÍNH {PROVINCE}", "PHÒNG ĐĂNG KÝ KINH DOANH"),
              ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ {PROVINCE}", "PHÒNG ĐĂNG KÝ KINH DOANH")),
    body=(
        "Mã số doanh nghiệp: {tax_code}",
        "Đăng ký lần đầu: ngày {issued}",
        "? Đăng ký thay đổi lần thứ: {small}, ngày {date}",
        "# 1. Tên công ty",
        "Tên công ty viết bằng tiếng Việt: {company}",
        "Tên công ty viết bằng tiếng nước ngoài: {company_short}",
        "# 2. Địa chỉ trụ sở chính",
        "{company_address}    Điện thoại: {phone}",
        "# 3. Vốn điều lệ",
        "Vốn điều lệ: {capital} đồng. Bằng chữ: {capital_words} đồng",
        "# 4. Thông tin về chủ sở hữu",
        "Họ và tên: {NAME}    Giới tính: {sex}    Sinh ngày: {birth}",
        "Số định danh cá nhân: {id12}",
        "# 5. Người đại diện theo pháp luật của công ty",
        "Họ và tên: {NAME}    Chức danh: Giám đốc    Địa chỉ liên lạc: {residence}",
    ),
    sign=("TRƯỞNG PHÒNG", "KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG"),
    signer="{b_name}",
    seal=True,
    dated=False,
)

TO_KHAI_LY_LICH_TU_PHAP = Template(
    code="to_khai_ly_lich_tu_phap",
    titles=("TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP",
            "TỜ KHAI\nYÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP"),
    subtitles=("(Dùng cho cá nhân có yêu cầu cấp Phiếu lý lịch tư pháp)",
               "(Dành cho cá nhân)", ""),
    forms=("Mẫu số 03/2013/TT-LLTP", "Mẫu số 01/2024/TT-LLTP", ""),
    to=("Kính gửi: Sở Tư pháp {province}", "Kính gửi: Trung tâm Lý lịch tư pháp quốc gia"),
    body=(
        "1. Họ và tên: {NAME}    2. Giới tính: {sex}",
        "3. Ngày, tháng, năm sinh: {birth}    4. Nơi sinh: {origin}",
        "5. Quốc tịch: Việt Nam    6. Dân tộc: Kinh",
        "7. Nơi thường trú: {residence}",
        "? 8. Nơi tạm trú: {b_residence}",
        "9. Giấy tờ tùy thân: Căn cước số {id12}, cấp ngày {issued}",
        "10. Họ và tên cha: {b_NAME}    11. Họ và tên mẹ: {mother}",
        "12. Điện thoại / e-mail: {phone}",
        "# QUÁ TRÌNH CƯ TRÚ CỦA BẢN THÂN (tính từ khi đủ 14 tuổi)",
        "| Từ tháng, năm đến tháng, năm | Nơi cư trú | Nghề nghiệp, nơi làm việc\n"
        "| 2010 - 2014 | {origin} | Học sinh\n| 2014 - nay | {residence} | Lao động tự do",
        "Tình trạng án tích: [[không có án tích|chưa bị kết án]]",
        "Yêu cầu cấp Phiếu lý lịch tư pháp: [[số 1|số 2]]    Số lượng Phiếu: 0{small} bản",
        "Mục đích sử dụng Phiếu: [[bổ sung hồ sơ xin việc|du học|xuất khẩu lao động]]",
        PLEDGE,
    ),
    pages=(1, 2),
    sign=("NGƯỜI KHAI", "NGƯỜI YÊU CẦU"),
)

DON_DE_NGHI_CAP_GPXD = Template(
    code="don_de_nghi_cap_gpxd",
    titles=("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
            "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\nNHÀ Ở RIÊNG LẺ",
            "ĐƠN ĐỀ NGHỊ\nCẤP GIẤY PHÉP XÂY DỰNG"),
    subtitles=("(Sử dụng cho công trình: nhà ở riêng lẻ)", "", "(Nhà ở riêng lẻ)"),
    forms=("Mẫu số 01", "Mẫu số 01 - Phụ lục II", ""),
    to=("Kính gửi: Ủy ban nhân dân {ward}", "Kính gửi: Sở Xây dựng {province}"),
    body=(
        "# 1. Thông tin về chủ đầu tư:",
        "Tên chủ đầu tư: {NAME}",
        "Địa chỉ liên hệ: {residence}",
        "Số điện thoại: {phone}",
        "# 2. Thông tin công trình:",
        "Địa điểm xây dựng: lô đất số {parcel}, tờ bản đồ số {map_sheet}, diện tích {area} m2, "
        "tại {land_address}",
        "# 3. Tổ chức, cá nhân lập thiết kế xây dựng:",
        "Tên đơn vị thiết kế: {designer}; chủ nhiệm thiết kế: {b_name}",
        "# 4. Nội dung đề nghị cấp phép:",
        "Loại công trình: nhà ở riêng lẻ    Cấp công trình: cấp III",
        "Diện tích xây dựng tầng 1: {num} m2    Tổng diện tích sàn: {floor_area} m2",
        "Chiều cao công trình: {height} m    Số tầng: {floors}",
        "# 5. Dự kiến thời gian hoàn thành công trình: {small} tháng",
        "# 6. Cam kết:",
        "Tôi xin cam kết làm theo đúng giấy phép được cấp, nếu sai tôi xin hoàn toàn chịu "
        "trách nhiệm và bị xử lý theo quy định của pháp luật.",
    ),
    pages=(1, 2),
    sign=("NGƯỜI LÀM ĐƠN", "NGƯỜI ĐỀ NGHỊ"),
)

GIAY_TO_QUYEN_SU_DUNG_DAT = Template(
    code="giay_to_quyen_su_dung_dat",
    titles=("GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở\nVÀ TÀI SẢN KHÁC GẮN LIỀN "
            "VỚI ĐẤT", "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT",
            "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT"),
    subtitles=("", "", "Số phát hành: {gcn_serial}"),
    body=(
        "# I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất",
        "{ong_ba}: {NAME}, sinh năm {year}, Căn cước số {id12}",
        "Địa chỉ thường trú: {residence}",
        "# II. Thửa đất, nhà ở và tài sản khác gắn liền với đất",
        "1. Thửa đất:",
        "a) Thửa đất số: {parcel}    Tờ bản đồ số: {map_sheet}",
        "b) Địa chỉ: {land_address}",
        "c) Diện tích: {area} m2 (bằng chữ: [[một trăm|hai trăm|ba trăm]] mét vuông)",
        "d) Hình thức sử dụng: sử dụng riêng",
        "đ) Mục đích sử dụng: [[đất ở tại đô thị|đất ở tại nông thôn|đất trồng cây lâu năm]]",
        "e) Thời hạn sử dụng: lâu dài",
        "g) Nguồn gốc sử dụng: [[Nhà nước giao đất có thu tiền sử dụng đất|nhận chuyển nhượng "
        "quyền sử dụng đất|công nhận quyền sử dụng đất]]",
        "? 2. Nhà ở: diện tích xây dựng {num} m2; số tầng {floors}; kết cấu bê tông cốt thép",
    ),
    more=(
        "# III. Sơ đồ thửa đất, nhà ở và tài sản khác gắn liền với đất",
        "~ Sơ đồ thửa đất số {parcel}, tờ bản đồ số {map_sheet}, tỷ lệ 1/500",
        "| Cạnh | Chiều dài (m) | Tiếp giáp\n| 1-2 | 5,{small}0 | Đường {b_name}\n"
        "| 2-3 | 2{small},15 | Thửa đất số 1{small}2\n| 3-4 | 5,{small}0 | Mương thoát nước\n"
        "| 4-1 | 2{small},10 | Thửa đất số {num}",
        "# IV. Những thay đổi sau khi cấp Giấy chứng nhận",
        "| Nội dung thay đổi và cơ sở pháp lý | Xác nhận của cơ quan có thẩm quyền\n"
        "| Chuyển nhượng cho {b_ong_ba} {b_name} theo hồ sơ số {num}.{small} | Ngày {date}\n"
        "|  |",
        "# Người được cấp Giấy chứng nhận không được sửa chữa, tẩy xóa hoặc bổ sung bất kỳ nội "
        "dung nào trong Giấy chứng nhận; khi bị mất hoặc hư hỏng phải khai báo ngay với cơ quan "
        "cấp Giấy.",
        "Số vào sổ cấp Giấy chứng nhận: {gcn_book}",
        "# Tài sản gắn liền với đất",
        "| Hạng mục | Diện tích xây dựng | Diện tích sàn | Kết cấu | Số tầng\n"
        "| Nhà ở | {num} m2 | {floor_area} m2 | Bê tông cốt thép | {floors}\n"
        "| Công trình phụ | 1{small} m2 | 1{small} m2 | Tường gạch, mái tôn | 1",
        "# Ghi chú",
        "~ Thửa đất có {small},5 m2 nằm trong hành lang bảo vệ an toàn công trình giao thông; "
        "người sử dụng đất được tiếp tục sử dụng nhưng không được xây dựng công trình kiên cố.",
        "~ Ranh giới thửa đất được xác định theo hiện trạng sử dụng, các bên liền kề đã ký xác "
        "nhận ranh giới, mốc giới.",
        "# Xác nhận thay đổi",
        "| Ngày, tháng, năm | Nội dung thay đổi | Xác nhận\n"
        "| {issued} | Đăng ký thế chấp tại Ngân hàng {brand} | Đã đăng ký\n"
        "| {date} | Xóa đăng ký thế chấp | Đã xóa",
    ),
    pages=(2, 4),
    sign=("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nGIÁM ĐỐC",
          "VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI\nGIÁM ĐỐC"),
    signer="{b_name}",
    seal=True,
)

CAM_KET_AN_TOAN_CONG_TRINH = Template(
    code="cam_ket_an_toan_cong_trinh",
    titles=("BẢN CAM KẾT BẢO ĐẢM AN TOÀN ĐỐI VỚI CÔNG TRÌNH LIỀN KỀ",
            "BẢN CAM KẾT\nBẢO ĐẢM AN TOÀN CÔNG TRÌNH LIỀN KỀ",
            "GIẤY CAM KẾT ĐẢM BẢO AN TOÀN CHO CÔNG TRÌNH LIỀN KỀ"),
    forms=("Mẫu số 02", ""),
    to=("Kính gửi: Ủy ban nhân dân {ward}", ""),
    body=(
        "Tôi là: {NAME}, chủ đầu tư công trình nhà ở riêng lẻ",
        "Địa chỉ liên hệ: {residence}    Điện thoại: {phone}",
        "Địa điểm xây dựng: thửa đất số {parcel}, tờ bản đồ số {map_sheet}, {land_address}",
        "Công trình liền kề: nhà ở của hộ {b_ong_ba} {b_name}, {b_residence}",
        "Tôi xin cam kết:",
        "1. Thực hiện các biện pháp bảo đảm an toàn cho công trình liền kề trong suốt quá "
        "trình thi công xây dựng, bao gồm che chắn, chống lún, chống nứt và chống thấm.",
        "2. Trường hợp để xảy ra sự cố gây thiệt hại cho công trình liền kề, tôi hoàn toàn chịu "
        "trách nhiệm khắc phục và bồi thường theo quy định của pháp luật.",
        "? 3. Tuân thủ giờ thi công, không gây tiếng ồn, bụi bẩn ảnh hưởng đến các hộ xung quanh.",
    ),
    sign=("NGƯỜI CAM KẾT", "CHỦ ĐẦU TƯ"),
)

DON_DANG_KY_BIEN_DONG = Template(
    code="don_dang_ky_bien_dong",
    titles=("ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
            "ĐƠN ĐĂNG KÝ BIẾN ĐỘNG\nĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT"),
    forms=("Mẫu số 11/ĐK", "Mẫu số 11/ĐK", ""),
    to=("Kính gửi: Văn phòng đăng ký đất đai {province}",
        "Kính gửi: Chi nhánh Văn phòng đăng ký đất đai khu vực {ward}"),
    body=(
        "# I. PHẦN KÊ KHAI CỦA NGƯỜI ĐĂNG KÝ",
        "1. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất:",
        "1.1. Tên (viết chữ in hoa): {NAME}, Căn cước số {id12}",
        "1.2. Địa chỉ: {residence}",
        "2. Giấy chứng nhận đã cấp:",
        "2.1. Số vào sổ cấp GCN: {gcn_book}    2.2. Số phát hành GCN: {gcn_serial}",
        "2.3. Ngày cấp GCN: {issued}",
        "3. Nội dung biến động về: [[chuyển nhượng|tặng cho|thừa kế]] quyền sử dụng đất",
        "3.1. Nội dung trên GCN trước khi biến động: thửa đất số {parcel}, tờ bản đồ số "
        "{map_sheet}, diện tích {area} m2, người sử dụng {NAME}",
        "3.2. Nội dung sau khi biến động: người sử dụng {b_NAME}, Căn cước số {b_id12}",
        "4. Lý do biến động: [[nhận chuyển nhượng|nhận tặng cho|nhận thừa kế]] quyền sử dụng "
        "đất theo hợp đồng đã công chứng",
        "5. Tình hình thực hiện nghĩa vụ tài chính: đã nộp đủ",
        "6. Giấy tờ nộp kèm theo đơn: Giấy chứng nhận đã cấp; hợp đồng chuyển nhượng; tờ khai "
        "thuế thu nhập cá nhân; tờ khai lệ phí trước bạ.",
        "Tôi cam đoan nội dung kê khai trên đơn là đúng sự thật, nếu sai tôi hoàn toàn chịu "
        "trách nhiệm trước pháp luật.",
    ),
    more=(
        "# II. XÁC NHẬN CỦA ỦY BAN NHÂN DÂN CẤP XÃ",
        "~ (Đối với trường hợp cá nhân, hộ gia đình đề nghị được tiếp tục sử dụng đất nông "
        "nghiệp khi hết hạn sử dụng đất)",
        "Xác nhận: ....................................................................",
        "# III. Ý KIẾN CỦA CƠ QUAN ĐĂNG KÝ ĐẤT ĐAI",
        "Hồ sơ đủ điều kiện đăng ký biến động; đề nghị chỉnh lý Giấy chứng nhận đã cấp.",
    ),
    pages=(1, 2),
    sign=("NGƯỜI VIẾT ĐƠN", "NGƯỜI ĐĂNG KÝ"),
)

HOP_DONG_CHUYEN_NHUONG = Template(
    code="hop_dong_chuyen_nhuong",
    titles=("HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT",
            "HỢP ĐỒNG CHUYỂN NHƯỢNG\nQUYỀN SỬ DỤNG ĐẤT VÀ TÀI SẢN GẮN LIỀN VỚI ĐẤT",
            "HỢP ĐỒNG TẶNG CHO QUYỀN SỬ DỤNG ĐẤT",
            "VĂN BẢN THỎA THUẬN PHÂN CHIA DI SẢN THỪA KẾ"),
    body=(
        "Hôm nay, ngày {date}, tại {notary}, {province}, chúng tôi gồm có:",
        "# BÊN CHUYỂN NHƯỢNG (sau đây gọi là Bên A):",
        "{ong_ba}: {NAME}    Sinh năm: {year}",
        "Căn cước số: {id12}, cấp ngày {issued}",
        "Nơi cư trú: {residence}",
        "# BÊN NHẬN CHUYỂN NHƯỢNG (sau đây gọi là Bên B):",
        "{b_ong_ba}: {b_NAME}    Sinh năm: {b_year}",
        "Căn cước số: {b_id12}",
        "Nơi cư trú: {b_residence}",
        "Hai bên đồng ý thực hiện việc chuyển nhượng quyền sử dụng đất với các thỏa thuận sau "
        "đây:",
    ),
    more=(
        "# ĐIỀU {n}. QUYỀN SỬ DỤNG ĐẤT CHUYỂN NHƯỢNG",
        "Quyền sử dụng đất của Bên A đối với thửa đất số {parcel}, tờ bản đồ số {map_sheet}, "
        "địa chỉ {land_address}, diện tích {area} m2, theo Giấy chứng nhận số {gcn_serial}, số "
        "vào sổ {gcn_book}.",
        "# ĐIỀU {n}. GIÁ CHUYỂN NHƯỢNG VÀ PHƯƠNG THỨC THANH TOÁN",
        "Giá chuyển nhượng quyền sử dụng đất nêu tại Điều 1 là {price} đồng (bằng chữ: "
        "{price_words} đồng). Bên B thanh toán cho Bên A bằng tiền mặt một lần ngay sau khi ký "
        "hợp đồng này.",
        "# ĐIỀU {n}. VIỆC GIAO VÀ ĐĂNG KÝ QUYỀN SỬ DỤNG ĐẤT",
        "Bên A có nghĩa vụ giao thửa đất nêu tại Điều 1 cùng giấy tờ về quyền sử dụng đất cho "
        "Bên B. Bên B có trách nhiệm đăng ký biến động tại cơ quan có thẩm quyền.",
        "# ĐIỀU {n}. TRÁCH NHIỆM NỘP THUẾ, LỆ PHÍ",
        "Thuế thu nhập cá nhân do Bên A chịu; lệ phí trước bạ và các chi phí đăng ký do Bên B "
        "chịu trách nhiệm nộp.",
        "# ĐIỀU {n}. QUYỀN VÀ NGHĨA VỤ CỦA BÊN A",
        "Bên A có nghĩa vụ chuyển giao đất cho Bên B đủ diện tích, đúng hạng đất, loại đất, vị "
        "trí, số hiệu và tình trạng đất như đã thỏa thuận; giao giấy tờ có liên quan đến quyền "
        "sử dụng đất cho Bên B. Bên A có quyền được nhận tiền chuyển nhượng đủ và đúng hạn.",
        "# ĐIỀU {n}. QUYỀN VÀ NGHĨA VỤ CỦA BÊN B",
        "Bên B có nghĩa vụ trả đủ tiền, đúng thời hạn và đúng phương thức đã thỏa thuận; đăng "
        "ký quyền sử dụng đất theo quy định của pháp luật về đất đai; bảo đảm quyền của người "
        "thứ ba đối với đất chuyển nhượng. Bên B có quyền yêu cầu Bên A giao đất và giấy tờ.",
        "# ĐIỀU {n}. CHI PHÍ CÔNG CHỨNG",
        "Phí công chứng, thù lao công chứng và các chi phí khác liên quan đến việc công chứng "
        "hợp đồng này do Bên B chịu trách nhiệm thanh toán.",
        "# ĐIỀU {n}. PHƯƠNG THỨC GIẢI QUYẾT TRANH CHẤP",
        "Trong quá trình thực hiện hợp đồng, nếu phát sinh tranh chấp, các bên cùng nhau thương "
        "lượng giải quyết; trường hợp không giải quyết được thì một trong hai bên có quyền khởi "
        "kiện để yêu cầu Tòa án có thẩm quyền giải quyết.",
        "# ĐIỀU {n}. CAM ĐOAN CỦA CÁC BÊN",
        "Bên A cam đoan: thửa đất không có tranh chấp; quyền sử dụng đất không bị kê biên để "
        "bảo đảm thi hành án; việc giao kết hợp đồng hoàn toàn tự nguyện, không bị lừa dối, "
        "không bị ép buộc.",
        "Bên B cam đoan: đã xem xét kỹ, biết rõ về thửa đất nêu tại Điều 1 và các giấy tờ về "
        "quyền sử dụng đất; việc giao kết hợp đồng hoàn toàn tự nguyện.",
        "# ĐIỀU {n}. ĐIỀU KHOẢN CUỐI CÙNG",
        "Hai bên công nhận đã hiểu rõ quyền, nghĩa vụ và lợi ích hợp pháp của mình, ý nghĩa và "
        "hậu quả pháp lý của việc giao kết hợp đồng này. Hợp đồng có hiệu lực kể từ ngày được "
        "công chứng.",
        "## LỜI CHỨNG CỦA CÔNG CHỨNG VIÊN",
        "Ngày {date}, tại {notary}, tôi, công chứng viên, chứng nhận: hợp đồng chuyển nhượng "
        "quyền sử dụng đất được giao kết giữa Bên A và Bên B; các bên đã tự nguyện thỏa thuận "
        "giao kết hợp đồng; tại thời điểm công chứng các bên có năng lực hành vi dân sự phù hợp "
        "theo quy định của pháp luật.",
        "Số công chứng {num}, quyển số 0{small}/{y} TP/CC-SCC/HĐGD.",
    ),
    pages=(2, 4),
    sign=("BÊN A|BÊN B", "BÊN CHUYỂN NHƯỢNG|BÊN NHẬN CHUYỂN NHƯỢNG"),
    signer="{name}|{b_name}",
    seal=True,
    dated=False,
)

TO_KHAI_THUE = Template(
    code="to_khai_thue",
    titles=("TỜ KHAI THUẾ THU NHẬP CÁ NHÂN", "TỜ KHAI LỆ PHÍ TRƯỚC BẠ NHÀ, ĐẤT",
            "TỜ KHAI THUẾ THU NHẬP CÁ NHÂN"),
    subtitles=("(Áp dụng cho cá nhân có thu nhập từ chuyển nhượng bất động sản, nhận thừa kế "
               "và nhận quà tặng là bất động sản)", "", "[01] Kỳ tính thuế: Lần phát sinh "
               "ngày {date}"),
    forms=("Mẫu số: 03/BĐS-TNCN", "Mẫu số: 01/LPTB", "Mẫu số 03/BĐS-TNCN"),
    to=("Kính gửi: Cục Thuế {province}", "Kính gửi: Chi cục Thuế khu vực {ward}", ""),
    body=(
        "[02] Lần đầu: [x]    [03] Bổ sung lần thứ: ....",
        "# I. THÔNG TIN NGƯỜI NỘP THUẾ",
        "[04] Tên người nộp thuế: {NAME}",
        "[05] Mã số thuế: {tax_code}",
        "[06] Địa chỉ: {residence}",
        "[07] Điện thoại: {phone}    [08] Email: {email}@gmail.com",
        "? [09] Tên đại lý thuế (nếu có): ....",
        "# II. ĐẶC ĐIỂM BẤT ĐỘNG SẢN",
        "[10] Thửa đất số: {parcel}    [11] Tờ bản đồ số: {map_sheet}",
        "[12] Địa chỉ thửa đất: {land_address}",
        "[13] Diện tích: {area} m2    [14] Mục đích sử dụng: đất ở",
        "[15] Giá trị chuyển nhượng: {price} đồng",
        "| Chỉ tiêu | Mã chỉ tiêu | Số tiền (đồng)\n| Thu nhập tính thuế | [16] | {price}\n"
        "| Thuế suất | [17] | 2%\n| Thuế thu nhập cá nhân phải nộp | [18] | {num}.000.000",
        "Tôi cam đoan số liệu khai trên là đúng và chịu trách nhiệm trước pháp luật về những số "
        "liệu đã khai.",
    ),
    pages=(1, 2),
    sign=("NGƯỜI NỘP THUẾ hoặc\nĐẠI DIỆN HỢP PHÁP CỦA NGƯỜI NỘP THUẾ", "NGƯỜI NỘP THUẾ"),
)

DON_DE_NGHI_DOI_GPLX = Template(
    code="don_de_nghi_doi_gplx",
    titles=("ĐƠN ĐỀ NGHỊ ĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE", "ĐƠN ĐỀ NGHỊ ĐỔI GIẤY PHÉP LÁI XE",
            "ĐƠN ĐỀ NGHỊ\nĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE"),
    subtitles=("", "", "(Dùng cho người có giấy phép lái xe hết hạn sử dụng)"),
    forms=("Phụ lục XIX", "Mẫu số 02", ""),
    to=("Kính gửi: Sở Xây dựng {province}", "Kính gửi: Phòng Cảnh sát giao thông Công an "
        "{province}", "Kính gửi: Sở Giao thông vận tải {province}"),
    body=(
        "Tôi là: {NAME}    Quốc tịch: Việt Nam",
        "Sinh ngày: {birth}    Giới tính: {sex}",
        "Nơi cư trú: {residence}",
        "Số định danh cá nhân: {id12}, cấp ngày {issued}",
        "Đã học lái xe tại: Trung tâm đào tạo lái xe {brand}, năm {y}",
        "Hiện đã có giấy phép lái xe hạng: {licence_class}, số: {licence_no}, do Sở Giao thông "
        "vận tải {province} cấp ngày {issued}",
        "Đề nghị cho tôi được [[đổi|đổi, cấp lại]] giấy phép lái xe cơ giới đường bộ hạng: "
        "{licence_class}",
        "Lý do: [[giấy phép lái xe hết hạn sử dụng|giấy phép lái xe bị hỏng|đổi sang giấy phép "
        "lái xe mẫu mới]]",
        "Xin gửi kèm theo: 01 giấy khám sức khỏe; bản sao giấy phép lái xe; 02 ảnh màu cỡ 3x4.",
        "Tôi xin cam đoan những điều ghi trên là đúng sự thật, nếu sai tôi xin hoàn toàn chịu "
        "trách nhiệm.",
    ),
    sign=("NGƯỜI LÀM ĐƠN", "NGƯỜI ĐỀ NGHỊ"),
)

GIAY_KHAM_SUC_KHOE = Template(
    code="giay_kham_suc_khoe",
    titles=("GIẤY KHÁM SỨC KHỎE CỦA NGƯỜI LÁI XE", "GIẤY KHÁM SỨC KHỎE\nCỦA NGƯỜI LÁI XE",
            "GIẤY KHÁM SỨC KHỎE"),
    subtitles=("", "(Dùng cho người lái xe)", "(Dùng cho người lái xe mô tô, ô tô)"),
    header="agency",
    agencies=(("SỞ Y TẾ {CITY}", "{HOSPITAL}"), ("{HOSPITAL}", "PHÒNG KHÁM ĐA KHOA")),
    number="Số: {num}/GKSKLX",
    body=(
        "Họ và tên (chữ in hoa): {NAME}    Giới tính: {sex}",
        "Sinh ngày: {birth}    Số định danh cá nhân: {id12}",
        "Chỗ ở hiện tại: {residence}",
        "Đề nghị khám sức khỏe để lái xe hạng: {licence_class}",
        "# I. TIỀN SỬ BỆNH CỦA ĐỐI TƯỢNG KHÁM SỨC KHỎE",
        "Có bệnh hay bị thương trong 5 năm qua không? Không. Có đang điều trị bệnh gì không? "
        "Không.",
        "# II. KHÁM LÂM SÀNG",
        "| Nội dung khám | Kết quả | Kết luận\n| 1. Tâm thần | Bình thường | Đủ điều kiện\n"
        "| 2. Thần kinh | Bình thường | Đủ điều kiện\n| 3. Mắt: thị lực không kính 10/10 | "
        "Bình thường | Đủ điều kiện\n| 4. Tai - Mũi - Họng | Bình thường | Đủ điều kiện\n"
        "| 5. Tim mạch: mạch {pulse} lần/phút, huyết áp {bp} mmHg | Bình thường | Đủ điều kiện",
        "# III. KHÁM CẬN LÂM SÀNG",
        "Xét nghiệm ma túy: âm tính. Xét nghiệm nồng độ cồn: âm tính.",
        "# IV. KẾT LUẬN",
        "[[Đủ điều kiện sức khỏe lái xe hạng|Đủ sức khỏe lái xe hạng]]: {licence_class}",
    ),
    pages=(1, 2),
    sign=("NGƯỜI KẾT LUẬN", "BÁC SĨ KẾT LUẬN"),
    signer="{b_name}",
    seal=True,
)

DON_DE_NGHI_CAP_GCN_ATTP = Template(
    code="don_de_nghi_cap_gcn_attp",
    titles=("ĐƠN ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN\nCƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM",
            "ĐƠN ĐỀ NGHỊ\nCẤP GIẤY CHỨNG NHẬN CƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM"),
    forms=("Mẫu số 01a", "Phụ lục I", ""),
    to=("Kính gửi: Sở Y tế {province}", "Kính gửi: Ban quản lý An toàn thực phẩm {province}",
        "Kính gửi: Chi cục An toàn vệ sinh thực phẩm {province}"),
    body=(
        "Cơ sở sản xuất, kinh doanh: {company}",
        "Mã số doanh nghiệp: {tax_code}",
        "Địa chỉ cơ sở sản xuất, kinh doanh: {company_address}",
        "Điện thoại: {phone}    Fax: ....    E-mail: {email}@gmail.com",
        "Loại hình sản xuất, kinh doanh: {trade}",
        "Mặt hàng sản xuất, kinh doanh: [[bánh kẹo các loại|nước uống đóng chai|suất ăn công "
        "nghiệp|thực phẩm chế biến sẵn]]",
        "Đề nghị được cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm cho cơ sở.",
        "Hồ sơ gửi kèm gồm: bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ; bản sao "
        "Giấy chứng nhận đăng ký doanh nghiệp.",
        "Chúng tôi cam kết chấp hành nghiêm chỉnh các quy định về an toàn thực phẩm và chịu "
        "hoàn toàn trách nhiệm về những vi phạm theo quy định của pháp luật.",
    ),
    sign=("ĐẠI DIỆN CƠ SỞ", "CHỦ CƠ SỞ"),
    seal=True,
)

THUYET_MINH_CO_SO_VAT_CHAT = Template(
    code="thuyet_minh_co_so_vat_chat",
    titles=("BẢN THUYẾT MINH\nVỀ CƠ SỞ VẬT CHẤT, TRANG THIẾT BỊ, DỤNG CỤ BẢO ĐẢM ĐIỀU KIỆN "
            "VỆ SINH AN TOÀN THỰC PHẨM", "BẢN THUYẾT MINH CƠ SỞ VẬT CHẤT, TRANG THIẾT BỊ, "
            "DỤNG CỤ", "BẢN THUYẾT MINH\nVề cơ sở vật chất, trang thiết bị, dụng cụ"),
    subtitles=("", "(Dùng cho cơ sở sản xuất, kinh doanh thực phẩm)"),
    forms=("Mẫu số 02a", "Phụ lục II", ""),
    body=(
        "# I. THÔNG TIN CHUNG",
        "1. Tên cơ sở: {company}",
        "2. Địa chỉ: {company_address}    Điện thoại: {phone}",
        "3. Loại hình sản xuất: {trade}",
        "4. Công suất thiết kế: {num} kg sản phẩm/ngày",
        "5. Số lượng công nhân viên: {workers} người (trực tiếp: {small}, gián tiếp: 2)",
        "# II. THÔNG TIN VỀ ĐIỀU KIỆN BẢO ĐẢM AN TOÀN THỰC PHẨM",
        "1. Cơ sở vật chất:",
        "Diện tích mặt bằng sản xuất: {floor_area} m2. Khu vực sản xuất được bố trí theo "
        "nguyên tắc một chiều từ nguyên liệu đầu vào đến sản phẩm cuối cùng.",
        "Kết cấu nhà xưởng: tường ốp gạch men cao 1,8 m, nền lát gạch chống trơn, trần thạch "
        "cao; hệ thống thông gió và chiếu sáng bảo đảm.",
    ),
    more=(
        "2. Trang thiết bị, dụng cụ sản xuất:",
        "| STT | Tên trang thiết bị | Số lượng | Xuất xứ | Năm sử dụng\n"
        "| 1 | Tủ cấp đông | 0{small} | Việt Nam | 2023\n| 2 | Máy đóng gói tự động | 01 | "
        "Nhật Bản | 2022\n| 3 | Bàn inox sơ chế | 0{small} | Việt Nam | 2024\n"
        "| 4 | Máy rửa dụng cụ | 01 | Hàn Quốc | 2023",
        "3. Nguồn nước phục vụ sản xuất: nước máy của công ty cấp nước, được xét nghiệm định "
        "kỳ 06 tháng một lần.",
        "4. Hệ thống xử lý chất thải: chất thải rắn được thu gom hằng ngày; nước thải được xử "
        "lý qua bể lắng trước khi thải ra hệ thống chung.",
        "5. Phòng chống côn trùng và động vật gây hại: lưới chắn, đèn diệt côn trùng tại các "
        "cửa ra vào khu sản xuất.",
        "6. Bố trí các khu vực sản xuất:",
        "Khu tiếp nhận nguyên liệu: diện tích {small}0 m2, có bàn kiểm tra và cân điện tử; "
        "nguyên liệu được kiểm tra cảm quan và nguồn gốc trước khi nhập kho.",
        "Khu sơ chế: nền lát gạch chống trơn, có hệ thống thoát nước và vòi nước sạch; dụng cụ "
        "sơ chế bằng inox được vệ sinh sau mỗi ca sản xuất.",
        "Khu chế biến: tách biệt với khu sơ chế, có tủ sấy dụng cụ và chậu rửa tay vận hành "
        "bằng chân; người vào khu chế biến phải mặc bảo hộ lao động.",
        "Khu đóng gói: được chiếu sáng đầy đủ, có màng ngăn côn trùng; bao bì được lưu giữ "
        "trên kệ cách mặt đất 20 cm.",
        "Kho bảo quản thành phẩm: có nhiệt kế, ẩm kế; sản phẩm được sắp xếp theo nguyên tắc "
        "nhập trước, xuất trước.",
        "7. Dụng cụ, bao bì tiếp xúc trực tiếp với thực phẩm:",
        "| STT | Tên dụng cụ | Chất liệu | Số lượng\n| 1 | Khay đựng | Inox 304 | {num}\n"
        "| 2 | Dao, thớt | Inox, nhựa PE | 1{small}\n| 3 | Túi đóng gói | Nhựa PE | {num}0",
        "8. Quy trình sản xuất: tiếp nhận nguyên liệu → sơ chế → chế biến → làm nguội → đóng "
        "gói → bảo quản → phân phối; mỗi công đoạn có biểu mẫu ghi chép và người phụ trách.",
        "9. Kiểm soát chất lượng: sản phẩm được lấy mẫu kiểm nghiệm định kỳ tại phòng thử "
        "nghiệm được công nhận; hồ sơ truy xuất nguồn gốc được lưu giữ ít nhất 12 tháng.",
        "10. Vệ sinh nhà xưởng: khu sản xuất được làm vệ sinh sau mỗi ca; định kỳ hằng tuần "
        "tổng vệ sinh, khử trùng bằng hóa chất được phép sử dụng trong cơ sở thực phẩm.",
        "# III. NHÂN LỰC",
        "Chủ cơ sở và người trực tiếp sản xuất đã được tập huấn kiến thức an toàn thực phẩm và "
        "khám sức khỏe định kỳ theo quy định.",
        "Chúng tôi cam kết những nội dung thuyết minh trên là đúng sự thật.",
    ),
    pages=(1, 3),
    sign=("CHỦ CƠ SỞ", "ĐẠI DIỆN CƠ SỞ"),
    seal=True,
)

TEMPLATES: dict[str, Template] = {t.code: t for t in (
    TO_KHAI_KHAI_SINH, GIAY_CHUNG_SINH, VAN_BAN_CAM_DOAN_VIEC_SINH,
    GIAY_DE_NGHI_DK_HO_KINH_DOANH, BIEN_BAN_HOP_THANH_VIEN_HO, VAN_BAN_UY_QUYEN,
    GIAY_DE_NGHI_DK_DOANH_NGHIEP, DIEU_LE_CONG_TY, GIAY_CHUNG_NHAN_DK_DOANH_NGHIEP,
    TO_KHAI_LY_LICH_TU_PHAP, DON_DE_NGHI_CAP_GPXD, GIAY_TO_QUYEN_SU_DUNG_DAT,
    CAM_KET_AN_TOAN_CONG_TRINH, DON_DANG_KY_BIEN_DONG, HOP_DONG_CHUYEN_NHUONG, TO_KHAI_THUE,
    DON_DE_NGHI_DOI_GPLX, GIAY_KHAM_SUC_KHOE, DON_DE_NGHI_CAP_GCN_ATTP,
    THUYET_MINH_CO_SO_VAT_CHAT,
)}
"""The form-like types; cards, drawings and "khac" have their own renderers."""

"""Labelled page texts for the classification tests, written the way the real papers read.

Each type gets field lines typical of its body, shuffled and filled with fake values by seed,
so two seeds give two different pages of the same type (training vs held-out pages).
"""

from __future__ import annotations

import random

HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hữu Cường", "Phạm Thu Hạnh", "Võ Minh Khánh",
         "Đặng Ngọc Lan", "Hoàng Quốc Sơn", "Huỳnh Thanh Vy")
PLACES = ("xã Nghi Phú, tỉnh Nghệ An", "phường Bến Thành, Thành phố Hồ Chí Minh",
          "phường Hoàn Kiếm, thành phố Hà Nội", "phường Thủy Xuân, thành phố Huế")

BODIES: dict[str, tuple[str, ...]] = {
    "to_khai_khai_sinh": (
        "Kính gửi: Ủy ban nhân dân {place}",
        "Họ, chữ đệm, tên người yêu cầu: {name}",
        "Quan hệ với người được khai sinh: cha đẻ",
        "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
        "Họ, chữ đệm, tên: {name2}; Ngày, tháng, năm sinh: {date}",
        "Nơi sinh: Bệnh viện Đa khoa {place}; Quê quán: {place}",
        "Họ, chữ đệm, tên người mẹ: {name2}; Dân tộc: Kinh; Quốc tịch: Việt Nam",
        "Họ, chữ đệm, tên người cha: {name}; Nơi cư trú: {place}",
        "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật"),
    "giay_chung_sinh": (
        "Sở Y tế tỉnh Nghệ An - Bệnh viện Đa khoa {place}",
        "Họ và tên mẹ / người nuôi dưỡng: {name2}; Năm sinh: 1995",
        "Đã sinh con vào lúc 10 giờ 25 phút, ngày {date}",
        "Tại: Khoa Sản, Bệnh viện Đa khoa {place}",
        "Số con trong lần sinh: 01; Giới tính của con: Nữ; Cân nặng: 3200 gam",
        "Dự định đặt tên con là: {name2}",
        "Người đỡ đẻ (ký, ghi rõ họ tên): {name}",
        "Thủ trưởng cơ sở khám bệnh, chữa bệnh ký tên, đóng dấu"),
    "don_de_nghi_doi_gplx": (
        "Kính gửi: Sở Xây dựng {place}",
        "Tôi là: {name}; Quốc tịch: Việt Nam",
        "Hiện đã có giấy phép lái xe hạng B2 số 790123456789 do Sở Giao thông vận tải cấp",
        "Đề nghị cho tôi được đổi, cấp lại giấy phép lái xe hạng B",
        "Lý do: giấy phép lái xe hết hạn sử dụng",
        "Kèm theo đơn gồm: giấy khám sức khỏe của người lái xe và bản sao giấy phép lái xe",
        "Tôi xin cam đoan những điều ghi trên là đúng sự thật, nếu sai tôi chịu trách nhiệm"),
    "hop_dong_chuyen_nhuong": (
        "Tại Văn phòng công chứng {place}, chúng tôi gồm có:",
        "Bên chuyển nhượng (bên A): Ông {name}, sinh năm 1970",
        "Bên nhận chuyển nhượng (bên B): Bà {name2}, sinh năm 1985",
        "Hai bên đồng ý thực hiện việc chuyển nhượng quyền sử dụng đất với các thỏa thuận sau:",
        "Điều 1. Quyền sử dụng đất chuyển nhượng: thửa đất số 123, tờ bản đồ số 45",
        "Điều 2. Giá chuyển nhượng và phương thức thanh toán: 1.500.000.000 đồng",
        "Điều 3. Việc giao và đăng ký quyền sử dụng đất",
        "Điều 4. Trách nhiệm nộp thuế, lệ phí"),
    "dieu_le_cong_ty": (
        "Chương I. Những quy định chung",
        "Điều 1. Tên công ty: Công ty TNHH Thương mại Minh Phát",
        "Điều 2. Trụ sở chính: {place}",
        "Điều 3. Ngành, nghề kinh doanh của công ty",
        "Điều 4. Vốn điều lệ của công ty là 2.000.000.000 đồng",
        "Điều 5. Chủ sở hữu công ty: {name}",
        "Điều 6. Quyền và nghĩa vụ của chủ sở hữu công ty",
        "Điều 7. Cơ cấu tổ chức quản lý công ty gồm Chủ tịch công ty và Giám đốc"),
    "khac": (
        "Giá lúa tăng mạnh trong vụ đông xuân, nông dân phấn khởi vì được mùa được giá",
        "Theo các thương lái ở đồng bằng, giá lúa khô đã tăng thêm hai trăm đồng mỗi ký",
        "Đội tuyển bóng đá giành chiến thắng thuyết phục trong trận đấu tối qua",
        "Mùa xuân ở quê năm nay đẹp lắm, hoa đào nở khắp vườn",
        "Các chuyên gia nhận định xu hướng này có thể kéo dài đến cuối năm",
        "Thời tiết miền Bắc chuyển rét, nhiệt độ thấp nhất ở vùng núi dưới mười độ",
        "Bố mẹ vẫn nhắc anh mỗi bữa cơm, mong anh thu xếp công việc về thăm nhà"),
}

TITLES = {
    "to_khai_khai_sinh": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "giay_chung_sinh": "GIẤY CHỨNG SINH",
    "don_de_nghi_doi_gplx": "ĐƠN ĐỀ NGHỊ ĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE",
    "hop_dong_chuyen_nhuong": "HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT",
    "dieu_le_cong_ty": "ĐIỀU LỆ\nCÔNG TY TNHH THƯƠNG MẠI MINH PHÁT",
    "khac": "BÁO NGHỆ AN",
}


def body(doc_type: str, seed: int, lines: int = 6) -> str:
    """Field lines of ``doc_type`` in a seed-dependent order and filling, no title."""
    rng = random.Random(f"{doc_type}/{seed}")
    chosen = rng.sample(BODIES[doc_type], min(lines, len(BODIES[doc_type])))
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1970, 2025)
    values = {"name": rng.choice(NAMES), "name2": rng.choice(NAMES),
              "place": rng.choice(PLACES), "date": f"{day:02d}/{month:02d}/{year}"}
    return "\n".join(line.format(**values) for line in chosen)


def first_page(doc_type: str, seed: int) -> str:
    head = "" if doc_type == "khac" else HEADER + "\n"
    return f"{head}{TITLES[doc_type]}\n{body(doc_type, seed)}"


def labelled_pages(seeds: range) -> tuple[list[str], list[str]]:
    """Training material: title pages and title-less body pages of every corpus type."""
    texts: list[str] = []
    labels: list[str] = []
    for doc_type in BODIES:
        for seed in seeds:
            texts += [first_page(doc_type, seed), body(doc_type, seed + 1000)]
            labels += [doc_type, doc_type]
    return texts, labels

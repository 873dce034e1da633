"""Fake but plausible Vietnamese personal, business and land data for synthetic documents.

One :func:`fake_values` call gives every placeholder a document template may use, drawn
once, so the same applicant, company or land parcel appears on every page of a document.
Names and numbers are random combinations: they belong to nobody.
"""

from __future__ import annotations

import random

from sohoa_dev.synth.pages import SURNAMES

MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Phương", "Kim")
MIDDLE_M = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Xuân", "Công", "Đình")
GIVEN_F = ("Anh", "Hạnh", "Hương", "Lan", "Mai", "Quỳnh", "Thảo", "Vy", "Yến", "Trang", "Hoa",
           "Ngân", "Linh", "Nhung", "Phương", "Diệp")
GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Giang", "Khánh", "Long", "Nam", "Phúc", "Sơn",
           "Trung", "Tuấn", "Hải", "Hùng", "Quân", "Thắng")
PROVINCES = ("tỉnh Nghệ An", "thành phố Hà Nội", "Thành phố Hồ Chí Minh", "thành phố Huế",
             "tỉnh Thanh Hóa", "thành phố Đà Nẵng", "tỉnh Hà Tĩnh", "thành phố Hải Phòng",
             "tỉnh Quảng Ninh", "thành phố Cần Thơ", "tỉnh Lâm Đồng", "tỉnh Đắk Lắk")
CITIES = {"tỉnh Nghệ An": "Nghệ An", "thành phố Hà Nội": "Hà Nội",
          "Thành phố Hồ Chí Minh": "TP. Hồ Chí Minh", "thành phố Huế": "Huế",
          "tỉnh Thanh Hóa": "Thanh Hóa", "thành phố Đà Nẵng": "Đà Nẵng",
          "tỉnh Hà Tĩnh": "Hà Tĩnh", "thành phố Hải Phòng": "Hải Phòng",
          "tỉnh Quảng Ninh": "Quảng Ninh", "thành phố Cần Thơ": "Cần Thơ",
          "tỉnh Lâm Đồng": "Lâm Đồng", "tỉnh Đắk Lắk": "Đắk Lắk"}
WARDS = ("phường Vinh Phú", "phường Hưng Dũng", "xã Nghi Lộc", "phường Thành Vinh",
         "xã Diễn Châu", "phường Hoàn Kiếm", "phường Bến Thành", "phường Thủy Xuân",
         "xã Quỳnh Lưu", "phường Hạc Thành", "xã Yên Thành", "phường Hải Châu",
         "phường Ninh Kiều", "xã Đô Lương", "phường Cửa Lò", "xã Nam Đàn")
STREETS = ("Lê Lợi", "Trần Phú", "Nguyễn Du", "Quang Trung", "Hai Bà Trưng", "Lý Thường Kiệt",
           "Phan Bội Châu", "Nguyễn Trãi", "Lê Duẩn", "Hùng Vương", "Nguyễn Văn Cừ",
           "Trường Chinh", "Lê Hồng Phong", "Điện Biên Phủ")
HOSPITALS = ("Bệnh viện Sản Nhi Nghệ An", "Bệnh viện Đa khoa tỉnh", "Bệnh viện Hữu nghị Đa khoa",
             "Trung tâm Y tế khu vực", "Bệnh viện Phụ sản thành phố", "Bệnh viện Đa khoa Thành An")
TRADES = (("bán lẻ lương thực, thực phẩm", "4721"), ("dịch vụ ăn uống", "5610"),
          ("sửa chữa xe có động cơ", "4520"), ("bán buôn vật liệu xây dựng", "4663"),
          ("may mặc", "1410"), ("sản xuất bánh kẹo", "1073"), ("bán lẻ thuốc", "4772"),
          ("dịch vụ lưu trú ngắn ngày", "5510"), ("sản xuất nước uống đóng chai", "1104"))
BRAND = ("An Phát", "Minh Long", "Hòa Bình", "Sao Mai", "Thành Công", "Phú Gia", "Hưng Thịnh",
         "Việt Tín", "Nam Phong", "Hồng Hà", "Đại Dương", "Trường Sơn", "Bảo Ngọc", "Kim Long")
FIRM_KIND = ("Thương mại và Dịch vụ", "Xây dựng", "Thực phẩm", "Đầu tư", "Sản xuất",
             "Vận tải", "Công nghệ")
MONEY_WORDS = {50: "năm mươi triệu", 100: "một trăm triệu", 200: "hai trăm triệu",
               300: "ba trăm triệu", 500: "năm trăm triệu", 800: "tám trăm triệu",
               1000: "một tỷ", 1500: "một tỷ năm trăm triệu", 2000: "hai tỷ"}
LICENCE_CLASSES = ("B", "B1", "B2", "C", "C1", "D")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def person(rng: random.Random, sex: str | None = None) -> dict[str, str]:
    """A fake person: name, sex, birth date, 12-digit personal number, residence."""
    sex = sex or rng.choice(("Nam", "Nữ"))
    female = sex == "Nữ"
    name = " ".join((rng.choice(SURNAMES), rng.choice(MIDDLE_F if female else MIDDLE_M),
                     rng.choice(GIVEN_F if female else GIVEN_M)))
    year = rng.randint(1958, 2004)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    province = rng.choice(PROVINCES)
    return {
        "name": name, "NAME": name.upper(), "sex": sex, "ong_ba": "Bà" if female else "Ông",
        "birth": f"{day:02d}/{month:02d}/{year}", "birth_compact": f"{day:02d}{month:02d}{year}",
        "year": str(year), "id12": "0" + _digits(rng, 2) + ("1" if female else "0")
        + str(year)[2:] + _digits(rng, 6),
        "old_id9": _digits(rng, 9) if rng.random() < 0.5 else "",
        "residence": address(rng, province), "province": province,
        "origin": f"{rng.choice(WARDS)}, {rng.choice(PROVINCES)}",
        "phone": "09" + _digits(rng, 8),
        "email": name.split()[-1].lower().replace("ư", "u").replace("ơ", "o") + _digits(rng, 2),
    }


def address(rng: random.Random, province: str | None = None) -> str:
    return (f"số {rng.randint(2, 250)}, đường {rng.choice(STREETS)}, {rng.choice(WARDS)}, "
            f"{province or rng.choice(PROVINCES)}")


def date(rng: random.Random, year: int | None = None) -> tuple[int, int, int]:
    return rng.randint(1, 28), rng.randint(1, 12), year or rng.randint(2024, 2025)


def _company(rng: random.Random) -> dict[str, str]:
    brand, kind = rng.choice(BRAND), rng.choice(FIRM_KIND)
    trade, trade_code = rng.choice(TRADES)
    capital = rng.choice(list(MONEY_WORDS))
    return {
        "company": f"CÔNG TY TNHH {kind.upper()} {brand.upper()}",
        "company_short": f"{brand.upper()} CO., LTD", "brand": brand, "shop": f"{brand}",
        "tax_code": _digits(rng, 10), "trade": trade, "trade_code": trade_code,
        "capital": f"{capital:,}.000.000".replace(",", "."),
        "capital_words": MONEY_WORDS[capital], "workers": str(rng.randint(2, 30)),
        "company_address": address(rng),
    }


def _land(rng: random.Random) -> dict[str, str]:
    area = rng.randint(60, 400) + rng.choice((0, 0.5, 0.2, 0.8))
    price = rng.choice((800, 1000, 1500, 2000))
    return {
        "parcel": str(rng.randint(10, 999)), "map_sheet": str(rng.randint(1, 60)),
        "area": f"{area:.1f}".replace(".", ","), "land_address": address(rng),
        "gcn_book": f"CS {rng.randint(1000, 99999):05d}",
        "gcn_serial": f"{rng.choice(('BX', 'CĐ', 'CT', 'DA'))} {_digits(rng, 6)}",
        "price": f"{price:,}.000.000".replace(",", "."), "price_words": MONEY_WORDS[price],
        "floors": str(rng.randint(1, 5)), "floor_area": str(rng.randint(80, 450)),
        "height": f"{rng.randint(4, 18)},{rng.randint(0, 9)}",
    }


def fake_values(rng: random.Random) -> dict[str, str]:
    """Every placeholder the templates use: applicant, second party, child, firm, land, dates."""
    values = person(rng)
    other = person(rng)
    values.update({f"b_{k}": v for k, v in other.items()})
    child = person(rng)
    values.update({"child": child["name"], "CHILD": child["NAME"], "child_sex": child["sex"]})
    mother = person(rng, "Nữ")
    values.update({"mother": mother["name"], "mother_year": mother["year"],
                   "mother_id": mother["id12"]})
    values.update(_company(rng))
    values.update(_land(rng))
    d, m, y = date(rng)
    born = date(rng, y)
    values.update({
        "day": str(d), "month": str(m), "y": str(y), "date": f"{d:02d}/{m:02d}/{y}",
        "city": CITIES[values["province"]], "ward": rng.choice(WARDS),
        "child_birth": f"{born[0]:02d}/{born[1]:02d}/{born[2]}",
        "hour": str(rng.randint(0, 23)), "minute": f"{rng.randint(0, 59):02d}",
        "weight": f"{rng.randint(25, 41)}00", "hospital": rng.choice(HOSPITALS),
        "num": str(rng.randint(12, 980)), "small": str(rng.randint(2, 9)),
        "licence_class": rng.choice(LICENCE_CLASSES), "licence_no": _digits(rng, 12),
        "issued": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2015, 2021)}",
        "expiry": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2025, 2035)}",
        "pulse": str(rng.randint(62, 92)), "bp": f"{rng.randint(105, 135)}/{rng.randint(65, 85)}",
        "notary": f"Văn phòng công chứng {rng.choice(BRAND)}",
        "designer": f"Công ty Cổ phần Tư vấn Thiết kế Xây dựng {rng.choice(BRAND)}",
    })
    for key, value in list(values.items()):  # {CITY}, {HOSPITAL}...: the same in capitals
        values.setdefault(key.upper(), value.upper())
    return values

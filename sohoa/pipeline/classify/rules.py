"""Title and keyword rules: which document type a page's printed title says it is.

Vietnamese administrative papers carry their type as an uppercase, centred title near the top
("TỜ KHAI ĐĂNG KÝ KHAI SINH"), under the national header, which is not a title. Matching is
fuzzy (rapidfuzz) on folded text, so missing diacritics and OCR slips still match, but it
prefers whole lines near the top: a form that mentions another paper in its body ("kèm theo
bản sao giấy chứng sinh") must not become that paper. Titles of papers that are NOT in any
checklist ("PHIẾU LÝ LỊCH TƯ PHÁP" — the result, not the application) are kept as decoys that
answer ``khac``, so a near title is never forced into the closest checklist type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from sohoa.domain.doctypes import COVER, KHAC, SEPARATOR
from sohoa.pipeline.classify.text import fold, garbled, uppercase_share

THRESHOLD = 0.85
"""A title match at least this good decides the page's type."""

MARGIN = 0.03
"""The best type must beat every other type by this much, or the rule abstains."""

PRIOR_THRESHOLD = 0.75
"""A type the procedure asks for may decide from this score, when no type close to it is
outside the procedure (:func:`pick_for`)."""

TRUNCATED_COVERAGE = 0.8
"""A line that is the start of a title, at least this long a part of it, may stand for it."""

HEAD_LINES = 20
"""Titles are looked for in this many non-blank lines from the top (headers included)."""

# Printed titles, as a clerk would type them; folded once at import. Several per type: the
# form's current title, older titles still handed in, and the English line of bilingual cards.
TITLES: dict[str, tuple[str, ...]] = {
    "can_cuoc": ("Căn cước công dân", "Căn cước", "Citizen identity card", "Identity card",
                 "Thẻ căn cước", "Thẻ căn cước công dân", "Chứng minh nhân dân"),
    "to_khai_khai_sinh": ("Tờ khai đăng ký khai sinh", "Tờ khai đăng ký lại khai sinh",
                          "Tờ khai khai sinh"),
    "giay_chung_sinh": ("Giấy chứng sinh",),
    "van_ban_cam_doan_viec_sinh": (
        "Văn bản cam đoan về việc sinh", "Giấy cam đoan về việc sinh",
        "Bản cam đoan về việc sinh", "Văn bản của người làm chứng",
        "Văn bản xác nhận của người làm chứng", "Giấy xác nhận của người làm chứng về việc sinh",
        "Văn bản làm chứng về việc sinh"),
    "giay_de_nghi_dk_ho_kinh_doanh": ("Giấy đề nghị đăng ký hộ kinh doanh",
                                      "Giấy đề nghị đăng ký thành lập hộ kinh doanh"),
    "bien_ban_hop_thanh_vien_ho": ("Biên bản họp thành viên hộ gia đình",
                                   "Biên bản họp các thành viên hộ gia đình",
                                   "Biên bản họp gia đình"),
    "van_ban_uy_quyen": ("Văn bản ủy quyền", "Giấy ủy quyền", "Hợp đồng ủy quyền",
                         "Giấy ủy quyền thực hiện thủ tục hành chính"),
    "giay_de_nghi_dk_doanh_nghiep": (
        "Giấy đề nghị đăng ký doanh nghiệp",
        "Giấy đề nghị đăng ký thành lập doanh nghiệp"),
    "dieu_le_cong_ty": ("Điều lệ công ty", "Điều lệ", "Điều lệ công ty trách nhiệm hữu hạn",
                        "Điều lệ công ty cổ phần", "Dự thảo điều lệ công ty"),
    "giay_chung_nhan_dk_doanh_nghiep": (
        "Giấy chứng nhận đăng ký doanh nghiệp", "Giấy chứng nhận đăng ký kinh doanh",
        "Giấy chứng nhận đăng ký hộ kinh doanh"),
    "to_khai_ly_lich_tu_phap": ("Tờ khai yêu cầu cấp phiếu lý lịch tư pháp",
                                "Tờ khai cấp phiếu lý lịch tư pháp",
                                "Tờ khai yêu cầu cấp phiếu lý lịch tư pháp số 1"),
    "don_de_nghi_cap_gpxd": ("Đơn đề nghị cấp giấy phép xây dựng",
                             "Đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ",
                             "Đơn xin cấp giấy phép xây dựng", "Đơn xin phép xây dựng"),
    "giay_to_quyen_su_dung_dat": (
        "Giấy chứng nhận quyền sử dụng đất",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Giấy chứng nhận quyền sở hữu nhà ở và quyền sử dụng đất ở",
        "Quyết định giao đất", "Quyết định cho thuê đất"),
    "ban_ve_thiet_ke": ("Bản vẽ thiết kế", "Hồ sơ thiết kế", "Bản vẽ xin phép xây dựng",
                        "Hồ sơ bản vẽ thiết kế", "Thiết kế kiến trúc nhà ở riêng lẻ"),
    "cam_ket_an_toan_cong_trinh": (
        "Bản cam kết bảo đảm an toàn đối với công trình liền kề",
        "Bản cam kết đảm bảo an toàn đối với công trình liền kề",
        "Bản cam kết bảo đảm an toàn công trình liền kề",
        "Cam kết bảo đảm an toàn đối với công trình liền kề",
        "Giấy cam kết đảm bảo an toàn cho công trình liền kề",
        "Giấy cam kết bảo đảm an toàn đối với công trình liền kề",
        "Bản cam kết đảm bảo an toàn cho công trình liền kề"),
    "don_dang_ky_bien_dong": (
        "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất",
        "Đơn đăng ký biến động đất đai",
        "Đơn đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"),
    "hop_dong_chuyen_nhuong": (
        "Hợp đồng chuyển nhượng quyền sử dụng đất",
        "Hợp đồng chuyển nhượng quyền sử dụng đất và tài sản gắn liền với đất",
        "Hợp đồng tặng cho quyền sử dụng đất",
        "Hợp đồng tặng cho quyền sử dụng đất và tài sản gắn liền với đất",
        "Văn bản thỏa thuận phân chia di sản thừa kế", "Văn bản khai nhận di sản thừa kế",
        "Văn bản chuyển quyền sử dụng đất", "Hợp đồng mua bán nhà ở"),
    "to_khai_thue": ("Tờ khai lệ phí trước bạ", "Tờ khai lệ phí trước bạ nhà, đất",
                     "Tờ khai thuế thu nhập cá nhân", "Tờ khai thuế sử dụng đất phi nông nghiệp"),
    "don_de_nghi_doi_gplx": ("Đơn đề nghị đổi giấy phép lái xe",
                             "Đơn đề nghị đổi, cấp lại giấy phép lái xe",
                             "Đơn đề nghị đổi giấy phép lái xe do ngành giao thông vận tải cấp"),
    "giay_kham_suc_khoe": ("Giấy khám sức khỏe của người lái xe", "Giấy khám sức khỏe",
                           "Giấy chứng nhận sức khỏe"),
    "giay_phep_lai_xe": ("Giấy phép lái xe", "Driver's license", "Driving licence",
                         "Giấy phép lái xe driver's license"),
    "don_de_nghi_cap_gcn_attp": (
        "Đơn đề nghị cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "Đơn đề nghị cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "Đơn đề nghị cấp lại giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
    "thuyet_minh_co_so_vat_chat": (
        "Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ",
        "Bản thuyết minh cơ sở vật chất, trang thiết bị, dụng cụ",
        "Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ bảo đảm điều kiện vệ sinh "
        "an toàn thực phẩm"),
    # Papers a dossier often carries that are in no checklist: a near title must not be
    # pulled into the closest checklist type ("PHIẾU LÝ LỊCH TƯ PHÁP" is the result).
    KHAC: ("Phiếu lý lịch tư pháp", "Phiếu lý lịch tư pháp số 1", "Giấy phép xây dựng",
           "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Giấy khai sinh",
           "Trích lục khai sinh", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
           "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Thông báo nộp lệ phí trước bạ",
           "Thông báo nộp thuế", "Giấy mời", "Quyết định", "Biên lai thu phí, lệ phí",
           "Hóa đơn giá trị gia tăng", "Giấy chứng nhận kết hôn",
           "Giấy xác nhận tình trạng hôn nhân", "Giấy chứng tử", "Sổ hộ khẩu",
           "Bằng tốt nghiệp", "Sơ yếu lý lịch"),
}

# Generic headings: alone on a line they name no checklist type ("GIẤY CHỨNG NHẬN" must not
# become "GIẤY CHỨNG SINH"), but they weigh less than a full title, which often wraps after
# them ("GIẤY CHỨNG NHẬN / QUYỀN SỬ DỤNG ĐẤT").
GENERIC_HEADINGS: tuple[str, ...] = (
    "Giấy chứng nhận", "Giấy xác nhận", "Giấy đề nghị", "Đơn đề nghị", "Tờ khai", "Biên bản",
    "Hợp đồng", "Bản cam kết", "Văn bản", "Thông báo", "Đơn")
GENERIC_WEIGHT = 0.9

# Headings of later pages or sheets of a multi-page paper: they may continue a document of
# the same type, or start one when it comes first (a drawing set without a cover sheet).
PARTS: dict[str, tuple[str, ...]] = {
    "can_cuoc": ("Đặc điểm nhân dạng", "Ngón trỏ trái", "Ngón trỏ phải",
                 "Cục trưởng cục cảnh sát quản lý hành chính về trật tự xã hội"),
    "giay_to_quyen_su_dung_dat": (
        "Sơ đồ thửa đất", "Những thay đổi sau khi cấp giấy chứng nhận",
        "Thửa đất, nhà ở và tài sản khác gắn liền với đất",
        "Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất"),
    "ban_ve_thiet_ke": ("Mặt bằng tầng 1", "Mặt bằng tầng 2", "Mặt bằng tầng trệt",
                        "Mặt bằng tầng mái", "Mặt bằng mái", "Mặt bằng móng",
                        "Mặt bằng tổng thể", "Mặt bằng vị trí", "Mặt bằng định vị",
                        "Mặt đứng chính", "Mặt đứng", "Mặt cắt A-A", "Mặt cắt B-B", "Mặt cắt",
                        "Sơ đồ đấu nối hạ tầng kỹ thuật", "Mặt bằng móng và chi tiết móng",
                        "Bản vẽ kiến trúc", "Bản vẽ kết cấu"),
}

# Form numbers printed at the top right ("Mẫu số 11/ĐK"), matched on short folded lines.
FORM_NUMBERS: tuple[tuple[str, str], ...] = (
    (r"\bmau(?: so)?\s*:?\s*(?:0?11|0?9)\s*/\s*dk\b", "don_dang_ky_bien_dong"),
    (r"\bmau(?: so)?\s*:?\s*0?1\s*/\s*lptb\b", "to_khai_thue"),
    (r"\bmau(?: so)?\s*:?\s*0?3\s*/\s*bds\s*-\s*tncn\b", "to_khai_thue"),
    (r"\bmau(?: so)?\s*:?\s*0?1\s*/\s*tk\s*-\s*sddpnn\b", "to_khai_thue"),
    (r"\bmau(?: so)?\s*:?\s*0?[34]\s*/\s*20\d\d\s*/\s*tt\s*-\s*lltp\b",
     "to_khai_ly_lich_tu_phap"),
    (r"^phu luc i\s*-\s*[1-4il]\b", "giay_de_nghi_dk_doanh_nghiep"),  # OCR: "I-l", "I-I"
    (r"^phu luc iii\s*-\s*[1il]\b", "giay_de_nghi_dk_ho_kinh_doanh"),
)
FORM_NUMBER_SCORE = 0.94
"""Above a generic heading ("GIẤY ĐỀ NGHỊ" whose second line OCR lost), below a full title."""
FORM_LINE_MAX = 40

# Fields of a drawing's title block (anywhere on the sheet): two of them make a drawing sheet.
TITLE_BLOCK: tuple[str, ...] = (
    r"^ten ban ve\b", r"\bty le\s*:?\s*1\s*[:/]\s*\d{2,4}\b",
    r"\bky hieu\s*:\s*[a-z]{1,3}\s*-\s*\d", r"\bto\s*:\s*\d{1,3}\s*/\s*\d{1,3}\b",
    r"^chu tri\b.*\bthiet ke\b")
TITLE_BLOCK_SCORE = 0.92

NATIONAL_HEADER: tuple[str, ...] = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc",
    "Socialist Republic of Viet Nam", "Independence - Freedom - Happiness")

SHEET_TITLES: dict[str, str] = {"Bìa hồ sơ": COVER, "Tờ phân cách": SEPARATOR}
"""sohoa's own sheets print these on top: a fallback for when their QR code is unreadable."""

CONTINUATION_HEADINGS: tuple[str, ...] = (
    "Lời chứng của công chứng viên", "Lời chứng của người thực hiện chứng thực",
    "Lời chứng thực", "Phần ghi của cơ quan đăng ký")
"""Headings that end a notarised or registered paper: never the start of a new document."""


@dataclass(frozen=True)
class RuleMatch:
    doc_type: str
    score: float
    """0–1: fuzzy similarity weighted by line position and case."""

    matched: str
    """The page's line(s) that matched, as printed."""

    part: bool = False
    """A later-page heading (drawing sheet, back of an ID card), not a document title."""


@dataclass(frozen=True)
class _Pattern:
    doc_type: str
    text: str
    part: bool = False
    weight: float = 1.0


@dataclass(frozen=True)
class _Candidate:
    text: str
    printed: str
    rank: int
    upper: float


def _patterns() -> tuple[_Pattern, ...]:
    titles = [_Pattern(t, fold(s)) for t, names in TITLES.items() for s in names]
    parts = [_Pattern(t, fold(s), part=True, weight=0.97)
             for t, names in PARTS.items() for s in names]
    generic = [_Pattern(KHAC, fold(s), weight=GENERIC_WEIGHT) for s in GENERIC_HEADINGS]
    return tuple(dict.fromkeys(titles + parts + generic))


_PATTERNS = _patterns()
_PART_PATTERNS = tuple(p for p in _PATTERNS if p.part)
_HEADER = tuple(fold(h) for h in NATIONAL_HEADER)
_CONTINUATION = tuple(fold(h) for h in CONTINUATION_HEADINGS)
_SHEETS = tuple((fold(t), code) for t, code in SHEET_TITLES.items())
_FORMS = tuple((re.compile(rx), t) for rx, t in FORM_NUMBERS)
_TITLE_BLOCK = tuple(re.compile(rx) for rx in TITLE_BLOCK)
_PARENTHESES = re.compile(r"\([^)]*\)?")
_STRAY = " .,;:'\"`~-_|*"
"""Specks OCR reads around a title line."""


def match_title(text: str) -> RuleMatch | None:
    """The confident title match of a page, or None (no title, or two types too close)."""
    return pick(rank_titles(text))


def pick(ranked: list[RuleMatch]) -> RuleMatch | None:
    """The confident match among :func:`rank_titles`' answer: good enough and clearly ahead.
    Types within the margin of each other are a tie unless one matched a longer stretch that
    contains the others' lines: a wrapped title "GIẤY CHỨNG NHẬN / QUYỀN SỬ DỤNG ĐẤT" beats
    the generic heading of its first line."""
    if not ranked or ranked[0].score < THRESHOLD:
        return None
    close = [m for m in ranked if ranked[0].score - m.score < MARGIN]
    for match in sorted(close, key=lambda m: len(m.matched), reverse=True):
        if all(m is match or (m.matched in match.matched and m.matched != match.matched)
               for m in close):
            return match
    return None


def rank_titles(text: str) -> list[RuleMatch]:
    """The best match per document type, best first (for reasons and diagnostics)."""
    best: dict[str, RuleMatch] = {}
    for match in _all_matches(text):
        if match.doc_type not in best or match.score > best[match.doc_type].score:
            best[match.doc_type] = match
    return sorted(best.values(), key=lambda m: (m.score, len(m.matched)), reverse=True)


def title_patterns(titles: Iterator[tuple[str, str]] | list[tuple[str, str]]
                   ) -> tuple[_Pattern, ...]:
    """(document type, printed title) pairs folded for :func:`rank_patterns` — the titles of
    a procedure's checklist items, built once per procedure."""
    return tuple(dict.fromkeys(_Pattern(doc_type, fold(_PARENTHESES.sub(" ", title)).strip(
        _STRAY)) for doc_type, title in titles if len(fold(title).strip()) >= 4))


def rank_patterns(text: str, patterns: tuple[_Pattern, ...]) -> list[RuleMatch]:
    """The best match per document type among ``patterns``, best first: the page's title
    lines (one to three joined, near the top, national header removed) against the titles,
    scored exactly as the built-in titles are."""
    if not patterns:
        return []
    head = _clean_lines(text)[:HEAD_LINES]
    windows = list(_windows(head))
    weights = [_position_weight(c.rank) * _shape_weight(c) for c in windows]
    best: dict[str, RuleMatch] = {}
    for match in _scored(windows, weights, patterns):
        if match.doc_type not in best or match.score > best[match.doc_type].score:
            best[match.doc_type] = match
    return sorted(best.values(), key=lambda m: (m.score, len(m.matched)), reverse=True)


def pick_for(ranked: list[RuleMatch], accepted: frozenset[str]) -> RuleMatch | None:
    """:func:`pick`, knowing the procedure: when two types are too close to call, or just
    under the threshold, the one the procedure's checklist asks for wins over those it does
    not ("GIẤY ĐỀ NGHỊ ĐĂNG KÝ DOANH NGHIỆP" 80 % vs the household business form 78 %, in a
    company registration)."""
    chosen = pick(ranked)
    if chosen is not None or not ranked or not accepted:
        return chosen
    wanted = [m for m in ranked if m.doc_type in accepted and not m.part]
    if not wanted:
        return None
    best = wanted[0]
    if best.score < PRIOR_THRESHOLD or ranked[0].score - best.score >= MARGIN:
        return None
    rivals = [m for m in ranked if m is not best and m.doc_type in accepted
              and best.score - m.score < MARGIN]
    return None if rivals else best


def has_national_header(text: str) -> bool:
    """The page carries "Cộng hòa xã hội chủ nghĩa Việt Nam": the first page of a paper."""
    return any(_header_span(fold(line), h) for line in _head_lines(text) for h in _HEADER)


def sheet_title(text: str) -> str | None:
    """COVER or SEPARATOR when one of sohoa's sheet titles heads the page, else None."""
    for line in _head_lines(text)[:3]:
        folded = fold(line).strip(_STRAY)
        for title, code in _SHEETS:
            if fuzz.ratio(folded, title) >= 90:
                return code
    return None


def is_continuation_heading(text: str) -> bool:
    """A notary's or registrar's closing part heads the page: it continues a document."""
    lines = [fold(line) for line in _head_lines(text)[:3]]
    return any(fuzz.ratio(line, h) >= 88 for line in lines for h in _CONTINUATION)


def _all_matches(text: str) -> Iterator[RuleMatch]:
    lines = _clean_lines(text)
    head = lines[:HEAD_LINES]
    windows = list(_windows(head))
    weights = [_position_weight(c.rank) * _shape_weight(c) for c in windows]
    yield from _scored(windows, weights, _PATTERNS)
    tail = list(_halves(lines[HEAD_LINES:], whole=True))  # drawings' title blocks: at the bottom
    yield from _scored(tail, [0.97 if c.upper >= 0.6 else 0.8 for c in tail], _PART_PATTERNS)
    blocks = [c for c in lines if any(rx.search(c.text) for rx in _TITLE_BLOCK)]
    if sum(any(rx.search(c.text) for c in blocks) for rx in _TITLE_BLOCK) >= 2:
        yield RuleMatch("ban_ve_thiet_ke", TITLE_BLOCK_SCORE, blocks[0].printed, part=True)
    for cand in head:
        if len(cand.text) <= FORM_LINE_MAX:
            for rx, doc_type in _FORMS:
                if rx.search(cand.text):
                    yield RuleMatch(doc_type, FORM_NUMBER_SCORE, cand.printed)


def _scored(cands: list[_Candidate], weights: list[float],
            patterns: tuple[_Pattern, ...]) -> Iterator[RuleMatch]:
    """Every (line, pattern) pair worth reporting, scored in one vectorised pass."""
    if not cands:
        return
    texts = [c.text for c in cands]
    pats = [p.text for p in patterns]
    whole = process.cdist(texts, pats, scorer=fuzz.ratio, workers=1) / 100
    inside = process.cdist(texts, pats, scorer=fuzz.partial_ratio, workers=1) / 100
    w = np.asarray(weights)[:, None] * np.asarray([p.weight for p in patterns])
    for i, j in zip(*np.nonzero(np.maximum(whole, inside) * w >= 0.6), strict=True):
        score = _similarity(texts[i], pats[j], whole[i, j], inside[i, j]) * w[i, j]
        if score >= 0.6:
            yield RuleMatch(patterns[j].doc_type, round(float(score), 4), cands[i].printed,
                            patterns[j].part)


def _similarity(cand: str, pattern: str, whole: float, inside: float) -> float:
    """Whole-line similarity, or the pattern found inside a longer line at a cost for the
    extra words — heavier when the pattern is not at the start (a mention in a sentence)."""
    if len(cand) < len(pattern):
        return max(whole, _truncated(cand, pattern))
    if len(cand) <= len(pattern) * 1.1 or len(pattern) < 12 or inside <= whole:
        return whole
    found = fuzz.partial_ratio_alignment(pattern, cand)
    if found is None:
        return whole
    extra = (len(cand) - len(pattern)) / len(cand)
    penalty = (0.2 if found.dest_start <= 2 else 0.5) * extra
    return max(whole, inside * (1 - penalty))


def _truncated(cand: str, pattern: str) -> float:
    """A title cut short (the line finder or OCR lost its end): most of the pattern, from
    its start. Below 80% coverage two types' titles can share the prefix, so it counts not."""
    coverage = len(cand) / len(pattern)
    if coverage < TRUNCATED_COVERAGE:
        return 0.0
    return fuzz.ratio(cand, pattern[:len(cand)]) / 100 * (0.8 + 0.2 * coverage)


def _shape_weight(cand: _Candidate) -> float:
    """Titles are uppercase and never end a sentence; a body line that happens to hold a
    paper's name ("... được cấp / Giấy chứng nhận đăng ký doanh nghiệp.") is neither."""
    if cand.upper >= 0.6:
        return 1.0  # OCR adds stray dots and commas after uppercase titles: no evidence
    return 0.84 if cand.printed.rstrip().endswith((".", ";", ",")) else 0.9


def _position_weight(rank: int) -> float:
    """Titles are within the first lines under the headers; lower lines count less."""
    return 1.0 if rank <= 6 else max(0.8, 1.0 - 0.015 * (rank - 6))


def _head_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _clean_lines(text: str) -> list[_Candidate]:
    """Folded lines without the national header and parenthesised notes ("(Dùng cho ...)"),
    and without lines of stray marks: OCR can read one between the two lines of a wrapped
    title ("CÔNG VĂN … CHẤM" / "+ ^ 3 2 >" / "DỨT HOẠT ĐỘNG …"), and no window would hold the
    whole title. A short real line ("KỀ", the end of a wrapped title) is kept."""
    out: list[_Candidate] = []
    for printed in _head_lines(text):
        folded = fold(_PARENTHESES.sub(" ", printed)).strip(_STRAY)
        for h in _HEADER:
            span = _header_span(folded, h)
            if span:
                folded = f"{folded[:span[0]]} {folded[span[1]:]}".strip()
        if sum(c.isalnum() for c in folded) >= 2 and not garbled(printed):
            out.append(_Candidate(folded, printed, len(out), uppercase_share(printed)))
    return out


def _header_span(line: str, header: str) -> tuple[int, int] | None:
    if len(line) < 0.8 * len(header):
        return None
    found = fuzz.partial_ratio_alignment(header, line)
    if found is None or found.score < 85 or found.dest_end - found.dest_start < 0.8 * len(header):
        return None
    return found.dest_start, found.dest_end


def _windows(lines: list[_Candidate]) -> Iterator[_Candidate]:
    """Each line, and two or three consecutive lines joined: long titles wrap."""
    yield from _halves(lines)
    for i, first in enumerate(lines):
        for size in (1, 2, 3):
            group = lines[i:i + size]
            if len(group) < size:
                break
            text = " ".join(c.text for c in group)
            printed = " / ".join(c.printed for c in group)
            upper = min(c.upper for c in group)
            yield _Candidate(text, printed, first.rank, upper)


def _halves(lines: list[_Candidate], whole: bool = False) -> Iterator[_Candidate]:
    """Each side of a bilingual line ("Đặc điểm nhân dạng / Personal identification"), plus
    the whole line when asked."""
    for line in lines:
        if whole:
            yield line
        if " / " in line.text:
            for side in line.text.split(" / "):
                if sum(c.isalnum() for c in side) >= 3:
                    yield _Candidate(side.strip(), line.printed, line.rank, line.upper)


# --- keyword cues for pages without a title -------------------------------------------------

FORM_TERMS: tuple[str, ...] = (
    "họ, chữ đệm, tên", "họ và tên", "họ tên", "ngày, tháng, năm sinh", "ngày sinh",
    "giới tính", "dân tộc", "quốc tịch", "nơi cư trú", "thường trú", "số định danh",
    "ngày cấp", "nơi cấp", "địa chỉ", "điện thoại", "ký, ghi rõ họ tên", "ghi rõ họ",
    "cam đoan", "chịu trách nhiệm", "theo quy định", "đề nghị", "kính gửi", "căn cước",
    "thửa đất", "tờ bản đồ", "diện tích", "mục đích sử dụng", "mã số", "vốn điều lệ",
    "ngành nghề", "trụ sở", "người đại diện", "ủy quyền", "hồ sơ", "giấy tờ kèm theo",
    "bên chuyển nhượng", "bên nhận", "chủ sở hữu", "thành viên", "xác nhận", "chữ ký",
    "công trình", "cơ sở", "thời hạn", "lệ phí", "giấy phép")
"""Phrases of administrative papers: several on a page without a title say it is the body of
a form, not a news article or a private letter."""

SIGNATURE_ROLES: tuple[str, ...] = (
    "người yêu cầu", "người khai", "người làm đơn", "người đề nghị", "người ủy quyền",
    "người được ủy quyền", "người làm chứng", "đại diện", "xác nhận của", "bên a", "bên b",
    "bên chuyển nhượng", "bên nhận chuyển nhượng", "tm.", "kt.", "chủ hộ", "chủ sở hữu",
    "giám đốc", "thủ trưởng", "công chứng viên", "cán bộ", "chủ tịch", "trưởng phòng")
"""How signature blocks begin: at the top of a page they end the previous paper."""

_FORM_TERMS = tuple(re.compile(rf"(?<!\w){re.escape(t)}(?!\w)")
                    for t in dict.fromkeys(fold(t) for t in FORM_TERMS))
_ROLES = re.compile("|".join(rf"{re.escape(fold(r))}(?!\w)" for r in SIGNATURE_ROLES))


def form_term_hits(text: str) -> int:
    """How many distinct administrative phrases the page contains."""
    folded = fold(text)
    return sum(bool(term.search(folded)) for term in _FORM_TERMS)


_RECIPIENTS = re.compile(r"^noi nhan\s*[:;.]?")


def closes_paper(text: str) -> bool:
    """The page carries the "Nơi nhận:" block (the recipients, bottom left, Decree 30/2020)
    that ends every official paper: with no title of its own, it is the last page of the
    paper before — a letter's closing sentence and its recipients, overleaf."""
    return any(_RECIPIENTS.match(fold(line)) for line in _head_lines(text))


def opens_with_signature(text: str) -> bool:
    """A signature block heads the page: the last page of a paper whose body came before."""
    lines = [fold(line) for line in _head_lines(text)[:3]]
    return any(_ROLES.match(line) for line in lines)


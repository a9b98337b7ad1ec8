"""The demo's figures and names: the seed's numbers, agencies, course titles, people.

Plain data; `demo.build` turns it into records. The figures are those of seed 000 (section 2).
"""

import datetime

from cadres.models import Locality, Rank

SEED = 20151116  # the date of Decision 2007/QĐ-TTg
MARKER_COURSE = "QD2007-2016-01"  # its presence means the demo is loaded
MERGER = datetime.date(2025, 7, 1)
CENTRAL = ("current", Locality.CENTRAL_CODE)

LD, VU, PVU, CP, CV, KHAC = (
    Rank.LEADERSHIP,
    Rank.DIRECTOR,
    Rank.DEPUTY_DIRECTOR,
    Rank.DIVISION,
    Rank.OFFICER,
    Rank.OTHER,
)

# --- The seed's figures -------------------------------------------------------------------

QD2007_BY_RANK = {VU: 540, PVU: 900, CP: 1800, CV: 5760}
# The seed gives 21 courses in 2017, 12 in 2019 and 59 in 2020 (92), and an average of 85 per
# course for 9,000 participant-times: 9,000 / 85 = 105.9, so 106 courses (average 84.9). The
# 14 courses the seed does not place are split evenly between 2016 (the first year) and 2018.
QD2007_COURSES_BY_YEAR = {2016: 7, 2017: 21, 2018: 7, 2019: 12, 2020: 59}

QD137_TOTAL = 26376
# 213 courses over 2007-2010; the seed gives no yearly split, so a plausible one.
QD137_COURSES_BY_YEAR = {2007: 45, 2008: 56, 2009: 56, 2010: 56}
# Besides civil servants the school trained enterprise managers and lecturers (KHAC).
QD137_RANK_SHARES = {VU: 4, PVU: 8, CP: 26, CV: 54, KHAC: 8}

QD247_2019_TOTAL = 8534
QD247_2019_HOME = {
    "KY_NANG": 33,
    "TAP_HUAN": 2,
    "CAP_NHAT": 6,
    "HOI_THAO": 15,
    "BIEN_PHIEN_DICH": 5,
}
QD247_2019_ABROAD = ["Singapore", "Nhật Bản", "Bỉ"]
LOCAL_RANK_SHARES = {LD: 3, VU: 9, PVU: 14, CP: 26, CV: 48}
# A few QD247-2016 courses of the other years (none in 2019 besides the 64 above).
QD247_OTHER_YEARS = {
    2017: ["BIEN_PHIEN_DICH", "KY_NANG", "CAP_NHAT"],
    2018: ["BIEN_PHIEN_DICH", "KY_NANG", "KY_NANG", "HOI_THAO"],
    2020: ["BIEN_PHIEN_DICH", "BIEN_PHIEN_DICH", "CAP_NHAT", "KY_NANG", "HOI_THAO"],
}

# --- Agencies -----------------------------------------------------------------------------

# code, name, short name, email domain, departments (the first word gives the titles).
CENTRAL_AGENCIES = [
    ("BNG", "Bộ Ngoại giao", "Bộ Ngoại giao", "mofa.gov.vn",
     ["Vụ ASEAN", "Vụ Hợp tác kinh tế đa phương", "Vụ Luật pháp và Điều ước quốc tế",
      "Cục Lãnh sự", "Cục Lễ tân Nhà nước", "Vụ Thông tin Báo chí"]),
    ("HVNG", "Học viện Ngoại giao", "Học viện Ngoại giao", "dav.edu.vn",
     ["Khoa Chính trị quốc tế và Ngoại giao Việt Nam", "Khoa Luật quốc tế",
      "Trung tâm Đào tạo, Bồi dưỡng cán bộ đối ngoại"]),
    ("BCT", "Bộ Công Thương", "Bộ Công Thương", "moit.gov.vn",
     ["Vụ Chính sách thương mại đa biên", "Cục Phòng vệ thương mại",
      "Vụ Thị trường châu Âu - châu Mỹ", "Cục Xuất nhập khẩu"]),
    ("TDTBDCBCT", "Trường Đào tạo, bồi dưỡng cán bộ Công Thương Trung ương",
     "Trường ĐTBD cán bộ Công Thương TW", "moit.gov.vn", ["Khoa Kinh tế quốc tế"]),
    ("BTP", "Bộ Tư pháp", "Bộ Tư pháp", "moj.gov.vn",
     ["Vụ Pháp luật quốc tế", "Vụ Hợp tác quốc tế"]),
    ("BTC", "Bộ Tài chính", "Bộ Tài chính", "mof.gov.vn",
     ["Vụ Hợp tác quốc tế", "Cục Quản lý nợ và Kinh tế đối ngoại"]),
    ("BNV", "Bộ Nội vụ", "Bộ Nội vụ", "moha.gov.vn",
     ["Vụ Hợp tác quốc tế", "Vụ Đào tạo, bồi dưỡng cán bộ, công chức, viên chức"]),
    ("VPCP", "Văn phòng Chính phủ", "Văn phòng Chính phủ", "chinhphu.vn",
     ["Vụ Quan hệ quốc tế", "Vụ Tổng hợp"]),
    ("NHNN", "Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước", "sbv.gov.vn",
     ["Vụ Hợp tác quốc tế"]),
]  # fmt: skip

# Current units with a Sở Ngoại vụ in the demo, and the e-mail domain of their government.
LOCAL_UNITS = {
    "01": "hanoi.gov.vn",
    "31": "haiphong.gov.vn",
    "22": "quangninh.gov.vn",
    "15": "laocai.gov.vn",
    "40": "nghean.gov.vn",
    "46": "hue.gov.vn",
    "48": "danang.gov.vn",
    "56": "khanhhoa.gov.vn",
    "52": "gialai.gov.vn",
    "79": "hochiminhcity.gov.vn",
    "92": "cantho.gov.vn",
    "91": "angiang.gov.vn",
}
LOCAL_DIVISIONS = ["Lãnh sự", "Hợp tác quốc tế", "Lễ tân", "Quản lý biên giới",
                   "Người Việt Nam ở nước ngoài", "Thông tin đối ngoại"]  # fmt: skip

# --- Course titles by type ------------------------------------------------------------------

QD2007_TITLES = [
    ("KIEN_THUC", "Bồi dưỡng kiến thức về hội nhập quốc tế cho công chức, viên chức các bộ, ngành"),
    ("KIEN_THUC", "Luật pháp quốc tế và giải quyết tranh chấp quốc tế"),
    ("KIEN_THUC", "Giải quyết tranh chấp ở Biển Đông và bảo vệ chủ quyền biển đảo của Việt Nam"),
    ("KIEN_THUC", "Ngoại giao đa phương và vai trò của Việt Nam tại Liên hợp quốc"),
    ("KY_NANG", "Bồi dưỡng kỹ năng đối ngoại"),
    ("KY_NANG", "Kỹ năng đàm phán quốc tế"),
    ("KY_NANG", "Lễ tân đối ngoại và tổ chức hội nghị quốc tế"),
    ("KY_NANG", "Kỹ năng soạn thảo văn bản đối ngoại"),
    ("CAP_NHAT", "Cập nhật tình hình chính trị quốc tế và chính sách đối ngoại của Việt Nam"),
    ("CAP_NHAT", "Các hiệp định thương mại tự do thế hệ mới: CPTPP và EVFTA"),
    ("GIANG_VIEN", "Bồi dưỡng giảng viên về hội nhập quốc tế"),
    ("NGOAI_NGU", "Tiếng Anh chuyên ngành đối ngoại"),
    ("HOI_THAO", "Tọa đàm về công tác hội nhập quốc tế của các bộ, ngành, địa phương"),
]
QD137_TITLES = [
    ("KIEN_THUC", "Bồi dưỡng nâng cao kiến thức hội nhập kinh tế quốc tế"),
    ("KIEN_THUC", "Cam kết gia nhập WTO của Việt Nam và những vấn đề đặt ra"),
    ("KIEN_THUC", "Chống bán phá giá, chống trợ cấp và tự vệ thương mại"),
    ("KIEN_THUC", "Quy tắc xuất xứ hàng hóa trong các hiệp định thương mại"),
    ("KIEN_THUC", "Hàng rào kỹ thuật trong thương mại (TBT) và biện pháp vệ sinh dịch tễ (SPS)"),
    ("KIEN_THUC", "Sở hữu trí tuệ trong khuôn khổ WTO (TRIPS)"),
    ("KIEN_THUC", "Khu vực mậu dịch tự do ASEAN (AFTA) và các FTA của ASEAN"),
    ("KY_NANG", "Kỹ năng đàm phán thương mại quốc tế"),
    ("KY_NANG", "Giải quyết tranh chấp thương mại trong WTO"),
    ("HOI_THAO", "Hội thảo hội nhập kinh tế quốc tế cho cán bộ quản lý doanh nghiệp"),
]
LOCAL_TITLES = {
    "KY_NANG": [
        "Bồi dưỡng kỹ năng nghiệp vụ đối ngoại cho cán bộ địa phương",
        "Nghiệp vụ lễ tân đối ngoại",
        "Nghiệp vụ lãnh sự và bảo hộ công dân",
        "Kỹ năng thông tin đối ngoại",
        "Kỹ năng đàm phán và ký kết thỏa thuận quốc tế",
        "Công tác người Việt Nam ở nước ngoài",
        "Công tác biên giới lãnh thổ",
        "Ngoại giao kinh tế cho địa phương",
    ],
    "TAP_HUAN": ["Tập huấn thanh tra chuyên ngành ngoại vụ"],
    "CAP_NHAT": ["Cập nhật kiến thức về hội nhập quốc tế cho lãnh đạo địa phương"],
    "HOI_THAO": [
        "Hội thảo Hiệp định Thương mại tự do Việt Nam - EU (EVFTA)",
        "Tọa đàm Luật pháp quốc tế và thực tiễn",
        "Hội nghị chuyên đề Lãnh sự và bảo hộ công dân",
    ],
    "BIEN_PHIEN_DICH": ["Bồi dưỡng chuyên sâu kỹ năng biên, phiên dịch cao cấp tiếng Anh"],
    "NGOAI_NGU": ["Tiếng Anh đối ngoại nâng cao"],
    "KIEN_THUC": ["Khảo sát, học tập kinh nghiệm hội nhập quốc tế"],
}
QD1275_TYPES = ["KY_NANG", "KY_NANG", "CAP_NHAT", "NGOAI_NGU", "BIEN_PHIEN_DICH", "HOI_THAO"]
NQ26_TITLES = [
    ("CAP_NHAT", "Bồi dưỡng cao cấp về đối ngoại và hội nhập quốc tế cho cán bộ lãnh đạo, quản lý"),
    ("KY_NANG", "Năng lực làm việc trong môi trường quốc tế cho cán bộ lãnh đạo, quản lý"),
    ("NGOAI_NGU", "Tiếng Anh giao tiếp và đàm phán cho cán bộ lãnh đạo, quản lý"),
    ("KY_NANG", "Kỹ năng đàm phán quốc tế cho cán bộ lãnh đạo"),
]
# Years 2021-2026 of the named lists: (programme, year) -> number of courses.
NAMED_COURSES = {
    ("QD1275-2020", 2021): 4,
    ("QD1275-2020", 2022): 6,
    ("QD1275-2020", 2023): 6,
    ("QD1275-2020", 2024): 6,
    ("QD1275-2020", 2025): 6,
    ("NQ26-2018", 2021): 2,
    ("NQ26-2018", 2022): 2,
    ("NQ26-2018", 2023): 2,
    ("NQ26-2018", 2024): 2,
    ("NQ26-2018", 2025): 2,
    ("NQ26-2018", 2026): 3,
}

# --- People -------------------------------------------------------------------------------

SURNAMES = (["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2
            + ["Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
               "Lý", "Đinh", "Trịnh", "Mai", "Cao", "Lương", "Tạ"])  # fmt: skip
MIDDLE = {
    "M": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thành", "Công", "Tuấn", "Đình", "Trọng"],
    "F": ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Thùy", "Kim", "Bích"],
}
GIVEN = {
    "M": ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh",
          "Khoa", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài",
          "Thắng", "Thành", "Trung", "Tú", "Tuấn", "Việt", "Vinh", "Hưng", "Lâm"],
    "F": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền",
          "Lan", "Liên", "Linh", "Loan", "Mai", "Ngân", "Nga", "Ngọc", "Nhung", "Oanh",
          "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Thư", "Trâm"],
}  # fmt: skip
BIRTH_YEARS = {LD: (1964, 1975), VU: (1966, 1980), PVU: (1968, 1983), CP: (1972, 1988),
               CV: (1980, 1998)}  # fmt: skip
OTHER_LANGUAGES = ["fr", "zh", "ru", "ja", "ko", "de"]
NEXT_RANK_DOWN = {VU: PVU, PVU: CP, CP: CV}

"""Reference data every database needs: localities (34 current + 63 former + TW) and ranks.

The 34 current provincial units come from the vietnam-provinces package. The 63 former
provinces and their successors follow Resolution 202/2025/QH15 (in force 1-7-2025); the
table is data, kept here so that a new version of the package can never rewrite history.
"""

from django.db import migrations

# (former code, former name, successor's current code)
FORMER_PROVINCES = [
    ("01", "Thành phố Hà Nội", "01"),
    ("02", "Hà Giang", "08"),
    ("04", "Cao Bằng", "04"),
    ("06", "Bắc Kạn", "19"),
    ("08", "Tuyên Quang", "08"),
    ("10", "Lào Cai", "15"),
    ("11", "Điện Biên", "11"),
    ("12", "Lai Châu", "12"),
    ("14", "Sơn La", "14"),
    ("15", "Yên Bái", "15"),
    ("17", "Hòa Bình", "25"),
    ("19", "Thái Nguyên", "19"),
    ("20", "Lạng Sơn", "20"),
    ("22", "Quảng Ninh", "22"),
    ("24", "Bắc Giang", "24"),
    ("25", "Phú Thọ", "25"),
    ("26", "Vĩnh Phúc", "25"),
    ("27", "Bắc Ninh", "24"),
    ("30", "Hải Dương", "31"),
    ("31", "Thành phố Hải Phòng", "31"),
    ("33", "Hưng Yên", "33"),
    ("34", "Thái Bình", "33"),
    ("35", "Hà Nam", "37"),
    ("36", "Nam Định", "37"),
    ("37", "Ninh Bình", "37"),
    ("38", "Thanh Hóa", "38"),
    ("40", "Nghệ An", "40"),
    ("42", "Hà Tĩnh", "42"),
    ("44", "Quảng Bình", "44"),
    ("45", "Quảng Trị", "44"),
    ("46", "Thừa Thiên Huế", "46"),
    ("48", "Thành phố Đà Nẵng", "48"),
    ("49", "Quảng Nam", "48"),
    ("51", "Quảng Ngãi", "51"),
    ("52", "Bình Định", "52"),
    ("54", "Phú Yên", "66"),
    ("56", "Khánh Hòa", "56"),
    ("58", "Ninh Thuận", "56"),
    ("60", "Bình Thuận", "68"),
    ("62", "Kon Tum", "51"),
    ("64", "Gia Lai", "52"),
    ("66", "Đắk Lắk", "66"),
    ("67", "Đắk Nông", "68"),
    ("68", "Lâm Đồng", "68"),
    ("70", "Bình Phước", "75"),
    ("72", "Tây Ninh", "80"),
    ("74", "Bình Dương", "79"),
    ("75", "Đồng Nai", "75"),
    ("77", "Bà Rịa - Vũng Tàu", "79"),
    ("79", "Thành phố Hồ Chí Minh", "79"),
    ("80", "Long An", "80"),
    ("82", "Tiền Giang", "82"),
    ("83", "Bến Tre", "86"),
    ("84", "Trà Vinh", "86"),
    ("86", "Vĩnh Long", "86"),
    ("87", "Đồng Tháp", "82"),
    ("89", "An Giang", "91"),
    ("91", "Kiên Giang", "91"),
    ("92", "Thành phố Cần Thơ", "92"),
    ("93", "Hậu Giang", "92"),
    ("94", "Sóc Trăng", "92"),
    ("95", "Bạc Liêu", "96"),
    ("96", "Cà Mau", "96"),
]

LOCALITY_ALIASES = {
    ("current", "79"): "TP HCM\nHCM\nTP.HCM\nSài Gòn\nHồ Chí Minh",
    ("former", "79"): "TP HCM\nHCM\nTP.HCM\nSài Gòn\nHồ Chí Minh",
    ("current", "01"): "HN\nTP Hà Nội",
    ("former", "01"): "HN\nTP Hà Nội",
    ("current", "46"): "Thừa Thiên Huế\nThừa Thiên - Huế\nTT Huế",
    ("former", "46"): "Huế\nThừa Thiên - Huế\nTT Huế",
    ("former", "77"): "Bà Rịa Vũng Tàu\nBR-VT\nVũng Tàu",
    ("current", "66"): "Đắc Lắc\nDak Lak",
    ("former", "66"): "Đắc Lắc\nDak Lak",
    ("former", "67"): "Đắc Nông\nDak Nong",
    ("current", "38"): "Thanh Hoá",
    ("former", "38"): "Thanh Hoá",
    ("current", "56"): "Khánh Hoà",
    ("former", "56"): "Khánh Hoà",
    ("former", "17"): "Hoà Bình",
    ("former", "06"): "Bắc Cạn",
}

CENTRAL_ALIASES = "Trung ương\nTrung uong\nCentral\nCấp Trung ương"

RANKS = [
    (
        "LANH_DAO_BO_TINH",
        "Lãnh đạo Bộ, ngành, tỉnh",
        10,
        True,
        "Lãnh đạo Bộ\nLãnh đạo tỉnh\nLãnh đạo Bộ ngành tỉnh\nBộ trưởng\nThứ trưởng\n"
        "Chủ nhiệm\nPhó Chủ nhiệm\nChủ tịch UBND\nPhó Chủ tịch UBND\nChủ tịch\nPhó Chủ tịch\n"
        "Bí thư\nPhó Bí thư\nTổng cục trưởng\nLeadership",
    ),
    (
        "VU_TRUONG",
        "Vụ trưởng, Giám đốc Sở và tương đương",
        20,
        True,
        "Vụ trưởng\nGiám đốc Sở\nGiám đốc\nCục trưởng\nViện trưởng\nChánh Văn phòng\n"
        "Trưởng ban\nHiệu trưởng\nVT\nGĐ\nDirector\nDirector General",
    ),
    (
        "PHO_VU_TRUONG",
        "Phó Vụ trưởng, Phó Giám đốc Sở và tương đương",
        30,
        True,
        "Phó Vụ trưởng\nP. Vụ trưởng\nP.Vụ trưởng\nPhó Giám đốc Sở\nPhó Giám đốc\nP. Giám đốc\n"
        "PGĐ\nPhó Cục trưởng\nPhó Viện trưởng\nPhó Chánh Văn phòng\nPhó Trưởng ban\n"
        "Phó Hiệu trưởng\nPVT\nDeputy Director\nDeputy Director General",
    ),
    (
        "CAP_PHONG",
        "Cấp phòng (Trưởng phòng, Phó Trưởng phòng)",
        40,
        True,
        "Cấp phòng\nTrưởng phòng\nPhó Trưởng phòng\nPhó phòng\nP. Trưởng phòng\n"
        "Trưởng phòng và tương đương\nTP\nPTP\nHead of Division\nDeputy Head of Division",
    ),
    (
        "CHUYEN_VIEN",
        "Chuyên viên",
        50,
        False,
        "Chuyên viên\nChuyên viên chính\nChuyên viên cao cấp\nCV\nCVC\nCVCC\nCán bộ\n"
        "Công chức\nViên chức\nNhân viên\nThư ký\nTùy viên\nOfficer\nDesk Officer",
    ),
    ("KHAC", "Khác", 90, False, "Khác\nOther"),
]


def load(apps, schema_editor):
    from vietnam_provinces import Province

    Locality = apps.get_model("cadres", "Locality")
    Rank = apps.get_model("cadres", "Rank")

    current = {}
    for province in Province.iter_all():
        code = f"{province.code.value:02d}"
        current[code] = Locality.objects.create(
            code=code,
            era="current",
            name=province.name,
            division_type=province.division_type.value,
            aliases=LOCALITY_ALIASES.get(("current", code), ""),
        )
    for code, name, successor in FORMER_PROVINCES:
        Locality.objects.create(
            code=code,
            era="former",
            name=name,
            division_type="thành phố trung ương" if name.startswith("Thành phố") else "tỉnh",
            aliases=LOCALITY_ALIASES.get(("former", code), ""),
            successor=current[successor],
        )
    Locality.objects.create(
        code="TW",
        era="current",
        name="Trung ương",
        division_type="trung ương",
        aliases=CENTRAL_ALIASES,
    )
    for code, name, order, is_leader, aliases in RANKS:
        Rank.objects.create(code=code, name=name, order=order, is_leader=is_leader, aliases=aliases)


def unload(apps, schema_editor):
    apps.get_model("cadres", "Rank").objects.all().delete()
    Locality = apps.get_model("cadres", "Locality")
    Locality.objects.filter(era="former").delete()
    Locality.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

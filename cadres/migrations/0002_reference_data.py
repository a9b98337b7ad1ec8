"""Reference data every database needs: localities (34 current + 63 former + TW) and ranks.

The localities are data files shipped beside the app (`cadres/data/`, sources and dates in
its README): the 34 current provincial units and the 63 former provinces with their
successor (Resolution 202/2025/QH15, in force 1-7-2025). No package is read here, so a new
version of a package can never change what this migration writes.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def read_rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


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
    Locality = apps.get_model("cadres", "Locality")
    Rank = apps.get_model("cadres", "Rank")

    current = {}
    for row in read_rows("current_units.csv"):
        code = row["code"]
        current[code] = Locality.objects.create(
            code=code,
            era="current",
            name=row["name"],
            division_type=row["division_type"],
            aliases=LOCALITY_ALIASES.get(("current", code), ""),
        )
    for row in read_rows("former_provinces.csv"):
        code, name, successor = row["code"], row["name"], row["successor_code"]
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

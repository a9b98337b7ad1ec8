"""Reference data: course types, the lead agencies, and the programmes of docs/CONTRACT.md with the
targets their sources state, each quoting the sentence it comes from."""

import datetime

from django.db import migrations

COURSE_TYPES = [
    ("KIEN_THUC", "Bồi dưỡng kiến thức", 10, "Kiến thức\nKnowledge"),
    ("KY_NANG", "Bồi dưỡng kỹ năng", 20, "Kỹ năng\nKỹ năng nghiệp vụ\nSkills"),
    ("GIANG_VIEN", "Bồi dưỡng giảng viên", 30, "Giảng viên\nTrainers\nTOT"),
    ("CAP_NHAT", "Cập nhật kiến thức", 40, "Cập nhật\nKnowledge update\nUpdate"),
    ("TAP_HUAN", "Tập huấn", 50, "Lớp tập huấn\nTraining workshop\nWorkshop"),
    ("HOI_THAO", "Hội thảo, tọa đàm", 60, "Hội thảo\nTọa đàm\nHội nghị\nSeminar"),
    ("NGOAI_NGU", "Ngoại ngữ", 70, "Tiếng Anh\nLanguage\nForeign language"),
    (
        "BIEN_PHIEN_DICH",
        "Biên, phiên dịch",
        80,
        "Biên phiên dịch\nPhiên dịch\nBiên dịch\nInterpreting\nTranslation",
    ),
]

AGENCIES = [
    ("BNG", "Bộ Ngoại giao", "Bộ Ngoại giao"),
    ("HVNG", "Học viện Ngoại giao", "Học viện Ngoại giao"),
    ("BCT", "Bộ Công Thương", "Bộ Công Thương"),
    (
        "TDTBDCBCT",
        "Trường Đào tạo, bồi dưỡng cán bộ Công Thương Trung ương",
        "Trường ĐTBD cán bộ Công Thương TW",
    ),
]

SEED_2375 = (
    "Từ năm 2011 đến năm 2015, triển khai “Đề án bồi dưỡng nghiệp vụ đối ngoại, ngoại ngữ và "
    "biên, phiên dịch cho công chức ngoại vụ địa phương”, đã có 80% công chức được trang bị "
    "kiến thức, nghiệp vụ đối thoại (lãnh sự, lễ tân, thông tin báo chí, đàm phán, vận động "
    "người Việt Nam ở nước ngoài, công tác biên giới lãnh thổ, văn hóa đối thoại, kinh tế đối "
    "ngoại); 50% công chức có kỹ năng tiếng Anh thực hành thành thạo."
)

# code, name, legal number, legal date, issuer, first, last, lead agency, description, targets
PROGRAMMES = [
    (
        "QD137-2003",
        "Kế hoạch đào tạo, bồi dưỡng nguồn nhân lực cho công tác hội nhập kinh tế quốc tế "
        "giai đoạn 2003-2010",
        "137/2003/QĐ-TTg",
        None,
        "Thủ tướng Chính phủ",
        2003,
        2010,
        "TDTBDCBCT",
        "Kết quả giai đoạn 2 (2007-2010): Trường Đào tạo, bồi dưỡng cán bộ Công Thương Trung "
        "ương đã tổ chức được 213 khóa với 26.376 lượt người tham gia.",
        [],
    ),
    (
        "QD2375-2010",
        "Đề án bồi dưỡng nghiệp vụ đối ngoại, ngoại ngữ và biên, phiên dịch cho công chức "
        "ngoại vụ địa phương giai đoạn 2011-2015",
        "2375/QĐ-TTg",
        None,
        "Thủ tướng Chính phủ",
        2011,
        2015,
        "BNG",
        "",
        [
            dict(
                code="LOCAL_TRAINED_80",
                label="80% công chức ngoại vụ địa phương được trang bị kiến thức, nghiệp vụ "
                "đối ngoại",
                metric="coverage_pct",
                value_min=80,
                level="local",
                source_quote=SEED_2375,
            ),
            dict(
                code="PRACTICAL_ENGLISH_50",
                label="50% công chức ngoại vụ địa phương có kỹ năng tiếng Anh thực hành "
                "thành thạo (bậc 4 trở lên)",
                metric="qualified_pct",
                value_min=50,
                level="local",
                language="en",
                language_level=4,
                source_quote=SEED_2375,
            ),
            dict(
                code="INTERPRETERS_PER_PROVINCE",
                label="Mỗi tỉnh, thành phố có 1-2 công chức được bồi dưỡng chuyên sâu về "
                "biên, phiên dịch tiếng Anh",
                metric="per_locality_min",
                value_min=1,
                value_max=2,
                level="local",
                course_types=["BIEN_PHIEN_DICH"],
                source_quote="Đề án bồi dưỡng nghiệp vụ đối ngoại, ngoại ngữ và biên, phiên "
                "dịch cho công chức ngoại vụ địa phương (QĐ 2375/QĐ-TTg): mỗi tỉnh, thành phố "
                "có 1-2 công chức được đào tạo chuyên sâu về biên, phiên dịch tiếng Anh.",
            ),
        ],
    ),
    (
        "QD2007-2015",
        "Đề án Bồi dưỡng kiến thức và kỹ năng cho công chức viên chức làm công tác hội nhập "
        "quốc tế giai đoạn 2016-2020",
        "2007/QĐ-TTg",
        datetime.date(2015, 11, 16),
        "Thủ tướng Chính phủ",
        2016,
        2020,
        "BNG",
        "Bộ Ngoại giao (qua Học viện Ngoại giao) chủ trì phối hợp với các bộ, ngành liên quan "
        "xây dựng và triển khai tổ chức các khóa bồi dưỡng kiến thức và kỹ năng phục vụ hội "
        "nhập quốc tế. Các bộ, ngành, địa phương lập kế hoạch và dự toán hằng năm (Điều 2).",
        [
            dict(
                code="MAJORITY_TRAINED",
                label="Phần lớn (trên 50%) công chức, viên chức làm công tác hội nhập quốc tế "
                "ở bộ, ngành và địa phương được bồi dưỡng",
                metric="coverage_pct",
                value_min=50,
                source_quote="Mục tiêu chung của đề án là: Trong 5 năm (2016-2020), bồi dưỡng "
                "các kiến thức và kỹ năng cần thiết cho phần lớn đội ngũ CCVC làm công tác hội "
                "nhập quốc tế ở bộ, ngành và địa phương, góp phần hoàn thành nhiệm vụ hội nhập "
                "quốc tế mà Đảng và Nhà nước đã đề ra.",
            ),
        ],
    ),
    (
        "QD247-2016",
        "Đề án bồi dưỡng nghiệp vụ đối ngoại, ngoại ngữ cho công chức ngoại vụ địa phương "
        "giai đoạn 2016-2020",
        "247/QĐ-TTg",
        datetime.date(2016, 2, 16),
        "Thủ tướng Chính phủ",
        2016,
        2020,
        "BNG",
        "",
        [
            dict(
                code="INTERPRETERS_2_PER_PROVINCE",
                label="Mỗi tỉnh, thành phố có tối thiểu 2 CBCCVC được bồi dưỡng chuyên sâu về "
                "biên, phiên dịch cao cấp tiếng Anh",
                metric="per_locality_min",
                value_min=2,
                level="local",
                course_types=["BIEN_PHIEN_DICH"],
                source_quote="mỗi tỉnh, thành phố có tối thiểu 2 CBCCVC được bồi dưỡng chuyên "
                "sâu về kỹ năng biên, phiên dịch cao cấp tiếng Anh.",
            ),
            dict(
                code="LEADERS_LANGUAGE_90",
                label="90% lãnh đạo cơ quan ngoại vụ có trình độ ngoại ngữ đảm bảo yêu cầu "
                "công tác đối ngoại (bậc 4 trở lên)",
                metric="qualified_pct",
                value_min=90,
                level="local",
                ranks=["VU_TRUONG", "PHO_VU_TRUONG"],
                language="",
                language_level=4,
                source_quote="90% lãnh đạo các cơ quan ngoại vụ có trình độ ngoại ngữ đảm bảo "
                "yêu cầu công tác đối ngoại.",
            ),
            dict(
                code="LEADERS_UPDATED_100",
                label="100% lãnh đạo cơ quan ngoại vụ được cập nhật kiến thức về đối ngoại "
                "và hội nhập quốc tế",
                metric="coverage_pct",
                value_min=100,
                level="local",
                ranks=["VU_TRUONG", "PHO_VU_TRUONG"],
                source_quote="Hầu hết lãnh đạo cơ quan ngoại vụ hằng năm được trang bị, cập "
                "nhật kiến thức nâng cao về đối ngoại và hội nhập quốc tế.",
            ),
        ],
    ),
    (
        "QD1275-2020",
        "Đề án bồi dưỡng nghiệp vụ đối ngoại, ngoại ngữ cho công chức ngoại vụ địa phương "
        "giai đoạn 2021-2025",
        "1275/QĐ-TTg",
        datetime.date(2020, 8, 19),
        "Thủ tướng Chính phủ",
        2021,
        2025,
        "BNG",
        "Các chỉ tiêu của đề án cần được nhập từ văn bản Quyết định 1275/QĐ-TTg (các bài viết "
        "nguồn không nêu chỉ tiêu cụ thể).",
        [],
    ),
    (
        "NQ26-2018",
        "Nghị quyết 26-NQ/TW về tập trung xây dựng đội ngũ cán bộ các cấp, nhất là cấp chiến "
        "lược, đủ phẩm chất, năng lực và uy tín, ngang tầm nhiệm vụ",
        "26-NQ/TW",
        datetime.date(2018, 5, 19),
        "Ban Chấp hành Trung ương",
        2018,
        2030,
        None,
        "Khả năng làm việc trong môi trường quốc tế được đo bằng trình độ ngoại ngữ bậc 4 "
        "(B2) trở lên.",
        [
            dict(
                code="CENTRAL_LEADERS_INTL_50_60",
                label="50-60% cán bộ lãnh đạo, quản lý cấp tổng cục, cục, vụ, phòng ở Trung "
                "ương đủ khả năng làm việc trong môi trường quốc tế",
                metric="qualified_pct",
                value_min=50,
                value_max=60,
                level="central",
                ranks=["LANH_DAO_BO_TINH", "VU_TRUONG", "PHO_VU_TRUONG", "CAP_PHONG"],
                language="",
                language_level=4,
                source_quote="Đối với cán bộ lãnh đạo, quản lý cấp tổng cục, cục, vụ, phòng và "
                "tương đương ở Trung ương: từ 50-60% đủ khả năng làm việc trong môi trường "
                "quốc tế.",
            ),
            dict(
                code="LOCAL_LEADERS_INTL_25_35",
                label="25-35% cán bộ lãnh đạo, quản lý ở địa phương đủ khả năng làm việc trong "
                "môi trường quốc tế",
                metric="qualified_pct",
                value_min=25,
                value_max=35,
                level="local",
                ranks=["LANH_DAO_BO_TINH", "VU_TRUONG", "PHO_VU_TRUONG", "CAP_PHONG"],
                language="",
                language_level=4,
                source_quote="Đối với cán bộ lãnh đạo, quản lý ở địa phương: từ 25-35% đủ khả "
                "năng làm việc trong môi trường quốc tế.",
            ),
        ],
    ),
]


def load(apps, schema_editor):
    CourseType = apps.get_model("courses", "CourseType")
    Programme = apps.get_model("courses", "Programme")
    Target = apps.get_model("courses", "Target")
    Agency = apps.get_model("cadres", "Agency")
    Locality = apps.get_model("cadres", "Locality")
    Rank = apps.get_model("cadres", "Rank")

    types = {}
    for code, name, order, aliases in COURSE_TYPES:
        types[code] = CourseType.objects.create(code=code, name=name, order=order, aliases=aliases)
    central = Locality.objects.get(era="current", code="TW")
    agencies = {}
    for code, name, short in AGENCIES:
        agencies[code] = Agency.objects.create(
            code=code, name=name, short_name=short, level="central", locality=central
        )
    ranks = {rank.code: rank for rank in Rank.objects.all()}
    for code, name, number, date, issuer, first, last, lead, description, targets in PROGRAMMES:
        programme = Programme.objects.create(
            code=code,
            name=name,
            legal_number=number,
            legal_date=date,
            issuer=issuer,
            first_year=first,
            last_year=last,
            lead_agency=agencies.get(lead),
            description=description,
        )
        for order, spec in enumerate(targets, start=1):
            spec = dict(spec)
            rank_codes = spec.pop("ranks", [])
            type_codes = spec.pop("course_types", [])
            target = Target.objects.create(programme=programme, order=order, **spec)
            target.ranks.set([ranks[c] for c in rank_codes])
            target.course_types.set([types[c] for c in type_codes])


def unload(apps, schema_editor):
    for name in ("Target", "Programme", "CourseType"):
        apps.get_model("courses", name).objects.all().delete()
    apps.get_model("cadres", "Agency").objects.filter(
        code__in=[code for code, _, _ in AGENCIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial"), ("cadres", "0002_reference_data")]

    operations = [migrations.RunPython(load, unload)]

"""The default questionnaire (content, usefulness, lecturers, organisation, materials on 1-5
scales, and an open comment), for every course type without its own; and the permissions:
Administrators everything, Clerks the lecturers, links and results of their courses,
Managers the results."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEFAULT_NAME = "Phiếu đánh giá khóa bồi dưỡng"
QUESTIONS = [
    ("content", "scale", "Nội dung chương trình phù hợp, cập nhật, sát với yêu cầu công việc"),
    ("usefulness", "scale", "Kiến thức, kỹ năng thu được hữu ích cho công việc của anh/chị"),
    (
        "lecturers",
        "lecturer",
        "Giảng viên, báo cáo viên: kiến thức chuyên môn và phương pháp truyền đạt",
    ),
    ("organisation", "scale", "Công tác tổ chức, quản lý và phục vụ lớp học"),
    ("materials", "scale", "Tài liệu học tập đầy đủ, rõ ràng, dễ sử dụng"),
    ("comment", "text", "Ý kiến khác và đề xuất để khóa học tốt hơn"),
]
CLERK_CODENAMES = [
    "add_lecturer",
    "change_lecturer",
    "delete_lecturer",
    "view_lecturer",
    "add_evaluationwindow",
    "change_evaluationwindow",
    "view_evaluationwindow",
    "add_invitation",
    "view_invitation",
    "view_response",
    "view_questionnaire",
    "view_question",
]
MANAGER_CODENAMES = ["view_lecturer", "view_response", "view_questionnaire", "view_question"]


def forwards(apps, schema_editor):
    Questionnaire = apps.get_model("evaluations", "Questionnaire")
    Question = apps.get_model("evaluations", "Question")
    if not Questionnaire.objects.filter(course_type__isnull=True).exists():
        questionnaire = Questionnaire.objects.create(
            name=DEFAULT_NAME,
            introduction=(
                "Phiếu đánh giá không ghi tên. Xin anh/chị cho điểm từ 1 (rất không hài lòng) "
                "đến 5 (rất hài lòng)."
            ),
        )
        for order, (code, kind, text) in enumerate(QUESTIONS, start=1):
            Question.objects.create(
                questionnaire=questionnaire,
                order=order,
                code=code,
                kind=kind,
                text=text,
                required=kind != "text",
            )

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="evaluations")
    administrators, _ = Group.objects.get_or_create(name="Administrators")
    administrators.permissions.add(*mine)
    for group in Group.objects.filter(name="Clerks"):
        group.permissions.add(*mine.filter(codename__in=CLERK_CODENAMES))
    for group in Group.objects.filter(name="Managers"):
        group.permissions.add(*mine.filter(codename__in=MANAGER_CODENAMES))


def backwards(apps, schema_editor):
    apps.get_model("evaluations", "Questionnaire").objects.filter(
        course_type__isnull=True, name=DEFAULT_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("accounts", "0003_merge_permission"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

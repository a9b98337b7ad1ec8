"""Export resources of courses, enrolments and tallies, with the spreadsheet contract's
Vietnamese headers (DESIGN.md) so that an exported file can be imported again."""

from import_export import fields

from cadres.resources import (
    ExportResource,
    agency_value,
    date_field,
    number_field,
    text_field,
)

from .models import Course, Enrolment, ParticipantTally


class CourseExportResource(ExportResource):
    code = text_field("code", "Mã khóa")
    title = text_field("title", "Tên khóa")
    programme = text_field("programme__code", "Mã đề án")
    course_type = text_field("course_type__code", "Loại khóa")
    organiser = fields.Field(column_name="Đơn vị tổ chức")
    start_date = date_field("start_date", "Ngày bắt đầu")
    end_date = date_field("end_date", "Ngày kết thúc")
    locality = fields.Field(column_name="Tỉnh/thành")
    country = text_field("country", "Nước ngoài")
    mode = text_field("mode", "Hình thức")
    planned_participants = number_field("planned_participants", "Số học viên dự kiến")
    budget_planned = number_field("budget_planned", "Kinh phí dự toán")
    budget_spent = number_field("budget_spent", "Kinh phí thực hiện")

    select_related = ("programme", "course_type", "organiser", "locality")

    class Meta:
        model = Course
        fields = (
            "code",
            "title",
            "programme",
            "course_type",
            "organiser",
            "start_date",
            "end_date",
            "locality",
            "country",
            "mode",
            "planned_participants",
            "budget_planned",
            "budget_spent",
        )
        export_order = fields

    def dehydrate_organiser(self, course):
        return agency_value(course.organiser)


class EnrolmentExportResource(ExportResource):
    """One enrolment a row; rank, agency and locality as they were at the course."""

    course = text_field("course__code", "Mã khóa")
    full_name = text_field("cadre__full_name", "Họ và tên")
    birth_date = date_field("cadre__birth_date", "Ngày sinh")
    gender = text_field("cadre__gender", "Giới tính")
    id_number = text_field("cadre__id_number", "Số định danh")
    email = text_field("cadre__email", "Email")
    position = text_field("cadre__position", "Chức vụ")
    rank = text_field("rank__code", "Cấp")
    agency = fields.Field(column_name="Cơ quan")
    locality = fields.Field(column_name="Tỉnh/thành")
    status = text_field("status", "Kết quả")

    select_related = ("course", "cadre", "rank", "agency", "locality")
    personal_fields = ("birth_date", "id_number")

    class Meta:
        model = Enrolment
        fields = (
            "course",
            "full_name",
            "birth_date",
            "gender",
            "id_number",
            "email",
            "position",
            "rank",
            "agency",
            "locality",
            "status",
        )
        export_order = fields


class ParticipantTallyExportResource(ExportResource):
    course = text_field("course__code", "Mã khóa")
    rank = text_field("rank__code", "Cấp")
    locality = fields.Field(column_name="Tỉnh/thành")
    gender = text_field("gender", "Giới tính")
    count = number_field("count", "Số lượt")

    select_related = ("course", "rank", "locality")

    class Meta:
        model = ParticipantTally
        fields = ("course", "rank", "locality", "gender", "count")
        export_order = fields

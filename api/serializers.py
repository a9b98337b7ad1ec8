"""Read-only representations. Codes, not database ids: other systems know the codes."""

from rest_framework import serializers

from courses.models import Course, Enrolment, Programme, Target


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["code", "label", "metric", "value_min", "value_max", "year_from", "year_to"]


class ProgrammeSerializer(serializers.ModelSerializer):
    legal_basis = serializers.CharField(read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["code", "name", "first_year", "last_year", "legal_basis", "targets"]


class CourseSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    course_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    locality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organiser = serializers.CharField(source="organiser.name", read_only=True, default=None)

    class Meta:
        model = Course
        fields = [
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
            "status",
            "planned_participants",
            "budget_planned",
            "budget_spent",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    """An enrolment; ID number and birth date only for a user with the personal-data
    permission (the view picks PersonalParticipantSerializer then)."""

    full_name = serializers.CharField(source="cadre.full_name", read_only=True)
    gender = serializers.CharField(source="cadre.gender", read_only=True)
    position = serializers.CharField(source="cadre.position", read_only=True)
    rank = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True, default=None)
    locality = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "full_name",
            "gender",
            "position",
            "rank",
            "agency",
            "locality",
            "status",
            "certificate_number",
        ]


class PersonalParticipantSerializer(ParticipantSerializer):
    id_number = serializers.CharField(source="cadre.id_number", read_only=True)
    birth_date = serializers.DateField(source="cadre.birth_date", read_only=True)
    birth_year = serializers.IntegerField(source="cadre.birth_year", read_only=True)

    class Meta(ParticipantSerializer.Meta):
        fields = [*ParticipantSerializer.Meta.fields, "id_number", "birth_date", "birth_year"]

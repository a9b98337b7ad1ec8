"""Demo evaluations: lecturers, personal links and answers for the same recent courses as the
demo certificates. Idempotent and seeded; changes no figure of the seed."""

import random

from django.db import transaction

from certificates.demo import recent_courses

from .models import Answer, Lecturer, Question, Questionnaire, Response
from .services import invitations_for

SEED = 20260101
LECTURERS = [
    ("Nguyễn Văn Bình", Lecturer.Role.LECTURER, "Học viện Ngoại giao"),
    ("Trần Thị Thanh Hương", Lecturer.Role.LECTURER, "Học viện Ngoại giao"),
    ("Lê Hoài Trung", Lecturer.Role.SPEAKER, "Bộ Ngoại giao"),
    ("Phạm Quang Vinh", Lecturer.Role.SPEAKER, "Ủy ban Quốc gia về hợp tác kinh tế quốc tế"),
]
COMMENTS = [
    "Nội dung thiết thực, nên tổ chức thêm các lớp chuyên sâu.",
    "Mong có thêm thời gian thực hành và tình huống thực tế.",
    "Tài liệu nên được gửi trước khóa học.",
    "Giảng viên nhiệt tình, nhiều kinh nghiệm thực tiễn.",
    "",
    "",
]


@transaction.atomic
def load():
    """Returns how many responses were created."""
    rng = random.Random(SEED)
    created = 0
    for index, course in enumerate(recent_courses()):
        for order, offset in enumerate((index, index + 2), start=1):
            name, role, affiliation = LECTURERS[offset % len(LECTURERS)]
            if not Lecturer.objects.filter(course=course, full_name=name).exists():
                Lecturer.objects.create(
                    course=course, full_name=name, role=role, affiliation=affiliation, order=order
                )
        questionnaire = Questionnaire.for_course(course)
        if questionnaire is None:
            continue
        questions = list(questionnaire.questions.all())
        lecturers = list(course.lecturers.all())
        for invitation in invitations_for(course):
            answers_it = rng.random() < 0.75  # drawn for every link: the same answers each run
            mood = rng.choice([3, 4, 4, 5, 5])
            draws = [min(5, max(1, mood + rng.choice([-1, 0, 0, 1]))) for _ in range(12)]
            comment = rng.choice(COMMENTS)
            if not answers_it or Response.objects.filter(invitation=invitation).exists():
                continue
            response = Response.objects.create(
                invitation=invitation, course=course, questionnaire=questionnaire
            )
            values = iter(draws)
            answers = []
            for question in questions:
                if question.kind == Question.Kind.TEXT:
                    if comment:
                        answers.append(Answer(response=response, question=question, text=comment))
                elif question.kind == Question.Kind.LECTURER and lecturers:
                    for lecturer in lecturers:
                        answers.append(
                            Answer(
                                response=response,
                                question=question,
                                lecturer=lecturer,
                                value=next(values),
                            )
                        )
                else:
                    answers.append(Answer(response=response, question=question, value=next(values)))
            Answer.objects.bulk_create(answers)
            created += 1
    return created

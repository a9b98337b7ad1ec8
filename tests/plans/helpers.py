import csv

from django.urls import reverse

from cadres.models import Rank
from courses.models import CourseType


def plan_form(locality, year=2026, lines=(), **extra):
    """The admin's add-plan form with its inline lines: (type code, abroad, rank code or '',
    courses, participant-times, budget, funding source, quarter)."""
    data = {
        "locality": locality.pk if locality else "",
        "agency": "",
        "year": str(year),
        "programme": "",
        "note": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for i, (type_code, abroad, rank, courses, times, budget, source, quarter) in enumerate(lines):
        data[f"lines-{i}-course_type"] = CourseType.objects.get(code=type_code).pk
        if abroad:
            data[f"lines-{i}-abroad"] = "on"
        data[f"lines-{i}-rank"] = Rank.objects.get(code=rank).pk if rank else ""
        data[f"lines-{i}-courses"] = str(courses)
        data[f"lines-{i}-participant_times"] = str(times)
        data[f"lines-{i}-budget"] = str(budget)
        data[f"lines-{i}-funding_source"] = source
        data[f"lines-{i}-quarter"] = str(quarter)
    data.update(extra)
    return data


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def period_url(year, locality):
    return reverse("plans:period_unit", kwargs={"year": year, "unit": f"locality-{locality.pk}"})


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []

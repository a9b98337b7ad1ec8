"""Participants answer through their personal links; results with hand-computed means,
response rates and the anonymity threshold; every bad input refused with nothing written."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluations.models import Answer, EvaluationWindow, Question, Response
from evaluations.results import results_for

from ..access.conftest import staff
from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def q(code):
    return Question.objects.get(questionnaire__course_type__isnull=True, code=code)


def answers_a(i, ev):
    """The i-th participant's answers on course A (0 <= i < 20)."""
    return {
        f"q{q('content').pk}": str(1 + i % 5),  # 1..5 four times: mean 3.00
        f"q{q('usefulness').pk}": "4",  # 4.00
        f"q{q('lecturers').pk}_l{ev.giang.pk}": "5" if i < 10 else "4",  # 4.50
        f"q{q('lecturers').pk}_l{ev.bao_a.pk}": "3",  # 3.00
        f"q{q('organisation').pk}": "5" if i % 2 else "4",  # 4.50
        f"q{q('materials').pk}": "2" if i < 5 else "4",  # (5*2 + 15*4) / 20 = 3.50
        f"q{q('comment').pk}": f"Góp ý số {i}" if i < 3 else "",
    }


def answers_b(ev):
    return {
        f"q{q('content').pk}": "5",
        f"q{q('usefulness').pk}": "5",
        f"q{q('lecturers').pk}_l{ev.bao_b.pk}": "5",
        f"q{q('lecturers').pk}_l{ev.khach.pk}": "2",
        f"q{q('organisation').pk}": "5",
        f"q{q('materials').pk}": "5",
        f"q{q('comment').pk}": "Rất bổ ích",
    }


def answer_url(invitation):
    return reverse("evaluations:answer", args=[invitation.token])


@pytest.fixture
def twenty_three(client, evaluated):
    """20 answers on A and 3 on B, each through its participant's link."""
    for i, invitation in enumerate(evaluated.links_a[:20]):
        page = client.get(answer_url(invitation))
        assert page.status_code == 200
        response = client.post(answer_url(invitation), answers_a(i, evaluated))
        assert response.status_code == 200, response.content.decode()[:2000]
        assert "Cảm ơn" in response.content.decode()
    for invitation in evaluated.links_b[:3]:
        assert client.post(answer_url(invitation), answers_b(evaluated)).status_code == 200
    return evaluated


def by_key(groups):
    return {g.key: g for g in groups}


def test_links_are_one_per_participant_who_attended(evaluated):
    assert len(evaluated.links_a) == 25  # the withdrawn participant has none
    assert len(evaluated.links_b) == 6
    tokens = [i.token for i in evaluated.links_a + evaluated.links_b]
    assert len(set(tokens)) == 31
    assert all(len(t) >= 24 for t in tokens)


def test_twenty_answers_give_the_hand_computed_means_and_rate(twenty_three):
    ev = twenty_three
    assert Response.objects.filter(course=ev.a).count() == 20
    results = results_for(ev.a.__class__.objects.filter(pk__in=[ev.a.pk, ev.b.pk]))
    a = by_key(results.by_course)[ev.a.pk]
    assert (a.participants, a.responses, a.rate) == (25, 20, 80.0)
    assert a.means == {
        "content": 3.0,
        "usefulness": 4.0,
        "lecturers": 3.75,  # (10*5 + 10*4 + 20*3) / 40
        "organisation": 4.5,
        "materials": 3.5,
    }
    assert a.comments == ["Góp ý số 0", "Góp ý số 1", "Góp ý số 2"]

    # Course B has 3 answers: counts shown, no mean, no comment.
    b = by_key(results.by_course)[ev.b.pk]
    assert (b.participants, b.responses, b.rate) == (6, 3, 50.0)
    assert not b.shown
    assert b.means == {}
    assert b.comments == []

    lecturers = by_key(results.by_lecturer)
    assert lecturers["nguyenvangiang"].means == {"lecturers": 4.5}
    bao = lecturers["tranthibao"]  # the same speaker on both courses, names folded
    assert (bao.responses, bao.courses) == (23, 2)
    assert bao.means == {"lecturers": round((20 * 3 + 3 * 5) / 23, 2)}
    khach = lecturers["lekhach"]
    assert khach.responses == 3
    assert not khach.shown
    assert khach.means == {}

    types = {g.label: g for g in results.by_course_type}
    assert len(types) == 2
    shown = [g for g in types.values() if g.shown]
    hidden = [g for g in types.values() if not g.shown]
    assert [g.responses for g in shown] == [20]
    assert [g.responses for g in hidden] == [3]

    programme = results.by_programme[0]
    assert (programme.participants, programme.responses) == (31, 23)
    assert programme.rate == round(100 * 23 / 31, 1)
    assert programme.means["content"] == round((60 + 15) / 23, 2)
    assert programme.means["materials"] == round((70 + 15) / 23, 2)


def test_the_results_page_and_xlsx_show_the_same_and_hide_small_groups(client, twenty_three):
    clerk = staff("clerk2", "Clerks")
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(reverse("evaluations:results"), {"programme": "QD1275-2020"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "80,0%" in html
    assert "3,75" in html
    assert "Rất bổ ích" not in html  # B's comment: below the threshold
    assert "Góp ý số 1" in html
    assert "ít hơn 5 câu trả lời" in html
    download = client.get(reverse("evaluations:results_xlsx"), {"programme": "QD1275-2020"})
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames[:4] == [
        "Theo khóa học",
        "Theo giảng viên",
        "Theo loại khóa",
        "Theo đề án",
    ]
    rows = list(workbook["Theo khóa học"].values)
    by_label = {row[0]: row for row in rows[1:]}
    a_row = by_label["EV-A · Kỹ năng đàm phán quốc tế"]
    assert a_row[1:5] == (1, 25, 20, 80.0)
    assert a_row[5:10] == (3.0, 4.0, 3.75, 4.5, 3.5)
    b_row = by_label["EV-B · Cập nhật tình hình thế giới"]
    assert b_row[3] == 3
    assert "ít hơn 5" in b_row[5]
    comments = [row[1] for row in list(workbook["Ý kiến"].values)[1:]]
    assert comments == ["Góp ý số 0", "Góp ý số 1", "Góp ý số 2"]


def test_the_programme_page_carries_a_short_block(client, twenty_three):
    manager = staff("boss", "Managers")
    client.login(username=manager.username, password=PASSWORD)
    page = client.get(reverse("reports:programme_detail", args=["QD1275-2020"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="evaluations"' in html
    assert "23 câu trả lời" in html


def test_answering_twice_is_refused_and_keeps_the_first_answers(client, twenty_three):
    invitation = twenty_three.links_a[0]
    before = Answer.objects.count()
    again = client.post(answer_url(invitation), answers_a(7, twenty_three))
    assert again.status_code == 409
    assert "đã trả lời" in again.content.decode()
    assert Answer.objects.count() == before
    assert client.get(answer_url(invitation)).status_code == 409


@pytest.mark.parametrize("bad", ["6", "0", "-1", "abc", "3.5", "9" * 40])
def test_an_out_of_range_answer_writes_nothing(client, evaluated, bad):
    data = answers_a(0, evaluated)
    data[f"q{q('usefulness').pk}"] = bad
    response = client.post(answer_url(evaluated.links_a[0]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chọn mức điểm từ 1 đến 5" in html
    assert "không có gì được lưu" in html
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_missing_answer_writes_nothing(client, evaluated):
    data = answers_a(0, evaluated)
    del data[f"q{q('lecturers').pk}_l{evaluated.giang.pk}"]
    response = client.post(answer_url(evaluated.links_a[0]), data)
    assert response.status_code == 400
    assert "Vui lòng trả lời câu hỏi này" in response.content.decode()
    assert not Response.objects.exists()


def test_after_the_window_nothing_is_written(client, evaluated):
    course = evaluated.a
    course.end_date = timezone.localdate() - datetime.timedelta(days=31)
    course.start_date = course.end_date
    course.save()
    response = client.post(answer_url(evaluated.links_a[0]), answers_a(0, evaluated))
    assert response.status_code == 410
    assert "đã đóng" in response.content.decode()
    assert not Response.objects.exists()
    # A course may keep its window open longer.
    EvaluationWindow.objects.create(course=course, days=60)
    assert client.post(answer_url(evaluated.links_a[0]), answers_a(0, evaluated)).status_code == 200


def test_before_the_course_ends_the_form_is_not_open(client, evaluated):
    course = evaluated.b
    course.end_date = timezone.localdate() + datetime.timedelta(days=2)
    course.save()
    response = client.get(answer_url(evaluated.links_b[0]))
    assert response.status_code == 403
    assert "khi khóa học kết thúc" in response.content.decode()
    assert client.post(answer_url(evaluated.links_b[0]), answers_b(evaluated)).status_code == 403
    assert not Response.objects.exists()


@pytest.mark.parametrize("token", ["nope", "x" * 41, "%00", "' OR 1=1 --"])
def test_an_unknown_link_is_a_404(client, evaluated, token):
    response = client.get(f"/e/{token}/")
    assert response.status_code == 404
    assert client.post(f"/e/{token}/", {"q1": "5"}).status_code == 404
    assert not Response.objects.exists()


def test_the_links_page_lists_each_participant_with_a_qr_code(client, evaluated):
    clerk = staff("clerk3", "Clerks")
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(reverse("evaluations:course_links", args=["EV-B"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 6
    assert all(i.token in html for i in evaluated.links_b)


def test_results_need_a_role_and_follow_the_scope(client, twenty_three):
    from accounts.models import AccessScope

    from ..access.conftest import current

    assert client.get(reverse("evaluations:results")).status_code == 302
    outsider = staff("nobody", "Managers")
    outsider.is_staff = False
    outsider.save()
    client.force_login(outsider)
    assert client.get(reverse("evaluations:results")).status_code == 403
    lao_cai = staff("laocai", "Clerks", kind=AccessScope.Kind.LOCALITY, locality=current("15"))
    client.force_login(lao_cai)
    page = client.get(reverse("evaluations:results"))
    assert "EV-A" not in page.content.decode()
    assert client.get(reverse("evaluations:course_links", args=["EV-A"])).status_code == 404


def test_nul_characters_anywhere_give_no_server_error(client, evaluated):
    """PostgreSQL refuses NUL in text: a NUL in a comment is dropped, in a parameter it
    finds nothing."""
    data = answers_a(0, evaluated)
    data[f"q{q('comment').pk}"] = "Tốt\x00lắm"
    assert client.post(answer_url(evaluated.links_a[0]), data).status_code == 200
    assert Answer.objects.get(text__startswith="Tốt").text == "Tốtlắm"
    clerk = staff("clerk4", "Clerks")
    client.force_login(clerk)
    assert client.get(reverse("evaluations:results"), {"programme": "\x00"}).status_code == 200
    assert client.get("/evaluations/course/EV-A%00/links/").status_code == 404

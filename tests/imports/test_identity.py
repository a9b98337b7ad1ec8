"""Identity of people: ID number, else email, else folded name + birth date + locality."""

from cadres.models import Cadre, Rank
from courses.models import Enrolment

from .helpers import command, write_csv

HEADER = ["Mã khóa", "Họ và tên", "Ngày sinh", "Số định danh", "Email", "Tỉnh/thành"]


def run(tmp_path, rows, name="p.csv"):
    return command("participants", write_csv(tmp_path, name, [HEADER, *rows]))


def test_same_id_number_is_the_same_person_whatever_the_name(courses, tmp_path):
    code, _out, err = run(
        tmp_path,
        [
            ["K2018-01", "Nguyễn Văn A", "01/01/1980", "001080000001", "", "Hà Giang"],
            ["K2019-02", "Nguyen Van A.", "", "001080000001", "", ""],
        ],
    )
    assert code == 0, err
    assert Cadre.objects.count() == 1
    assert Enrolment.objects.count() == 2


def test_email_matches_when_there_is_no_id_number(courses, tmp_path):
    run(tmp_path, [["K2018-01", "Bùi Thị B", "", "", "B@Example.vn", ""]], "one.csv")
    code, out, err = run(tmp_path, [["K2019-02", "Bùi Thị Bê", "", "", "b@example.vn", ""]])
    assert code == 0, err
    assert "people: 1 matched, 0 created" in out
    assert Cadre.objects.count() == 1


def test_an_office_email_shared_by_several_matches_the_earliest_recorded(courses, tmp_path):
    """Two people with ID numbers share the office mailbox; a later row without an ID number
    matches the one recorded first, not the one whose name sorts first: a person added later
    with the same mailbox does not take the match over."""
    run(tmp_path, [["K2018-01", "Vũ Văn Zung", "", "001080000011", "nv@x.vn", ""]], "a.csv")
    run(tmp_path, [["K2018-01", "Âu Thị An", "", "001080000012", "nv@x.vn", ""]], "b.csv")
    earliest = Cadre.objects.get(id_number="001080000011")
    code, out, err = run(tmp_path, [["K2019-02", "Vũ Văn Zung", "", "", "NV@x.vn", ""]], "c.csv")
    assert code == 0, err
    assert "people: 1 matched, 0 created" in out
    assert Enrolment.objects.get(course__code="K2019-02").cadre == earliest
    assert Cadre.objects.count() == 2


def test_name_birth_date_and_locality_match_across_spellings_and_eras(courses, tmp_path):
    # Hà Giang (former, 2018) and Tuyên Quang (current, 2025) are the same unit today.
    run(tmp_path, [["K2018-01", "Lê   Văn Cường", "02/03/1970", "", "", "Hà Giang"]], "a.csv")
    code, _out, err = run(
        tmp_path, [["K2025-04", "LÊ VĂN CƯỜNG", "1970-03-02", "", "", "Tuyên Quang"]]
    )
    assert code == 0, err
    assert Cadre.objects.count() == 1
    assert Cadre.objects.get().full_name == "Lê Văn Cường"


def test_same_name_other_birth_date_is_another_person(courses, tmp_path):
    code, _out, err = run(
        tmp_path,
        [
            ["K2018-01", "Lê Văn D", "02/03/1970", "", "", "Hà Giang"],
            ["K2019-02", "Lê Văn D", "02/03/1971", "", "", "Hà Giang"],
        ],
    )
    assert code == 0, err
    assert Cadre.objects.count() == 2


def test_conflicting_id_numbers_are_never_merged(courses, tmp_path):
    # The ID number decides: another ID number with the same (office) email is another person.
    run(tmp_path, [["K2018-01", "Đinh E", "", "001080000002", "e@x.vn", ""]], "a.csv")
    code, out, err = run(tmp_path, [["K2019-02", "Đinh E", "", "001080000003", "e@x.vn", ""]])
    assert code == 0, err
    assert "001080000002" not in out + err
    assert set(Cadre.objects.values_list("id_number", flat=True)) == {
        "001080000002",
        "001080000003",
    }
    assert Enrolment.objects.count() == 2
    # Same name, birth date and locality but another ID number: a second person.
    run(tmp_path, [["K2018-01", "Đinh F", "01/01/1990", "001090000004", "", "Hà Giang"]], "b.csv")
    code, out, err = run(
        tmp_path, [["K2019-02", "Đinh F", "01/01/1990", "001090000005", "", "Hà Giang"]], "c.csv"
    )
    assert code == 0, err
    assert Cadre.objects.filter(name_key="dinhf").count() == 2


def test_the_same_person_twice_on_one_course_is_an_error(courses, tmp_path):
    code, _out, err = run(
        tmp_path,
        [
            ["K2018-01", "Hồ G", "", "001080000009", "", ""],
            ["K2018-01", "Hồ  g", "", "001080000009", "", ""],
        ],
    )
    assert code == 1
    assert "row 3, column Họ và tên: this person is already listed for this course in row 2." in err
    assert Cadre.objects.count() == 0


def test_an_id_number_has_digits_only(courses, tmp_path):
    code, _out, err = run(tmp_path, [["K2018-01", "Hồ H", "", "00108ABC", "", ""]])
    assert code == 1
    assert "row 2, column Số định danh: An ID number has digits only." in err


def test_rank_defaults_to_other_when_nothing_says_it(courses, tmp_path):
    code, _out, err = run(tmp_path, [["K2018-01", "Hồ I", "", "", "", ""]])
    assert code == 0, err
    assert Cadre.objects.get().rank.code == Rank.OTHER


def test_an_id_number_recorded_under_another_name_is_an_error(courses, tmp_path):
    """Round 11 enrolled whoever the ID number was recorded for, whatever the row's name:
    one mistyped digit enrolled someone else. A name differing only in diacritics, case or
    spaces is the same name; the message names neither the person nor their name, in the
    file or against someone already recorded."""
    code, _out, err = run(
        tmp_path,
        [
            ["K2018-01", "Nguyễn Thị Hoà", "", "001180000777", "", ""],
            ["K2019-02", "nguyen thi  HOA", "", "001180000777", "", ""],
            ["K2019-02", "Trần Văn Khánh", "", "001180000777", "", ""],
        ],
        "a.csv",
    )
    assert code == 1
    assert err.splitlines() == [
        "row 4, column Số định danh: this ID number is recorded for a person of another name: "
        "check the ID number and the name (a name that has changed is corrected on the "
        "person's record first)."
    ]
    assert Cadre.objects.count() == 0
    assert (
        run(tmp_path, [["K2018-01", "Nguyễn Thị Hoà", "", "001180000777", "", ""]], "b.csv")[0] == 0
    )
    code, out, err = run(tmp_path, [["K2019-02", "Trần Văn Khánh", "", "001180000777", "", ""]])
    assert code == 1
    assert "recorded for a person of another name" in err
    assert "Hoà" not in out + err
    assert Enrolment.objects.count() == 1

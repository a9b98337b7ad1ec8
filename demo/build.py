"""The demo data set loaded by ``manage.py load_demo``: built in memory, then written.

It reproduces the figures of seed 000 (section 2) exactly, with the counting rule of the
project (participant-times = counted enrolments + tallies of courses without enrolments):

- QD2007-2015, 2016-2020: 106 courses, 9,000 participant-times by rank 540 / 900 / 1,800 /
  5,760 (tallies, no named list);
- QD137-2003, 2007-2010: 213 courses, 26,376 participant-times (tallies);
- QD247-2016, 2019: 3 courses abroad and 61 at home (33 skills, 2 inspection trainings,
  6 updates, 15 seminars, 5 interpreting), 8,534 participant-times (tallies);

and adds named lists of real-looking cadres for the courses of 2021-2026, language skills,
and workforce baselines. Everything is drawn from one seeded ``random.Random`` and written
with natural keys (course code, cadre name + birth date...), so a second run creates nothing.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from cadres.models import Agency, Cadre, LanguageSkill, Level, Locality, Rank, WorkforceBaseline
from courses.models import Course, CourseType, Enrolment, ParticipantTally, Programme
from demo.data import (
    BIRTH_YEARS,
    CENTRAL,
    CENTRAL_AGENCIES,
    CP,
    CV,
    GIVEN,
    LD,
    LOCAL_DIVISIONS,
    LOCAL_RANK_SHARES,
    LOCAL_TITLES,
    LOCAL_UNITS,
    MARKER_COURSE,
    MERGER,
    MIDDLE,
    NAMED_COURSES,
    NEXT_RANK_DOWN,
    NQ26_TITLES,
    OTHER_LANGUAGES,
    PVU,
    QD137_COURSES_BY_YEAR,
    QD137_RANK_SHARES,
    QD137_TITLES,
    QD137_TOTAL,
    QD247_2019_ABROAD,
    QD247_2019_HOME,
    QD247_2019_TOTAL,
    QD247_OTHER_YEARS,
    QD1275_TYPES,
    QD2007_BY_RANK,
    QD2007_COURSES_BY_YEAR,
    QD2007_TITLES,
    SEED,
    SURNAMES,
    VU,
)
from trainingmgr.text import fold

# --- In-memory specs ----------------------------------------------------------------------


@dataclass
class CourseSpec:
    code: str
    title: str
    programme: str
    course_type: str
    organiser: str
    start: datetime.date
    end: datetime.date
    locality: tuple | None  # (era, code) where held at home
    country: str = ""
    mode: str = Course.Mode.IN_PERSON
    planned: int | None = None
    budget_planned: int | None = None
    budget_spent: int | None = None
    status: str = Course.Status.FINISHED
    tallies: list = field(default_factory=list)  # (rank code, (era, code) | None, count)
    enrolments: list = field(default_factory=list)  # (cadre key, status, certificate number)


@dataclass
class CadreSpec:
    full_name: str
    gender: str
    birth_date: datetime.date
    rank: str
    agency: str
    position: str
    locality: tuple  # (era, code) today
    former: tuple | None = None  # (era, code) before the merger, for local cadres
    id_number: str = ""
    email: str = ""
    previous_rank: str | None = None  # held until promoted_year
    promoted_year: int | None = None
    languages: list = field(default_factory=list)  # (language, level)

    @property
    def key(self):
        return (fold(self.full_name), self.birth_date)

    @property
    def is_leader(self):
        return self.rank in (LD, VU, PVU, CP)

    def rank_in(self, year):
        if self.promoted_year and year < self.promoted_year:
            return self.previous_rank
        return self.rank

    def locality_on(self, day):
        """Records dated before the merger use the former province."""
        if self.former and day < MERGER:
            return self.former
        return self.locality


@dataclass
class Geography:
    """The reference localities the demo draws from, read once from the database."""

    former_codes: list  # the 63 former provinces, by code
    successor: dict  # former code -> current code
    names: dict  # (era, code) -> name

    @classmethod
    def from_db(cls):
        rows = list(
            Locality.objects.order_by("era", "code").values_list(
                "era", "code", "name", "successor__code"
            )
        )
        former = [code for era, code, _, _ in rows if era == Locality.Era.FORMER]
        successor = {code: succ for era, code, _, succ in rows if era == Locality.Era.FORMER}
        names = {(era, code): name for era, code, name, _ in rows}
        return cls(former, successor, names)

    def predecessors(self, current_code):
        return [code for code in self.former_codes if self.successor[code] == current_code]

    def place(self, current_code, day):
        """Where a course of this current unit is held on a day: former province before the
        merger (the one with the same code when there is one)."""
        if day >= MERGER:
            return ("current", current_code)
        olds = self.predecessors(current_code)
        return ("former", current_code if current_code in olds else olds[0])


@dataclass
class DemoData:
    agencies: list = field(default_factory=list)  # (code, name, short, level, (era, code))
    cadres: list = field(default_factory=list)
    courses: list = field(default_factory=list)
    baselines: list = field(default_factory=list)  # (year, rank, (era, code), headcount)


# --- Pure helpers ---------------------------------------------------------------------------


def apportion(total, weights):
    """Split ``total`` into integers proportional to the integer ``weights`` that add up to
    ``total`` exactly (largest remainder, ties to the first)."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: -(total * weights[i] % whole))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


def spread_tallies(rank, count, places, weights):
    """Tally rows of one rank over a course's places, without empty rows."""
    return [
        (rank, place, part)
        for place, part in zip(places, apportion(count, weights), strict=True)
        if part
    ]


def start_dates(rng, year, count, months=(3, 12)):
    """``count`` start dates in a year, sorted, so course codes follow the calendar."""
    days = [datetime.date(year, rng.randint(*months), rng.randint(1, 26)) for _ in range(count)]
    return sorted(days)


def numbered_titles(titles):
    """Repeated titles get '(khóa 2)', '(khóa 3)'... as courses are named in practice."""
    seen = Counter()
    named = []
    for title in titles:
        seen[title] += 1
        named.append(title if seen[title] == 1 else f"{title} (khóa {seen[title]})")
    return named


def budget(rng, participants, finished=True):
    """Planned and spent budget in VND: 2.5-6 million a head, spent 85-100%."""
    planned = participants * rng.randint(25, 60) * 100_000
    spent = planned * rng.randint(85, 100) // 100 // 1000 * 1000 if finished else None
    return planned, spent


# --- Builders -------------------------------------------------------------------------------


def build_qd2007(rng, geo):
    """106 courses of the Diplomatic Academy, tallies by rank adding up to the seed's."""
    courses = []
    for year, count in QD2007_COURSES_BY_YEAR.items():
        picks = [rng.choice(QD2007_TITLES) for _ in range(count)]
        titles = numbered_titles([title for _, title in picks])
        for n, (start, (type_code, _), title) in enumerate(
            zip(start_dates(rng, year, count), picks, titles, strict=True), start=1
        ):
            mode = Course.Mode.IN_PERSON
            if year == 2020:  # COVID-19: many of the 59 courses of 2020 went online
                mode = rng.choice([Course.Mode.IN_PERSON, Course.Mode.ONLINE, Course.Mode.HYBRID])
            host = rng.choice(["01"] * 6 + ["48", "79", "22"])
            courses.append(
                CourseSpec(
                    code=f"QD2007-{year}-{n:02d}",
                    title=title,
                    programme="QD2007-2015",
                    course_type=type_code,
                    organiser=rng.choice(["HVNG"] * 4 + ["BNG"]),
                    start=start,
                    end=start + datetime.timedelta(days=rng.randint(1, 4)),
                    locality=("former", host),
                    mode=mode,
                )
            )
    weights = [rng.randint(45, 130) for _ in courses]
    # Who came: a quarter of the records keep no locality; the others name central level and
    # up to three former provinces.
    places = random_places(
        rng, geo, len(courses), unplaced=0.25, provinces=3, central=(40, 80), each_province=(5, 25)
    )
    for rank, total in QD2007_BY_RANK.items():
        counts = apportion(total, [w * rng.randint(80, 120) for w in weights])
        for course, count, (where, where_weights) in zip(courses, counts, places, strict=True):
            course.tallies += spread_tallies(rank, count, where, where_weights)
    for course in courses:
        size = sum(count for _, _, count in course.tallies)
        course.planned = (size + 9) // 10 * 10
        course.budget_planned, course.budget_spent = budget(rng, course.planned)
    return courses


def random_places(rng, geo, count, *, unplaced, provinces, central, each_province):
    """Where the participants of each of ``count`` courses came from, as (places, weights):
    a share ``unplaced`` of the courses keep no locality; the others name central level and
    up to ``provinces`` former provinces."""
    places = []
    for _ in range(count):
        if rng.random() < unplaced:
            places.append(([None], [1]))
        else:
            extra = rng.sample(geo.former_codes, rng.randint(0, provinces))
            places.append(
                (
                    [CENTRAL] + [("former", code) for code in extra],
                    [rng.randint(*central)] + [rng.randint(*each_province) for _ in extra],
                )
            )
    return places


def build_qd137(rng, geo):
    """213 courses of the Ministry of Industry and Trade's school, 2007-2010."""
    courses = []
    for year, count in QD137_COURSES_BY_YEAR.items():
        picks = [rng.choice(QD137_TITLES) for _ in range(count)]
        titles = numbered_titles([title for _, title in picks])
        for n, (start, (type_code, _), title) in enumerate(
            zip(start_dates(rng, year, count, months=(1, 12)), picks, titles, strict=True),
            start=1,
        ):
            courses.append(
                CourseSpec(
                    code=f"QD137-{year}-{n:03d}",
                    title=title,
                    programme="QD137-2003",
                    course_type=type_code,
                    organiser="TDTBDCBCT",
                    start=start,
                    end=start + datetime.timedelta(days=rng.randint(2, 5)),
                    locality=("former", rng.choice(["01"] * 5 + ["79", "79", "48"])),
                )
            )
    weights = [rng.randint(60, 190) for _ in courses]
    places = random_places(
        rng, geo, len(courses), unplaced=0.4, provinces=2, central=(30, 70), each_province=(10, 40)
    )
    rank_totals = apportion(QD137_TOTAL, list(QD137_RANK_SHARES.values()))
    for rank, total in zip(QD137_RANK_SHARES, rank_totals, strict=True):
        counts = apportion(total, [w * rng.randint(80, 120) for w in weights])
        for course, count, (where, where_weights) in zip(courses, counts, places, strict=True):
            course.tallies += spread_tallies(rank, count, where, where_weights)
    return courses


def local_tally_places(rng, geo, host=None):
    """Former provinces whose cadres came to a local course: the host first, most of them."""
    others = [code for code in geo.former_codes if code != host]
    extra = rng.sample(others, rng.randint(1, 3) if host else rng.randint(3, 5))
    codes = ([host] if host else []) + extra
    weights = ([rng.randint(50, 90)] if host else []) + [rng.randint(10, 30) for _ in extra]
    return [("former", code) for code in codes], weights


def qd247_course(rng, geo, *, code, year, type_code, start, country="", title=None):
    host = None if country else rng.choice(geo.former_codes)
    base = title or rng.choice(LOCAL_TITLES[type_code])
    if country:
        base = f"{base} tại {country}"
    elif type_code == "HOI_THAO":
        base = f"{base} tại {geo.names[('former', host)]}"
    long_course = type_code in ("BIEN_PHIEN_DICH", "NGOAI_NGU")
    days = rng.randint(25, 40) if long_course else rng.randint(8, 12) if country else 2
    mode = Course.Mode.IN_PERSON
    if year == 2020 and not country:
        mode = rng.choice([Course.Mode.ONLINE, Course.Mode.HYBRID])
    return CourseSpec(
        code=code,
        title=base,
        programme="QD247-2016",
        course_type=type_code,
        organiser=rng.choice(["BNG", "BNG", "HVNG"]),
        start=start,
        end=start + datetime.timedelta(days=days),
        locality=None if country else ("former", host),
        country=country,
        mode=mode,
    )


def size_weight(rng, course):
    """How big a local course usually is, by kind."""
    if course.country:
        return rng.randint(18, 30)
    low, high = {
        "KY_NANG": (100, 160),
        "TAP_HUAN": (70, 100),
        "CAP_NHAT": (90, 140),
        "HOI_THAO": (150, 260),
        "BIEN_PHIEN_DICH": (25, 40),
    }[course.course_type]
    return rng.randint(low, high)


def build_qd247(rng, geo):
    """QD247-2016: the 64 courses of 2019 (8,534 participant-times) and a few others."""
    slots = [(type_code, "") for type_code, n in QD247_2019_HOME.items() for _ in range(n)]
    slots += [("KIEN_THUC", country) for country in QD247_2019_ABROAD]
    rng.shuffle(slots)
    courses = [
        qd247_course(
            rng, geo, code=f"QD247-2019-{n:02d}", year=2019, type_code=t, start=s, country=c
        )
        for n, ((t, c), s) in enumerate(
            zip(slots, start_dates(rng, 2019, len(slots)), strict=True), start=1
        )
    ]
    weights = [size_weight(rng, course) for course in courses]
    places = [
        local_tally_places(rng, geo, course.locality and course.locality[1]) for course in courses
    ]
    rank_totals = apportion(QD247_2019_TOTAL, list(LOCAL_RANK_SHARES.values()))
    for rank, total in zip(LOCAL_RANK_SHARES, rank_totals, strict=True):
        counts = apportion(total, [w * rng.randint(80, 120) for w in weights])
        for course, count, (where, where_weights) in zip(courses, counts, places, strict=True):
            course.tallies += spread_tallies(rank, count, where, where_weights)

    for year, types in QD247_OTHER_YEARS.items():
        for n, (type_code, start) in enumerate(
            zip(types, start_dates(rng, year, len(types)), strict=True), start=1
        ):
            course = qd247_course(
                rng, geo, code=f"QD247-{year}-{n:02d}", year=year, type_code=type_code, start=start
            )
            where, where_weights = local_tally_places(rng, geo, course.locality[1])
            size = size_weight(rng, course)
            shares = list(LOCAL_RANK_SHARES.values())
            for rank, count in zip(LOCAL_RANK_SHARES, apportion(size, shares), strict=True):
                course.tallies += spread_tallies(rank, count, where, where_weights)
            courses.append(course)
    for course in courses:
        size = sum(count for _, _, count in course.tallies)
        course.planned = (size + 4) // 5 * 5
        course.budget_planned, course.budget_spent = budget(rng, course.planned)
    return courses


def build_agencies(geo):
    agencies = [
        (code, name, short, Level.CENTRAL, CENTRAL) for code, name, short, *_ in CENTRAL_AGENCIES
    ]
    for unit in LOCAL_UNITS:
        name = geo.names[("current", unit)]
        where = name if name.startswith("Thành phố") else f"tỉnh {name}"
        local = ("current", unit)
        agencies.append((f"SNV-{unit}", f"Sở Ngoại vụ {where}", f"SNV {name}", Level.LOCAL, local))
        agencies.append(
            (f"UBND-{unit}", f"Ủy ban nhân dân {where}", f"UBND {name}", Level.LOCAL, local)
        )
    return agencies


class People:
    """Draws unique, real-looking people: names, birth dates, CCCD numbers and e-mails."""

    def __init__(self, rng):
        self.rng = rng
        self.keys = set()
        self.ids = set()
        self.emails = set()

    def person(self, rank):
        rng = self.rng
        while True:
            gender = rng.choice("MF")
            surname, middle = rng.choice(SURNAMES), rng.choice(MIDDLE[gender])
            given = rng.choice(GIVEN[gender])
            full_name = f"{surname} {middle} {given}"
            born = datetime.date(
                rng.randint(*BIRTH_YEARS[rank]), rng.randint(1, 12), rng.randint(1, 28)
            )
            if (fold(full_name), born) not in self.keys:
                self.keys.add((fold(full_name), born))
                return full_name, gender, born, (surname, middle, given)

    def id_number(self, province_code, gender, born):
        """A CCCD: 3 digits of the birth province, century and gender, year, 6 digits."""
        century_gender = (
            ("0" if gender == "M" else "1") if born.year < 2000 else ("2" if gender == "M" else "3")
        )
        while True:
            serial = self.rng.randint(0, 999_999)
            number = f"0{province_code}{century_gender}{born.year % 100:02d}{serial:06d}"
            if number not in self.ids:
                self.ids.add(number)
                return number

    def email(self, parts, domain):
        """The civil-service habit: given name + initials, e.g. huongntt@mofa.gov.vn."""
        surname, middle, given = parts
        stem = fold(given) + fold(surname)[0] + "".join(fold(w)[0] for w in middle.split())
        address, n = f"{stem}@{domain}", 1
        while address in self.emails:
            n += 1
            address = f"{stem}{n}@{domain}"
        self.emails.add(address)
        return address


def head_title(department):
    first = department.split()[0]
    return {
        "Vụ": ("Vụ trưởng", "Phó Vụ trưởng"),
        "Cục": ("Cục trưởng", "Phó Cục trưởng"),
        "Khoa": ("Trưởng", "Phó Trưởng"),
        "Trung": ("Giám đốc", "Phó Giám đốc"),
    }[first]


def languages(rng, rank):
    """Foreign languages: most know English, leaders better; some a second language."""
    skills = []
    if rng.random() < 0.88:
        low, high = (3, 6) if rank in (LD, VU, PVU) else (2, 5)
        skills.append(("en", rng.randint(low, high)))
    if rng.random() < 0.18 or not skills:
        skills.append((rng.choice(OTHER_LANGUAGES), rng.randint(2, 5)))
    return skills


def build_cadres(rng, geo):
    """About 350 cadres: leaders and staff of ministries, and of 12 provincial Sở Ngoại vụ."""
    people = People(rng)
    cadres = []

    def add(rank, agency, position, locality, former, domain, birth_province):
        full_name, gender, born, parts = people.person(rank)
        spec = CadreSpec(
            full_name=full_name,
            gender=gender,
            birth_date=born,
            rank=rank,
            agency=agency,
            position=position,
            locality=locality,
            former=former,
            languages=languages(rng, rank),
        )
        if rng.random() < 0.6:
            spec.id_number = people.id_number(birth_province, gender, born)
        if rng.random() < 0.75:
            spec.email = people.email(parts, domain)
        if rank in NEXT_RANK_DOWN and rng.random() < 0.15:
            spec.previous_rank, spec.promoted_year = NEXT_RANK_DOWN[rank], rng.randint(2022, 2025)
        cadres.append(spec)

    for code, name, _, domain, departments in CENTRAL_AGENCIES:
        if code == "TDTBDCBCT":
            continue
        add(LD, code, f"Thứ trưởng {name}", CENTRAL, None, domain, rng.choice(geo.former_codes))
        for rank, n in ((VU, 2), (PVU, 3), (CP, 5), (CV, 3)):
            for _ in range(n):
                dept = rng.choice(departments)
                head, deputy = head_title(dept)
                position = {
                    VU: f"{head} {dept}",
                    PVU: f"{deputy} {dept}",
                    CP: f"{rng.choice(['Trưởng phòng', 'Phó Trưởng phòng'])}, {dept}",
                    CV: f"{rng.choice(['Chuyên viên', 'Chuyên viên chính'])}, {dept}",
                }[rank]
                add(rank, code, position, CENTRAL, None, domain, rng.choice(geo.former_codes))

    for unit, domain in LOCAL_UNITS.items():
        olds = geo.predecessors(unit)
        where = geo.names[("current", unit)]

        def add_local(rank, agency, position, unit=unit, olds=olds, domain=domain):
            old = rng.choice(olds)
            add(rank, agency, position, ("current", unit), ("former", old), domain, old)

        add_local(LD, f"UBND-{unit}", f"Phó Chủ tịch Ủy ban nhân dân {where}")
        add_local(VU, f"SNV-{unit}", "Giám đốc Sở Ngoại vụ")
        for _ in range(2):
            add_local(PVU, f"SNV-{unit}", "Phó Giám đốc Sở Ngoại vụ")
        for _ in range(4):
            head = rng.choice(["Trưởng phòng", "Phó Trưởng phòng"])
            add_local(CP, f"SNV-{unit}", f"{head} {rng.choice(LOCAL_DIVISIONS)}")
        for _ in range(rng.randint(9, 13)):
            add_local(CV, f"SNV-{unit}", f"Chuyên viên Phòng {rng.choice(LOCAL_DIVISIONS)}")
    return cadres


def named_course(rng, geo, *, programme, year, n, start, type_code, title, organiser_unit):
    """A 2021-2026 course; ``organiser_unit`` is a current code for a Sở, or None (Academy)."""
    organiser = f"SNV-{organiser_unit}" if organiser_unit else rng.choice(["HVNG"] * 3 + ["BNG"])
    long_course = type_code in ("BIEN_PHIEN_DICH", "NGOAI_NGU")
    mode = rng.choice(
        [Course.Mode.ONLINE] * 3 + [Course.Mode.HYBRID]
        if year == 2021  # COVID-19
        else [Course.Mode.IN_PERSON] * 3 + [Course.Mode.ONLINE, Course.Mode.HYBRID]
    )
    return CourseSpec(
        code=f"{programme.split('-')[0]}-{year}-{n:02d}",
        title=title,
        programme=programme,
        course_type=type_code,
        organiser=organiser,
        start=start,
        end=start
        + datetime.timedelta(days=rng.randint(20, 45) if long_course else rng.randint(2, 5)),
        locality=geo.place(organiser_unit or "01", start),
        mode=mode,
        # A course that has not started yet (the last of the demo) is planned.
        status=Course.Status.PLANNED
        if start >= datetime.date(2026, 12, 1)
        else Course.Status.FINISHED,
    )


def build_named(rng, geo, cadres):
    """Courses of 2021-2026 with named enrolments of the demo cadres."""
    local = [c for c in cadres if c.former]
    leaders = [c for c in cadres if c.is_leader]
    courses = []
    for (programme, year), count in NAMED_COURSES.items():
        months = (3, 11) if year < 2026 else (3, 12)
        starts = start_dates(rng, year, count, months)
        if year == 2026:  # one course still to come, so the demo shows registrations
            starts[-1] = datetime.date(2026, 12, 8)
        for n, start in enumerate(starts, start=1):
            if programme == "NQ26-2018":
                type_code, title = rng.choice(NQ26_TITLES)
                course = named_course(
                    rng,
                    geo,
                    programme=programme,
                    year=year,
                    n=n,
                    start=start,
                    type_code=type_code,
                    title=title,
                    organiser_unit=None,
                )
                pool, size = leaders, rng.randint(25, 40)
            else:
                type_code = rng.choice(QD1275_TYPES)
                unit = rng.choice(list(LOCAL_UNITS)) if rng.random() < 0.3 else None
                title = rng.choice(LOCAL_TITLES[type_code])
                course = named_course(
                    rng,
                    geo,
                    programme=programme,
                    year=year,
                    n=n,
                    start=start,
                    type_code=type_code,
                    title=title,
                    organiser_unit=unit,
                )
                # A Sở's own course trains mostly its own staff.
                pool = [c for c in local if unit and c.locality[1] == unit] or local
                pool = pool if len(pool) >= 12 else local
                size = min(len(pool), rng.randint(20, 35))
            course.planned = size + rng.randint(0, 5)
            finished = course.status == Course.Status.FINISHED
            course.budget_planned, course.budget_spent = budget(rng, course.planned, finished)
            people = rng.sample(pool, size)
            for seq, cadre in enumerate(people, start=1):
                if not finished:
                    status = Enrolment.Status.REGISTERED
                else:
                    status = rng.choices(
                        [
                            Enrolment.Status.COMPLETED,
                            Enrolment.Status.ATTENDED,
                            Enrolment.Status.WITHDRAWN,
                        ],
                        weights=[60, 36, 4],
                    )[0]
                certificate = ""
                if status == Enrolment.Status.COMPLETED:
                    certificate = f"{course.code}/CC-{seq:03d}"
                course.enrolments.append((cadre, status, certificate))
            courses.append(course)
    return courses


def build_baselines(rng, geo):
    """Integration staff by rank for the 34 current units and central level."""
    rows = []
    units = sorted({geo.successor[code] for code in geo.former_codes})
    per_province = {LD: 2, VU: 2, PVU: 4, CP: 12, CV: 45}
    central = {LD: 60, VU: 250, PVU: 500, CP: 1500, CV: 6000}
    for year, growth in ((2016, 90), (2020, 100), (2025, 110)):
        for rank in per_province:
            rows.append((year, rank, CENTRAL, central[rank] * growth // 100))
            for unit in units:
                provinces = len(geo.predecessors(unit))
                base = per_province[rank] * provinces * growth // 100
                rows.append(
                    (year, rank, ("current", unit), max(1, base + rng.randint(0, provinces)))
                )
    return rows


def build(rng, geo):
    """The whole demo in memory, independent of what the database already holds."""
    data = DemoData()
    data.agencies = build_agencies(geo)
    data.courses = build_qd2007(rng, geo) + build_qd137(rng, geo) + build_qd247(rng, geo)
    data.cadres = build_cadres(rng, geo)
    data.courses += build_named(rng, geo, data.cadres)
    data.baselines = build_baselines(rng, geo)
    return data


# --- Writing --------------------------------------------------------------------------------


def is_loaded():
    return Course.objects.filter(code=MARKER_COURSE).exists()


def insert_missing(model, objects, key, existing):
    """bulk_create the objects whose natural key is not already in the database."""
    new = [obj for obj in objects if key(obj) not in existing]
    model.objects.bulk_create(new, batch_size=500)
    return len(new)


@transaction.atomic
def load(seed=SEED):
    """Write the demo, skipping every row that exists already; returns counts created."""
    geo = Geography.from_db()
    data = build(random.Random(seed), geo)
    created = {}
    place_ids = {
        (era, code): pk for pk, era, code in Locality.objects.values_list("pk", "era", "code")
    }
    place_ids[None] = None
    ranks = dict(Rank.objects.values_list("code", "pk"))
    types = dict(CourseType.objects.values_list("code", "pk"))
    programmes = dict(Programme.objects.values_list("code", "pk"))

    codes = [code for code, *_ in data.agencies]
    created["agencies"] = insert_missing(
        Agency,
        [
            Agency(
                code=code, name=name, short_name=short, level=level, locality_id=place_ids[where]
            )
            for code, name, short, level, where in data.agencies
        ],
        lambda a: a.code,
        set(Agency.objects.filter(code__in=codes).values_list("code", flat=True)),
    )
    agencies = dict(Agency.objects.filter(code__in=codes).values_list("code", "pk"))

    codes = [c.code for c in data.courses]
    created["courses"] = insert_missing(
        Course,
        [
            Course(
                code=c.code,
                title=c.title,
                programme_id=programmes[c.programme],
                course_type_id=types[c.course_type],
                organiser_id=agencies[c.organiser],
                start_date=c.start,
                end_date=c.end,
                locality_id=place_ids[c.locality],
                country=c.country,
                mode=c.mode,
                planned_participants=c.planned,
                budget_planned=c.budget_planned,
                budget_spent=c.budget_spent,
                status=c.status,
            )
            for c in data.courses
        ],
        lambda c: c.code,
        set(Course.objects.filter(code__in=codes).values_list("code", flat=True)),
    )
    courses = dict(Course.objects.filter(code__in=codes).values_list("code", "pk"))

    created["tallies"] = insert_missing(
        ParticipantTally,
        [
            ParticipantTally(
                course_id=courses[c.code],
                rank_id=ranks[rank],
                locality_id=place_ids[where],
                count=count,
            )
            for c in data.courses
            for rank, where, count in c.tallies
        ],
        lambda t: (t.course_id, t.rank_id, t.locality_id, t.gender),
        set(
            ParticipantTally.objects.filter(course_id__in=courses.values()).values_list(
                "course_id", "rank_id", "locality_id", "gender"
            )
        ),
    )

    cadre_ids = load_cadres(data.cadres, ranks, agencies, place_ids, created)
    created["enrolments"] = insert_missing(
        Enrolment,
        [
            Enrolment(
                course_id=courses[c.code],
                cadre_id=cadre_ids[cadre.key],
                status=status,
                certificate_number=certificate,
                # Enrolment.save() is bypassed: keep rank, agency and place as at the course.
                rank_id=ranks[cadre.rank_in(c.start.year)],
                agency_id=agencies[cadre.agency],
                locality_id=place_ids[cadre.locality_on(c.start)],
            )
            for c in data.courses
            for cadre, status, certificate in c.enrolments
        ],
        lambda e: (e.course_id, e.cadre_id),
        set(
            Enrolment.objects.filter(course_id__in=courses.values()).values_list(
                "course_id", "cadre_id"
            )
        ),
    )

    created["baselines"] = insert_missing(
        WorkforceBaseline,
        [
            WorkforceBaseline(
                year=year, rank_id=ranks[rank], locality_id=place_ids[where], headcount=n
            )
            for year, rank, where, n in data.baselines
        ],
        lambda b: (b.year, b.rank_id, b.locality_id),
        set(
            WorkforceBaseline.objects.filter(agency__isnull=True).values_list(
                "year", "rank_id", "locality_id"
            )
        ),
    )
    return created


def load_cadres(specs, ranks, agencies, place_ids, created):
    """Create the missing cadres and their language skills; return {cadre key: pk}."""

    def existing_ids():
        found = defaultdict(list)
        rows = Cadre.objects.filter(name_key__in={s.key[0] for s in specs})
        for pk, name_key, born in rows.values_list("pk", "name_key", "birth_date"):
            found[(name_key, born)].append(pk)
        return {key: min(pks) for key, pks in found.items()}

    before = existing_ids()
    created["cadres"] = insert_missing(
        Cadre,
        [
            # Written in bulk, without Cadre.save(): its normalisation rule applies all the
            # same (name key, email, birth year), as in the importer.
            Cadre(
                full_name=s.full_name,
                gender=s.gender,
                birth_date=s.birth_date,
                id_number=s.id_number,
                email=s.email,
                position=s.position,
                rank_id=ranks[s.rank],
                agency_id=agencies[s.agency],
                locality_id=place_ids[s.locality],
            ).normalised_values()
            for s in specs
        ],
        lambda c: (c.name_key, c.birth_date),
        before,
    )
    cadre_ids = existing_ids()
    created["language skills"] = insert_missing(
        LanguageSkill,
        [
            LanguageSkill(cadre_id=cadre_ids[s.key], language=language, level=level)
            for s in specs
            for language, level in s.languages
        ],
        lambda skill: (skill.cadre_id, skill.language),
        set(
            LanguageSkill.objects.filter(cadre_id__in=cadre_ids.values()).values_list(
                "cadre_id", "language"
            )
        ),
    )
    return cadre_ids

"""The machinery of the scope matrix: a set of "secret" records in one province, every URL the
app serves with its parameters filled with those records, and the check that a persona who
may not see them gets no page that shows them.

URLs come from two walks: the URL resolver (every view of every app, the admin sites' own
views included) and every registered ModelAdmin's ``get_urls()`` on every mounted admin site
(third-party admins and their extra URLs, such as django-simple-history's history and version
pages, included), plus the admin's autocomplete for every autocomplete field.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.admin.sites import all_sites
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from cadres.models import (
    Agency,
    Cadre,
    LanguageSkill,
    Level,
    Locality,
    NotDuplicate,
    WorkforceBaseline,
)
from courses.models import Course, Enrolment, ParticipantTally
from imports.models import ImportBatch

from ..admin.conftest import enrol, make_cadre, make_course, programme, rank, tally

# Statuses that show nothing: redirects (to the login page...), refusals, not found.
REFUSED = {301, 302, 303, 400, 401, 403, 404, 405}  # 401: the API without a token


@dataclass
class Secret:
    """Records of one province that another persona must not see, and the strings that
    would show that a page disclosed them."""

    objects: dict
    markers: list
    personal_markers: list
    search_terms: dict = field(default_factory=dict)


def secret_records(tag, locality_code, importer):
    """An agency, a cadre (whose ID number was changed once, so its history holds two), a
    course organised there, an enrolment, a tally, a baseline, a language skill and an import
    batch, all of the locality ``locality_code``."""
    place = Locality.objects.get(code=locality_code, era=Locality.Era.CURRENT)
    digits = f"{sum(map(ord, tag)):04d}"
    old_id, new_id = f"0791900{digits}1", f"0791900{digits}9"
    birth = datetime.date(1979, 11, 23)
    agency = Agency.objects.create(name=f"Sở Bí Mật {tag}", level=Level.LOCAL, locality=place)
    cadre = make_cadre(
        f"Bí Mật Nhân {tag}",
        agency=agency,
        locality=place,
        email=f"bimat-{tag.lower()}@example.vn",
        id_number=old_id,
        birth_date=birth,
    )
    cadre.id_number = new_id
    cadre.save()
    course = make_course(
        f"BIMAT-{tag}",
        title=f"Khóa bí mật {tag}",
        locality=place,
        organiser=agency,
        programme=programme(),
        start=datetime.date(2021, 6, 7),
    )
    tallied = make_course(
        f"BIMAT-{tag}-T",
        title=f"Khóa bí mật đếm {tag}",
        locality=place,
        organiser=agency,
        programme=programme(),
        start=datetime.date(2021, 8, 9),
    )
    twin = make_cadre(f"Bí Mật Song {tag}", agency=agency, locality=place)
    objects = {
        NotDuplicate: NotDuplicate.mark(cadre, twin),
        Agency: agency,
        Cadre: cadre,
        Course: course,
        Enrolment: enrol(course, cadre),
        ParticipantTally: tally(tallied, 7, locality=place),
        WorkforceBaseline: WorkforceBaseline.objects.create(
            year=2021, rank=rank(), agency=agency, headcount=41
        ),
        LanguageSkill: LanguageSkill.objects.create(cadre=cadre, language="ja", level=3),
        ImportBatch: ImportBatch.objects.create(
            kind="participants",
            file_name=f"bimat-{tag.lower()}.xlsx",
            checksum="0" * 64,
            user=importer,
        ),
    }
    personal = [old_id, new_id, birth.strftime("%d/%m/%Y"), birth.isoformat()]
    markers = [
        cadre.full_name,
        twin.full_name,
        cadre.email,
        agency.name,
        course.code,
        course.title,
        tallied.title,
        objects[ImportBatch].file_name,
        *personal,
    ]
    terms = {Cadre: cadre.full_name, Course: course.code, Agency: agency.name}
    return Secret(objects=objects, markers=markers, personal_markers=personal, search_terms=terms)


# --- filling URL patterns ---------------------------------------------------------------------


def _fill_regex(regex, value_for):
    """A concrete path for a regex pattern: each group replaced by a value, anchors dropped."""
    out, index, position = [], 0, 0
    while position < len(regex):
        char = regex[position]
        if char == "\\" and position + 1 < len(regex):
            out.append(regex[position + 1])
            position += 2
            continue
        if char == "(":
            depth, end = 1, position + 1
            while end < len(regex) and depth:
                depth += {"(": 1, ")": -1}.get(regex[end], 0)
                end += 1
            group = regex[position:end]
            named = re.match(r"\(\?P<(\w+)>", group)
            out.append(value_for(named.group(1) if named else None, index))
            index += 1
            position = end
            continue
        if char not in "^$":
            out.append(char)
        position += 1
    return "".join(out)


def fill(pattern, value_for):
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        names = iter(range(100))
        return re.sub(
            r"<(?:\w+:)?(\w+)>", lambda match: value_for(match.group(1), next(names)), route
        )
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern._regex, value_for)
    return str(pattern)


def _first_pk(model):
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return str(pk or 1)


def _values(secret, model):
    """The value of each URL parameter: the secret record of the URL's model, its latest
    version, and plausible values for everything else."""
    target = secret.objects.get(model) if model is not None else None
    cadre = secret.objects[Cadre]

    def value_for(name, index):
        if name in ("object_id", "pk", "id") or (name is None and index == 0):
            if model is None:
                return str(cadre.pk)
            return str(target.pk) if target is not None else _first_pk(model)
        if name in ("version_id", "history_id") or (name is None and index == 1):
            source = target if target is not None and hasattr(target, "history") else None
            if source is None and model is not None and hasattr(model, "history"):
                row = model.history.order_by("history_id").first()
                return str(row.history_id if row else 1)
            return str(source.history.latest().history_id) if source else "1"
        if name == "content_type_id":
            return str(ContentType.objects.get_for_model(Cadre).pk)
        if name == "app_label":
            return "cadres"
        if name == "code":
            return secret.objects[Course].programme.code
        if name == "url":
            return "nothing-here/"
        if name == "kind":
            return "participants"
        if name in ("token", "uidb64"):
            return "not-a-token"
        return "1"

    return value_for


def mounted_sites():
    """Every admin site mounted in the current URLconf, with the path of its index."""
    sites = []
    for site in list(all_sites):
        try:
            sites.append((site, reverse(f"{site.name}:index")))
        except NoReverseMatch:
            continue
    return sites


def every_url(secret):
    """(label, path) for every URL the app serves, parameters filled with the secret records."""
    urls = {}
    model_prefixes = set()
    for site, index in mounted_sites():
        for model, model_admin in site._registry.items():
            opts = model._meta
            prefix = f"{index}{opts.app_label}/{opts.model_name}/"
            model_prefixes.add(prefix)
            value_for = _values(secret, model)
            for pattern in model_admin.get_urls():
                path = prefix + fill(pattern.pattern, value_for)
                urls.setdefault(path, f"{site.name}:{opts.label_lower}:{pattern.name}")
            for field_name in model_admin.autocomplete_fields:
                related = opts.get_field(field_name).related_model
                term = secret.search_terms.get(related, "")
                query = urlencode(
                    {
                        "app_label": opts.app_label,
                        "model_name": opts.model_name,
                        "field_name": field_name,
                        "term": term,
                    }
                )
                path = f"{reverse(f'{site.name}:autocomplete')}?{query}"
                urls.setdefault(path, f"{site.name}:autocomplete:{opts.label_lower}.{field_name}")

    def walk(patterns, prefix):
        for pattern in patterns:
            path = prefix + fill(pattern.pattern, _values(secret, None))
            if isinstance(pattern, URLResolver):
                if path in model_prefixes:
                    continue  # walked through its ModelAdmin above
                yield from walk(pattern.url_patterns, path)
            else:
                yield path, pattern.name or getattr(pattern.callback, "__name__", "?")

    for path, name in walk(get_resolver().url_patterns, "/"):
        urls.setdefault(path, name)
    return sorted((label, path) for path, label in urls.items())


def leaks(client, urls, markers):
    """The URLs that answer with a server error, or with a page that shows a marker."""
    found = []
    for label, path in urls:
        try:
            response = client.get(path)
        except Exception as error:
            found.append((label, path, f"exception {error!r}"))
            continue
        if response.status_code in REFUSED:
            continue
        if response.status_code != 200:
            found.append((label, path, f"status {response.status_code}"))
            continue
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode("utf-8", "replace")
        found += [(label, path, marker) for marker in markers if marker in body]
    return found

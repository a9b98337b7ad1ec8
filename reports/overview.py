"""The national overview: every programme's targets and their status at a glance, and the
provinces that lag most across programmes. The same figures as the programme pages
(reports.figures), for the user's scope, as of a date."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from courses.models import Programme, Target

from .figures import ProgrammeData, health, programme_targets


@dataclass
class Lagging:
    """A province's record across programmes."""

    locality: object
    short_of: list = field(default_factory=list)  # (programme code, target label, people, goal)
    participant_times: int = 0


def national_overview(ref, user, as_of, top=10):
    programmes = []
    lag = {loc.code: Lagging(loc) for loc in ref.provinces}
    for data in ProgrammeData.for_programmes(Programme.objects.all(), ref, as_of, user):
        programme = data.programme
        targets = programme_targets(data, as_of, with_trajectory=False)
        programmes.append({"programme": programme, "targets": targets, "health": health(targets)})
        for (code,), n in data.breakdown(data.limit(_everything()), "unit").items():
            if code in lag:
                lag[code].participant_times += n
        for tp in targets:
            if tp.target.metric != Target.Metric.PER_LOCALITY_MIN:
                continue
            for code, _name, people in tp.short_counts:
                if code in lag:
                    lag[code].short_of.append(
                        (programme.code, tp.target.label, people, tp.target.value_min)
                    )
    ranked = sorted(lag.values(), key=lambda r: (-len(r.short_of), r.participant_times))
    statuses = Counter()
    for row in programmes:
        statuses.update(row["health"])
    by_status = defaultdict(int, statuses)
    return {
        "programmes": programmes,
        "lagging": [row for row in ranked if row.short_of or row.participant_times == 0][:top]
        or ranked[:top],
        "health": by_status,
        "as_of": as_of,
    }


def _everything():
    from .figures import TargetScope

    return TargetScope()

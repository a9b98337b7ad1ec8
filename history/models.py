"""Who changed what and when, for the records staff edit (django-simple-history).

The historical tables live in this app so that the data apps' migrations stay about data.
Rows written by a spreadsheet import are bulk-inserted without history rows: their trace is
the import batch (`import_batch` on each row, and imports.ImportChange for what it updated),
which keeps a 50,000-row import fast.
"""

import simple_history

from cadres.models import Cadre, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally, Target
from plans.models import Plan, PlanLine

TRACKED = [Course, Enrolment, Cadre, ParticipantTally, Target, WorkforceBaseline, Plan, PlanLine]

for model in TRACKED:
    simple_history.register(model, app="history", excluded_fields=["import_batch"])

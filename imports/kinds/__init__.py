"""The kinds of sheet: the engine (imports.kinds.engine) and one module per kind, plans'
included (imports.kinds.plans).

``from imports.kinds import X`` keeps working for every name other code uses: the engine's
``Importer``, ``KINDS`` and ``register``, and each kind's importer class.
"""

from ..bulk import insert_returning_pks, insert_rows
from .baselines import BaselineImporter
from .courses import MODE, CourseImporter
from .engine import KINDS, Importer, RowErrors, _jsonable, model_label, register
from .participants import GENDER, RESULT, ParticipantImporter, _email, _NewPerson
from .plans import PLANS_SHEET, PlanImporter
from .tallies import TallyImporter

for _importer in (CourseImporter, ParticipantImporter, TallyImporter, BaselineImporter):
    register(_importer)
register(PlanImporter, PLANS_SHEET)  # after the four: the README's table keeps its order

__all__ = [
    "GENDER",
    "KINDS",
    "MODE",
    "PLANS_SHEET",
    "RESULT",
    "BaselineImporter",
    "CourseImporter",
    "Importer",
    "ParticipantImporter",
    "PlanImporter",
    "RowErrors",
    "TallyImporter",
    "_NewPerson",
    "_email",
    "_jsonable",
    "insert_returning_pks",
    "insert_rows",
    "model_label",
    "register",
]

"""The kinds of sheet: the engine (imports.kinds.engine) and one module per kind.

``from imports.kinds import X`` keeps working for every name other code uses: the engine's
``Importer``, ``KINDS`` and ``register``, and each kind's importer class.
"""

from ..bulk import insert_returning_pks, insert_rows
from .baselines import BaselineImporter
from .courses import MODE, CourseImporter
from .engine import KINDS, Importer, RowErrors, _jsonable, model_label, register
from .participants import GENDER, RESULT, ParticipantImporter, _email, _NewPerson
from .tallies import TallyImporter

for _importer in (CourseImporter, ParticipantImporter, TallyImporter, BaselineImporter):
    register(_importer)

__all__ = [
    "GENDER",
    "KINDS",
    "MODE",
    "RESULT",
    "BaselineImporter",
    "CourseImporter",
    "Importer",
    "ParticipantImporter",
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

from django.apps import AppConfig
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

LOCKED_MODELS = [
    "courses.Course",
    "courses.Enrolment",
    "courses.ParticipantTally",
    "cadres.WorkforceBaseline",
    "plans.Plan",
    "plans.PlanLine",
]


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans and reporting periods")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The `plans` kind of sheet is the engine's (imports/kinds/plans.py), as is the row
        # check of an import against the locks (imports/kinds/locks.py).
        from courses.services import cadres_merging

        from . import locks

        cadres_merging.connect(locks.on_merge, dispatch_uid="plans-lock-merge")
        for label in LOCKED_MODELS:
            model = self.apps.get_model(label)
            pre_save.connect(locks.on_save, sender=model, dispatch_uid=f"plans-lock-save-{label}")
            pre_delete.connect(
                locks.on_delete, sender=model, dispatch_uid=f"plans-lock-delete-{label}"
            )

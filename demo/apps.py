from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set (`manage.py load_demo`): its own app, above the domain apps it fills."""

    name = "demo"
    verbose_name = _("Demo data")

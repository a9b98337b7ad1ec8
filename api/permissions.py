from rest_framework.permissions import BasePermission

# The personal-data rule is the kit's (trainingmgr.personal); api.views reads it from here.
from trainingmgr.personal import PERSONAL_DATA_PERMISSION, may_see_personal_data  # noqa: F401


class HasReportRole(BasePermission):
    """The same rule as the report pages: a clerk, a manager or an administrator (staff);
    an account in no role gets 403."""

    message = "Your account has no role that may read the reports."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser))

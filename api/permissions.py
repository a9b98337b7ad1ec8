from rest_framework.permissions import BasePermission

PERSONAL_DATA_PERMISSION = "cadres.view_personal_data"


class HasReportRole(BasePermission):
    """The same rule as the report pages: a clerk, a manager or an administrator (staff);
    an account in no role gets 403."""

    message = "Your account has no role that may read the reports."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser))


def may_see_personal_data(user):
    return user.has_perm(PERSONAL_DATA_PERMISSION)

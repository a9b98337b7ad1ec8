"""A write refused by an approved period (plans.locks.PeriodLocked, raised by the signals
inside the admin's transaction, which is rolled back) is shown as a message on the page the
user came from, not as a server error."""

from django.contrib import messages
from django.shortcuts import redirect

from .locks import PeriodLocked


class PeriodLockedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PeriodLocked):
            messages.error(request, " ".join(exception.messages))
            return redirect(request.get_full_path())
        return None

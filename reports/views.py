from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from courses.models import Programme


@login_required
def programme_list(request):
    return render(request, "reports/programme_list.html", {"programmes": Programme.objects.all()})


@login_required
def programme_detail(request, code):
    programme = get_object_or_404(Programme, code=code)
    return render(request, "reports/programme_detail.html", {"programme": programme})

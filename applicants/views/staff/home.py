from django.shortcuts import redirect

from applicants.views.staff.mixins import staff_required


@staff_required
def staff_home(request):
    return redirect("staff:queue")

from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.health import health_report


def home(request):
    # Signed-in applicants land on their applications; staff and visitors on the catalogue.
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect("applicants:dashboard")
    return redirect("placements:programme_list")


@never_cache
@require_GET
def healthz(request):
    healthy, report = health_report()
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": report}, status=200 if healthy else 503)

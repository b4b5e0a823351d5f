from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.health import health_report


def home(request):
    return redirect("placements:programme_list")


@never_cache
@require_GET
def healthz(request):
    healthy, report = health_report()
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": report}, status=200 if healthy else 503)

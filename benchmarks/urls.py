"""The portal's URLs plus the baseline: a view that goes through every middleware but touches
neither the database nor a template."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from portal.urls import urlpatterns as portal_urlpatterns

TRIVIAL_PATH = "/bench/trivial"


@require_GET
def trivial(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path(TRIVIAL_PATH.lstrip("/"), trivial, name="bench_trivial"), *portal_urlpatterns]

import ipaddress

from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.health import health_report
from portal.security.audit import client_ip
from portal.security.roles import is_privileged_request, landing_of


def home(request):
    # Signed-in applicants land on their applications; staff and visitors on the catalogue.
    if request.user.is_authenticated and not request.user.is_staff:
        # A supervisor of a host department lands on their placements.
        return redirect(landing_of(request.user) or "applicants:dashboard")
    return redirect("placements:programme_list")


def _from_this_machine(request) -> bool:
    """Whether the client (as the throttling sees it, through TRUSTED_PROXY_COUNT proxies) is loopback."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


@never_cache
@require_GET
def healthz(request):
    """Whether the portal is up, for anyone ("ok", 200, or "unavailable", 503); which service is down
    and why only for staff and for the machine itself (an operator, the container's health check)."""
    healthy, report = health_report()
    body: dict[str, object] = {"status": "ok" if healthy else "unavailable"}
    if _from_this_machine(request) or is_privileged_request(request):
        body["checks"] = report
    return JsonResponse(body, status=200 if healthy else 503)

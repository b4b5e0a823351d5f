"""Hooks of django-axes: which address a sign-in attempt is for, the client's IP, the lockout page."""

from django.conf import settings
from django.shortcuts import render

from portal.security.audit import client_ip as _client_ip


def attempted_login(request, credentials: dict | None) -> str | None:
    """The address an attempt is for, lower-cased: allauth passes it as "email", its form as "login"."""
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


def client_ip(request) -> str | None:
    ip = _client_ip(request)
    return None if ip == "-" else ip


def lockout_response(request, original_response=None, credentials=None):
    cooloff_seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "account/lockout.html",
        {"cooloff_minutes": cooloff_seconds // 60},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(cooloff_seconds)
    return response

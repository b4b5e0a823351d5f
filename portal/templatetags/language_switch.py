"""The language switcher's way back: the page's own path and query."""

from django import template
from django.utils.http import url_has_allowed_host_and_scheme

register = template.Library()


@register.simple_tag(takes_context=True)
def switch_back_url(context) -> str:
    """The current page's path and query, so that switching the language brings back the same page;
    a `next` parameter that leads off the site is left out, as pages never repeat such an address."""
    request = context.get("request")
    if request is None:
        return ""
    hosts = {request.get_host()}
    if all(url_has_allowed_host_and_scheme(value, allowed_hosts=hosts) for value in request.GET.getlist("next")):
        return request.get_full_path()
    query = request.GET.copy()
    del query["next"]
    return f"{request.path}?{query.urlencode(safe='/')}" if query else request.path

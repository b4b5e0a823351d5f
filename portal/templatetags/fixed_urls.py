"""`{% fixed_url 'name' %}`: `{% url %}` for a page without arguments, reversed once per process.

The page frame links to the same dozen pages from every page, and `{% url %}` reverses each of them
on every render: about 0.6 ms of a staff page. A URL without arguments changes only with the prefix
the site is mounted under (the same in every language: the URLs carry no language), so it is kept per
name and prefix.
"""

import functools

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@functools.cache
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def fixed_url(name: str) -> str:
    return _reversed(name, get_script_prefix())

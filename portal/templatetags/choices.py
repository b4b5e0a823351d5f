"""`display`: what a model's get_<field>_display() gives, for pages that show many such labels.

Django's get_<field>_display builds a dictionary of the field's choices on every call, translating
each label to hash it (eleven translations for an application's status). Here the labels of each
field are translated once per language and process: choices are code, they do not change while the
process runs.
"""

import functools

from django import template
from django.utils.translation import get_language, override

register = template.Library()


@functools.cache
def _labels(model, field_name: str, language: str | None) -> dict:
    with override(language):
        return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


@register.filter
def display(instance, field_name: str) -> str:
    """`{{ document|display:"state" }}` shows what `{{ document.get_state_display }}` would."""
    value = getattr(instance, field_name)
    return _labels(type(instance), field_name, get_language()).get(value, value)

"""The page's error summary: every problem of the forms a view gave its page, each tied to the
control it concerns, so that base.html can list them first and put "Error:" in the page's title."""

from collections.abc import Iterator
from dataclasses import dataclass

from django import forms, template
from django.contrib.messages import ERROR
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()

# Widgets whose label points at no single control: a problem links to their first one.
GROUPED_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)


@dataclass(frozen=True)
class Problem:
    message: str
    label: str = ""  # the field's label, when the message is about a field
    control_id: str = ""  # the id of the control to go to ("" for the form as a whole)


def _forms_in(value, depth: int = 0) -> Iterator[tuple[forms.BaseForm, int | None]]:
    """The bound forms in a context value, each with its row in a formset: a form, a formset's forms,
    or forms inside a list of rows (such as the documents step's (slot, form) pairs)."""
    if isinstance(value, forms.BaseForm):
        if value.is_bound:
            yield value, None
    elif isinstance(value, BaseFormSet):
        if value.is_bound:
            yield from ((form, index) for index, form in enumerate(value.forms, start=1))
    elif isinstance(value, list | tuple) and depth < 2:
        for item in value:
            yield from _forms_in(item, depth + 1)


def _control_id(bound: forms.BoundField) -> str:
    if not bound.auto_id or bound.is_hidden:
        return ""
    if isinstance(bound.field.widget, GROUPED_WIDGETS):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def form_problems(form: forms.BaseForm, *, row: int | None = None) -> list[Problem]:
    """The form's problems; `row` numbers a formset's form in the labels ("Weeks, row 2")."""
    problems = [Problem(str(message)) for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        label = str(bound.label or "")
        if row is not None:
            label = _("%(label)s, row %(row)d") % {"label": label, "row": row}
        problems += [Problem(str(message), label, _control_id(bound)) for message in errors]
    return problems


@register.simple_tag(takes_context=True)
def page_problems(context) -> list[Problem]:
    """Every problem of every bound form in the page's context, in the order the view gave them."""
    problems, seen = [], set()
    for value in context.flatten().values():
        if isinstance(value, BaseFormSet) and value.is_bound:
            problems += [Problem(str(message)) for message in value.non_form_errors()]
        for form, row in _forms_in(value):
            if id(form) not in seen:
                seen.add(id(form))
                problems += form_problems(form, row=row)
    return problems


@register.simple_tag(takes_context=True)
def page_refused(context) -> bool:
    """Whether the page reports an action that was refused (an error message after a redirect)."""
    return any(message.level >= ERROR for message in context.get("messages") or ())

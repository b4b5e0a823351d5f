"""The admin, safe with an id that is no key: its autocomplete for a related record and the pages of
a record's history (a list filtered by a date that cannot be: portal/admin_site.py).

Django's autocomplete looks up the posted value again to show it when the form comes back with an
error, and django-simple-history looks up the record and version ids of its URLs; a value that is
not a key ("2000-01-01", "1/change", a 29-digit number) makes those lookups fail with a server error.
Here such a value is shown as nothing chosen (next to the field's own "Select a valid choice"), and
a history page for it is a 404.
"""

from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models.fields import BLANK_CHOICE_DASH
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


def is_key(field, value, using: str = "default") -> bool:
    """Whether `value` can be looked up in the model field `field` (its type, and its range for a number)."""
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(key, int):
        low, high = connections[using].ops.integer_field_range(field.get_internal_type())
        return (low is None or key >= low) and (high is None or key <= high)
    return True


class KeyCheckingAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        keys = [item for item in value if is_key(to_field, item, self.db or "default")]
        return super().optgroups(name, keys, attr)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        # "Nothing chosen" gets Django's usual dashes: HTML allows no empty <option>.
        return super().create_option(name, value, label or BLANK_CHOICE_DASH[0][1], selected, index, subindex, attrs)


class CheckedAutocompleteAdmin:
    """Mixin of a ModelAdmin or an inline: its `autocomplete_fields` use KeyCheckingAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckingAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KeyCheckingHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin: the history of a record id, or a version id, that is no key is a 404."""

    def history_view(self, request, object_id, extra_context=None):
        if not is_key(self.model._meta.pk, unquote(object_id)):
            raise Http404("No such record.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        if not (is_key(self.model._meta.pk, unquote(object_id)) and is_key(history._meta.pk, version_id)):
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)

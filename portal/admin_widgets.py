"""The admin's autocomplete for a related record, safe with a submitted value that is no key.

Django's widget looks up the posted value again to show it when the form comes back with an error;
a value that is not a key of the related model ("2000-01-01", a 29-digit number) makes that lookup
fail with a server error. Here such a value is simply shown as nothing chosen, next to the field's
own "Select a valid choice" error.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models.fields import BLANK_CHOICE_DASH


class KeyCheckingAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._is_key(item)], attr)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        # "Nothing chosen" gets Django's usual dashes: HTML allows no empty <option>.
        return super().create_option(name, value, label or BLANK_CHOICE_DASH[0][1], selected, index, subindex, attrs)

    def _is_key(self, value) -> bool:
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        try:
            key = to_field.to_python(value)
        except ValidationError:
            return False
        if isinstance(key, int):
            low, high = connections[self.db or "default"].ops.integer_field_range(to_field.get_internal_type())
            return (low is None or key >= low) and (high is None or key <= high)
        return True


class CheckedAutocompleteAdmin:
    """Mixin of a ModelAdmin or an inline: its `autocomplete_fields` use KeyCheckingAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckingAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

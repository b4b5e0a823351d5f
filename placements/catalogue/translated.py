"""Catalogue texts in English and Dutch (django-modeltranslation).

A translated field `title` gets a column per language, `title_en` and `title_nl`; reading `title`
gives the active language's text, or the English one where the Dutch is empty. The apps register
their fields in their `translation` module with `translate`. `localized` names the same text inside
a query, for lookups that modeltranslation does not rewrite (through a relation, from a model that
is not translated).
"""

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from modeltranslation.manager import get_translatable_fields_for_model
from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def translate(model, *fields: str, empty_as_null: tuple[str, ...] = ()) -> None:
    """Give `fields` of `model` a column per language, and its history the same columns.

    `empty_as_null`: fields under a unique constraint, whose empty translations are stored as NULL
    (two departments without a Dutch name must not clash)."""
    options = type(
        f"{model.__name__}TranslationOptions",
        (TranslationOptions,),
        {"fields": fields, "empty_values": dict.fromkeys(empty_as_null)},
    )
    translator.register(model, options)
    for field in fields:
        _column_keeps_english(model._meta.get_field(field))
    _history_keeps_every_language(model, fields)


def _column_keeps_english(field) -> None:
    # modeltranslation keeps the original column and saves into it the text of the language active
    # at the time; keep it English instead, so that what reads the column itself (a default ordering,
    # a lookup through a model that is not translated) does not depend on who saved last.
    english = build_localized_fieldname(field.name, DEFAULT_LANGUAGE)
    pre_save = field.pre_save

    def english_pre_save(instance, add):
        value = getattr(instance, english)
        return pre_save(instance, add) if value in (None, "") else value

    field.pre_save = english_pre_save


def _history_keeps_every_language(model, fields) -> None:
    # django-simple-history copied the model's fields before these were added; a historical record
    # is built from every field of the model, so its model needs them too (as plain fields: a
    # version may repeat a unique name).
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    for field in fields:
        for language in LANGUAGES:
            name = build_localized_fieldname(field, language)
            _name, path, args, kwargs = model._meta.get_field(name).deconstruct()
            if kwargs.pop("unique", False):
                kwargs["db_index"] = True
            import_string(path)(*args, **kwargs).contribute_to_class(history, name)


def import_values(model, row: dict, fields) -> dict:
    """The values of `fields` given in an imported `row` (a JSON object): for a translated field the
    plain key is the English text (`title` -> `title_en`) and `title_nl` the Dutch one (empty: none)."""
    translated = set(get_translatable_fields_for_model(model) or ())
    values = {}
    for field in fields:
        if field not in translated:
            if field in row:
                values[field] = row[field]
            continue
        if field in row:
            values[build_localized_fieldname(field, DEFAULT_LANGUAGE)] = row[field]
        for language in LANGUAGES:
            key = build_localized_fieldname(field, language)
            if key in row:
                values[key] = row[key] if row[key] or language == DEFAULT_LANGUAGE else None
    return values


def localized(lookup: str, language: str | None = None):
    """The text of a translated field at `lookup` (e.g. "offerings__department__name") in `language`
    (the active one by default), or in English where it has none, as a query expression."""
    language = (language or get_language() or DEFAULT_LANGUAGE).split("-")[0]
    default = F(build_localized_fieldname(lookup, DEFAULT_LANGUAGE))
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return default
    text = TextField()
    return Coalesce(
        NullIf(F(build_localized_fieldname(lookup, language)), Value(""), output_field=text), default, output_field=text
    )

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from placements.allocation.models import CapacityOverride, Placement, SeatProposal
from placements.catalogue.models import (
    Department,
    DocumentType,
    EligibilityQuestion,
    Institution,
    Intake,
    Offering,
    OfferingGroup,
    Programme,
    ProgrammeDocument,
    RotationPattern,
    Specialization,
)
from placements.catalogue.translated import DEFAULT_LANGUAGE
from portal.admin_widgets import CheckedAutocompleteAdmin, KeyCheckingHistoryAdmin
from portal.text import PlainTextAdmin


class DutchFallsBackAdmin:
    """Mixin of a catalogue admin with texts in English and Dutch: each Dutch field says what an empty
    one shows."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and getattr(db_field, "language", DEFAULT_LANGUAGE) != DEFAULT_LANGUAGE:
            note = _("Left empty, readers of this language see the English text.")
            formfield.help_text = format_lazy("{} {}", formfield.help_text, note) if formfield.help_text else note
        return formfield


@admin.register(Institution)
class InstitutionAdmin(PlainTextAdmin, KeyCheckingHistoryAdmin):
    # A website typed without a scheme is https (Django 6's default, asked for now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "city", "country", "recognized"]
    list_filter = ["recognized", "country"]
    search_fields = ["name", "short_name", "city"]


@admin.register(Specialization)
class SpecializationAdmin(DutchFallsBackAdmin, PlainTextAdmin, TranslationAdmin, KeyCheckingHistoryAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Department)
class DepartmentAdmin(
    CheckedAutocompleteAdmin, DutchFallsBackAdmin, PlainTextAdmin, TranslationAdmin, KeyCheckingHistoryAdmin
):
    list_display = ["name", "institution", "specialization", "parent", "weekly_capacity"]
    list_editable = ["weekly_capacity"]
    list_filter = ["institution", "specialization"]
    list_select_related = ["institution", "specialization", "parent"]
    search_fields = ["name_en", "name_nl", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(DocumentType)
class DocumentTypeAdmin(DutchFallsBackAdmin, PlainTextAdmin, TranslationAdmin, KeyCheckingHistoryAdmin):
    list_display = ["name", "code", "allowed_kinds", "automatic_check"]
    search_fields = ["name_en", "name_nl", "code"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "allowed_kinds":
            # Its callable default would add a hidden copy of the initial value, which Django gives the
            # field's aria-describedby (not allowed on a hidden input); a document type's form needs none.
            formfield.show_hidden_initial = False
        return formfield


class ProgrammeDocumentInline(DutchFallsBackAdmin, PlainTextAdmin, TranslationStackedInline):
    model = ProgrammeDocument
    extra = 0


class EligibilityQuestionInline(DutchFallsBackAdmin, PlainTextAdmin, TranslationStackedInline):
    model = EligibilityQuestion
    extra = 0


class IntakeInline(PlainTextAdmin, admin.TabularInline):
    """A cohort programme's intakes: per academic year, the deadline and the internship's period."""

    model = Intake
    extra = 0


class OfferingGroupInline(DutchFallsBackAdmin, PlainTextAdmin, TranslationTabularInline):
    model = OfferingGroup
    extra = 0
    show_change_link = True
    # The description is a paragraph: it is edited on the group's own page (its Change link).
    fields = ["title", "min_choices", "max_choices", "order"]
    # The title in each language side by side, narrow enough that the table fits a laptop's window.
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 24})}}


class OfferingInline(CheckedAutocompleteAdmin, PlainTextAdmin, admin.TabularInline):
    model = Offering
    extra = 0
    autocomplete_fields = ["department"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        programme_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "group" and programme_id:
            kwargs["queryset"] = OfferingGroup.objects.filter(programme_id=programme_id)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "group" and programme_id:
            # Every group offered here is this programme's: its title alone keeps the column narrow.
            field.label_from_instance = lambda group: group.title
        return field


@admin.register(Programme)
class ProgrammeAdmin(DutchFallsBackAdmin, PlainTextAdmin, TranslationAdmin, KeyCheckingHistoryAdmin):
    list_display = ["title", "provider", "intake_mode", "lead_time_months", "published"]
    list_filter = ["published", "intake_mode"]
    search_fields = ["title_en", "title_nl", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["coordinators"]
    inlines = [IntakeInline, ProgrammeDocumentInline, EligibilityQuestionInline, OfferingGroupInline, OfferingInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "coordinators":
            # Staff only, never applicants: admins, staff members and the coordinators of any programme.
            people = db_field.remote_field.model.objects
            staff = Q(is_staff=True) | Q(is_superuser=True) | Q(coordinated_programmes__isnull=False)
            kwargs["queryset"] = people.filter(staff).distinct().order_by("email")
            kwargs["help_text"] = _(
                "Staff members and coordinators of any programme. To appoint someone else, tick "
                "“Staff status” on their account first (Portal › Users)."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RotationPatternInline(DutchFallsBackAdmin, PlainTextAdmin, TranslationTabularInline):
    model = RotationPattern
    extra = 0


@admin.register(OfferingGroup)
class OfferingGroupAdmin(DutchFallsBackAdmin, PlainTextAdmin, TranslationAdmin, KeyCheckingHistoryAdmin):
    list_display = ["title", "programme", "min_choices", "max_choices"]
    list_filter = ["programme"]
    inlines = [RotationPatternInline]


@admin.register(RotationPattern)
class RotationPatternAdmin(DutchFallsBackAdmin, PlainTextAdmin, TranslationAdmin, KeyCheckingHistoryAdmin):
    """Patterns on a page of their own (they are also edited with their group)."""

    list_display = ["label", "group", "min_offerings", "max_offerings", "min_weeks_each", "max_weeks_each"]
    list_filter = ["group__programme"]
    list_select_related = ["group__programme"]
    search_fields = ["label_en", "label_nl", "group__title_en", "group__title_nl"]


# --- capacity, placements and freed-seat proposals -----------------------------------------------


@admin.register(CapacityOverride)
class CapacityOverrideAdmin(CheckedAutocompleteAdmin, PlainTextAdmin, KeyCheckingHistoryAdmin):
    list_display = ["department", "week", "capacity", "reason"]
    list_filter = ["department__institution", "week"]
    list_select_related = ["department__institution"]
    search_fields = ["department__name", "reason"]
    autocomplete_fields = ["department"]
    date_hierarchy = "week"


@admin.register(Placement)
class PlacementAdmin(PlainTextAdmin, admin.ModelAdmin):
    """Read-mostly: placements change through the assignment page and the offer services, which
    count seats under locks; editing a row here bypasses that check. The status and the answer
    deadline are read-only: they change only through the placement state machine."""

    list_display = ["application", "department", "start_week", "weeks", "status", "offer_deadline"]
    list_filter = ["status", "department__institution", "application__programme"]
    list_select_related = ["application", "department"]
    search_fields = ["application__reference", "department__name"]
    readonly_fields = [
        "uuid",
        "application",
        "status",
        "offer_deadline",
        "end_week",
        "plan_run",
        "created_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "start_week"


@admin.register(SeatProposal)
class SeatProposalAdmin(PlainTextAdmin, admin.ModelAdmin):
    list_display = ["department", "start_week", "weeks", "application", "status", "created_at"]
    list_filter = ["status", "programme"]
    list_select_related = ["department", "application"]
    search_fields = ["application__reference", "department__name"]
    readonly_fields = ["uuid", "programme", "department", "freed_by", "application", "created_at", "resolved_by"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from placements.models import (
    Department,
    DocumentType,
    EligibilityQuestion,
    Institution,
    Offering,
    OfferingGroup,
    Programme,
    ProgrammeDocument,
    RotationPattern,
    Specialization,
)


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "city", "country", "recognized"]
    list_filter = ["recognized", "country"]
    search_fields = ["name", "short_name", "city"]


@admin.register(Specialization)
class SpecializationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "institution", "specialization", "parent", "weekly_capacity"]
    list_editable = ["weekly_capacity"]
    list_filter = ["institution", "specialization"]
    list_select_related = ["institution", "specialization", "parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(DocumentType)
class DocumentTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "allowed_kinds", "automatic_check"]
    search_fields = ["name", "code"]


class ProgrammeDocumentInline(admin.TabularInline):
    model = ProgrammeDocument
    extra = 0


class EligibilityQuestionInline(admin.StackedInline):
    model = EligibilityQuestion
    extra = 0


class OfferingGroupInline(admin.TabularInline):
    model = OfferingGroup
    extra = 0
    show_change_link = True


class OfferingInline(admin.TabularInline):
    model = Offering
    extra = 0
    autocomplete_fields = ["department"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group" and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = OfferingGroup.objects.filter(programme_id=request.resolver_match.kwargs["object_id"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "provider", "intake_mode", "lead_time_months", "published"]
    list_filter = ["published", "intake_mode"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["coordinators"]
    inlines = [ProgrammeDocumentInline, EligibilityQuestionInline, OfferingGroupInline, OfferingInline]


class RotationPatternInline(admin.TabularInline):
    model = RotationPattern
    extra = 0


@admin.register(OfferingGroup)
class OfferingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["title", "programme", "min_choices", "max_choices"]
    list_filter = ["programme"]
    inlines = [RotationPatternInline]

"""Admin of the applicants app: rubric criteria are edited here; applications, documents and events
are read-only (statuses change only through the workflow, files leave only through the checked views).
Drafts are their applicants' own until submitted (applicants/access.py): the admin does not list them,
their documents or their events either."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from applicants.enums import ApplicationStatus
from applicants.models import (
    Application,
    ApplicationComponent,
    Document,
    Event,
    PrivacyNotice,
    Review,
    RubricCriterion,
)
from placements.admin import DutchFallsBackAdmin
from portal.admin_widgets import KeyCheckingHistoryAdmin
from portal.text import PlainTextAdmin


class ToStatusFilter(admin.SimpleListFilter):
    """The statuses an event led to, by name (events that changed no status have none)."""

    title = _("to status")
    parameter_name = "to_status"

    def lookups(self, request, model_admin):
        return ApplicationStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(to_status=self.value()) if self.value() else queryset


@admin.register(RubricCriterion)
class RubricCriterionAdmin(DutchFallsBackAdmin, PlainTextAdmin, TranslationAdmin, KeyCheckingHistoryAdmin):
    """What reviewers score from 1 to 5, per programme, in this order."""

    list_display = ["name", "programme", "order", "description"]
    list_editable = ["order"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name_en", "name_nl", "description_en", "description_nl"]
    ordering = ["programme", "order", "id"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ComponentInline(ReadOnlyInline):
    model = ApplicationComponent
    fields = ["rank", "offering", "weeks"]


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ["document_type", "original_name", "size", "state", "reason", "uploaded_at"]
    show_change_link = True


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ["reviewer", "mean_score", "recommendation", "comment", "updated_at"]


class EventInline(ReadOnlyInline):
    model = Event
    fk_name = "application"
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "internal", "message"]
    ordering = ["created_at", "id"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """For looking things up; coordinators work on the staff pages, where changes go through the workflow."""

    list_display = ["reference", "applicant", "programme", "status", "start_date", "submitted_at", "review_score"]
    list_filter = ["status", "programme", "submitted_at"]
    list_select_related = ["applicant", "programme"]
    search_fields = ["reference", "applicant__email", "applicant__first_name", "applicant__last_name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reference", "uuid", "applicant", "programme", "status", "staff_page", "start_date", "end_date",
        "answers", "completed_steps", "consent_given_at", "privacy_notice_version", "created_at", "updated_at",
        "submitted_at", "decided_at", "review_score", "review_count",
    ]  # fmt: skip
    inlines = [ComponentInline, DocumentInline, ReviewInline, EventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=ApplicationStatus.DRAFT)

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        url = reverse("staff:application", args=[obj.uuid])
        return format_html('<a href="{}">{}</a>', url, gettext("Open on the staff pages"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "document_type", "application", "state", "size", "uploaded_at"]
    list_filter = ["state", "document_type"]
    list_select_related = ["document_type", "application"]
    search_fields = ["original_name", "application__reference", "sha256"]
    # The stored files themselves are not shown: private storage has no URLs, the download view checks access.
    fields = [
        "application", "document_type", "original_name", "download", "size", "sha256", "content_kind",
        "state", "reason", "pages", "uploaded_at", "processed_at", "text",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(application__status=ApplicationStatus.DRAFT)

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("applicants:document_download", args=[obj.uuid])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail: never added, changed or deleted by hand."""

    list_display = ["created_at", "application", "kind", "from_status", "to_status", "actor", "internal"]
    list_filter = ["kind", "internal", ToStatusFilter]
    list_select_related = ["application", "actor"]
    search_fields = ["application__reference", "message", "actor__email"]
    date_hierarchy = "created_at"
    fields = [
        "created_at", "application", "kind", "from_status", "to_status", "actor", "internal", "caused_by", "message",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(application__status=ApplicationStatus.DRAFT)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(PlainTextAdmin, admin.ModelAdmin):
    """Admins write new versions; a published version is never edited, since consents refer to it."""

    list_display = ["version", "published_at", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return ["version", "text", "text_nl", "published_at"]
        return []

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.published_at is None

"""Training in the admin: the competencies per specialization, the programmes' evaluation forms and
logbook setting (catalogue data, with a history), and read-only views of what trainees and supervisors
wrote, with revocation of a certificate."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from placements.training.models import (
    Certificate,
    Competency,
    CompetencyGroup,
    Evaluation,
    EvaluationForm,
    EvaluationItem,
    LogbookEntry,
    ProgrammeTraining,
)
from placements.training.services.certificates import certificate_revoke
from portal.admin_widgets import KeyCheckingHistoryAdmin
from portal.text import PlainTextAdmin


@admin.register(ProgrammeTraining)
class ProgrammeTrainingAdmin(PlainTextAdmin, KeyCheckingHistoryAdmin):
    list_display = ["programme", "keeps_logbook"]


class CompetencyInline(PlainTextAdmin, admin.StackedInline):
    model = Competency
    extra = 0


@admin.register(CompetencyGroup)
class CompetencyGroupAdmin(PlainTextAdmin, KeyCheckingHistoryAdmin):
    list_display = ["title", "specialization", "order"]
    list_filter = ["specialization"]
    list_select_related = ["specialization"]
    search_fields = ["title"]
    inlines = [CompetencyInline]


@admin.register(Competency)
class CompetencyAdmin(PlainTextAdmin, KeyCheckingHistoryAdmin):
    list_display = ["title", "group", "expected_level", "order"]
    list_filter = ["group__specialization", "expected_level"]
    list_select_related = ["group__specialization"]
    search_fields = ["title", "description"]


class EvaluationItemInline(PlainTextAdmin, admin.TabularInline):
    model = EvaluationItem
    extra = 0


@admin.register(EvaluationForm)
class EvaluationFormAdmin(PlainTextAdmin, KeyCheckingHistoryAdmin):
    list_display = ["title", "programme", "kind"]
    list_filter = ["programme", "kind"]
    inlines = [EvaluationItemInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "scale_labels":
            # Its callable default would add a hidden initial copy that carries an aria-describedby.
            formfield.show_hidden_initial = False
        return formfield


class ReadOnlyAdmin(admin.ModelAdmin):
    """What people wrote on the portal: shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LogbookEntry)
class LogbookEntryAdmin(ReadOnlyAdmin):
    list_display = ["date", "competency", "hours", "status", "placement"]
    list_filter = ["status"]
    list_select_related = ["competency", "placement__department__institution"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["placement", "kind", "due_on", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["placement__department__institution"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "status", "issued_on", "revoked_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["application"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the chosen certificates"))
    def revoke(self, request, queryset):
        count = sum(certificate_revoke(certificate=c, reason=_("Revoked by an administrator.")) for c in queryset)
        self.message_user(request, _("%(count)s certificate(s) revoked.") % {"count": count}, messages.SUCCESS)

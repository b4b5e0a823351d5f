"""The applicant's answer to a coordinator's request for more information: text and replacement files."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from applicants import access
from applicants.enums import ApplicationStatus
from applicants.errors import DomainError
from applicants.models import Application
from applicants.services.decisions import application_answer_info, info_request_latest
from placements.catalogue.models import ProgrammeDocument
from portal.text import plain_text

EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg,.jpeg", "png": ".png"}


class InfoAnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
        error_messages={"required": gettext_lazy("Write your answer to the coordinator.")},
        validators=[plain_text],
    )

    def __init__(
        self, *args, programme_documents: list[ProgrammeDocument], sent: frozenset[int] = frozenset(), **kwargs
    ):
        """`sent`: the ids of the document types the applicant has sent a file of."""
        super().__init__(*args, **kwargs)
        self.programme_documents = programme_documents
        limit = filesizeformat(settings.DOCUMENT_MAX_BYTES)
        for item in programme_documents:
            document_type = item.document_type
            kinds = ", ".join(kind.upper() for kind in document_type.allowed_kinds)
            if document_type.pk in sent:
                help_text = _("Optional: a new file replaces the one you sent. %(kinds)s, at most %(limit)s.")
            else:
                help_text = _(
                    "Optional: you have not sent one yet; add it here if you like. %(kinds)s, at most %(limit)s."
                )
            self.fields[self.field_name(item)] = forms.FileField(
                label=document_type.name,
                required=False,
                help_text=help_text % {"kinds": kinds, "limit": limit},
                widget=forms.ClearableFileInput(
                    attrs={
                        "class": "form-control",
                        "accept": ",".join(EXTENSIONS.get(kind, "") for kind in document_type.allowed_kinds),
                    }
                ),
            )

    @staticmethod
    def field_name(item: ProgrammeDocument) -> str:
        return f"file_{item.document_type_id}"

    def file_fields(self):
        return [self[self.field_name(item)] for item in self.programme_documents]

    def uploads(self) -> dict:
        """DocumentType -> uploaded file, for the files the applicant chose."""
        return {
            item.document_type: self.cleaned_data[self.field_name(item)]
            for item in self.programme_documents
            if self.cleaned_data.get(self.field_name(item))
        }


@login_required
@require_http_methods(["GET", "POST"])
def application_answer(request, uuid):
    application = access.application_for_user(
        request.user,
        uuid,
        queryset=Application.objects.select_related("programme").prefetch_related(
            Prefetch(
                "programme__programme_documents",
                queryset=ProgrammeDocument.objects.select_related("document_type").order_by("order", "id"),
            )
        ),
    )
    if application.applicant_id != request.user.pk:
        # Staff may see the application, but only its applicant answers; to others this page does not exist.
        raise Http404("No such page.")
    if application.status != ApplicationStatus.INFO_REQUESTED:
        messages.info(request, _("There is no open request for information on this application."))
        return redirect(application.get_absolute_url())
    programme_documents = list(application.programme.programme_documents.all())
    sent = frozenset(application.documents.values_list("document_type_id", flat=True))
    if request.method == "POST":
        form = InfoAnswerForm(request.POST, request.FILES, programme_documents=programme_documents, sent=sent)
        if form.is_valid():
            try:
                application_answer_info(
                    application=application,
                    by=request.user,
                    answer=form.cleaned_data["answer"],
                    uploads=form.uploads(),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Your answer has been sent; the coordinator will review your application again.")
                )
                return redirect(application.get_absolute_url())
    else:
        form = InfoAnswerForm(programme_documents=programme_documents, sent=sent)
    return render(
        request,
        "applicants/info_reply.html",
        {"application": application, "request_event": info_request_latest(application), "form": form},
    )

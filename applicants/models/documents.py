import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applicants.enums import CheckStatus, DocumentState
from applicants.storage import private_storage, random_document_path, random_preview_path


class Document(models.Model):
    """An uploaded file, stored privately under a random name and checked by a worker."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    document_type = models.ForeignKey(
        "placements.DocumentType", on_delete=models.PROTECT, related_name="+", verbose_name=_("document type")
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=random_document_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=150)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    content_kind = models.CharField(
        _("content kind"), max_length=10, help_text=_("The kind found in the file's bytes.")
    )
    state = models.CharField(_("state"), max_length=10, choices=DocumentState.choices, default=DocumentState.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True, help_text=_("Why the file was refused."))
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("Text extracted from the document."))
    preview = models.FileField(
        _("preview"), storage=private_storage, upload_to=random_preview_path, blank=True, max_length=200
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    disarm_version = models.PositiveSmallIntegerField(
        _("disarm version"),
        default=0,
        help_text=_(
            "For a PDF: the version of the rules it was rebuilt with (applicants.files.disarm); "
            "0 when it never was (stored before uploads were rebuilt, refused, or an image)."
        ),
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "document_type"], name="document_one_per_type"),
        ]
        indexes = [
            # The queue's warnings filter maps warned checks to their applications from this index
            # alone, instead of reading the whole document table.
            models.Index(fields=["id"], include=["application"], name="document_application"),
        ]

    def __str__(self):
        return f"{self.document_type}: {self.original_name}"


class DocumentCheck(models.Model):
    """The outcome of one automatic check on a document, as a sentence a coordinator can read."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="checks", verbose_name=_("document"))
    code = models.CharField(_("code"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=CheckStatus.choices)
    message = models.CharField(_("message"), max_length=300)
    # The applicant's word that a warned finding is mistaken (e.g. "my letter does state the dates"): it
    # holds for the finding as worded then, so a check that says something else (new dates) asks again.
    confirmed_message = models.CharField(_("confirmed message"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document check")
        verbose_name_plural = _("document checks")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["document", "code"], name="document_check_unique")]
        # The few warned checks, for the queue's warnings filter and badge.
        indexes = [
            models.Index(fields=["document"], condition=Q(status=CheckStatus.WARN), name="document_check_warned"),
        ]

    def __str__(self):
        return f"{self.code}: {self.status}"

    @property
    def confirmed(self) -> bool:
        """The applicant confirmed that this finding, as it reads now, is mistaken."""
        return bool(self.confirmed_at) and self.confirmed_message == self.message

import uuid

from django.db import models
from django.db.models import Q

from applicants.enums import CheckStatus, DocumentState
from applicants.storage import private_storage, random_document_path, random_preview_path


class Document(models.Model):
    """An uploaded file, stored privately under a random name and checked by a worker."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey("applicants.Application", on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey("placements.DocumentType", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(storage=private_storage, upload_to=random_document_path, max_length=200)
    original_name = models.CharField(max_length=150)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_kind = models.CharField(max_length=10, help_text="The kind found in the file's bytes.")
    state = models.CharField(max_length=10, choices=DocumentState.choices, default=DocumentState.PENDING)
    reason = models.CharField(max_length=300, blank=True, help_text="Why the file was refused.")
    pages = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="Text extracted from the document.")
    preview = models.FileField(storage=private_storage, upload_to=random_preview_path, blank=True, max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    disarm_version = models.PositiveSmallIntegerField(
        default=0,
        help_text="For a PDF: the version of the rules it was rebuilt with (applicants.files.disarm); "
        "0 when it never was (stored before uploads were rebuilt, refused, or an image).",
    )

    class Meta:
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

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="checks")
    code = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=CheckStatus.choices)
    message = models.CharField(max_length=300)
    # The applicant's word that a warned finding is mistaken (e.g. "my letter does state the dates"): it
    # holds for the finding as worded then, so a check that says something else (new dates) asks again.
    confirmed_message = models.CharField(max_length=300, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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

# The yearly report of the insights page: a PDF written by a worker, followed like the dossier.

import uuid

import django.db.models.deletion
import placements.allocation.models.reports
import applicants.storage
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0011_translatable_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InsightsReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "progress",
                    models.PositiveSmallIntegerField(default=0, help_text="Per cent done.", verbose_name="progress"),
                ),
                (
                    "stage",
                    models.CharField(
                        blank=True,
                        help_text="What the worker is doing, in plain words.",
                        max_length=200,
                        verbose_name="stage",
                    ),
                ),
                (
                    "error",
                    models.CharField(
                        blank=True,
                        help_text="Why it failed, for the person who asked.",
                        max_length=300,
                        verbose_name="error",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "claimed_at",
                    models.DateTimeField(
                        blank=True, help_text="When a worker last took it on.", null=True, verbose_name="claimed at"
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(
                        auto_now_add=True, help_text="Last sign of life from the worker.", verbose_name="updated at"
                    ),
                ),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("programme_ids", models.JSONField(default=list, verbose_name="programmes")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("language", models.CharField(default="en", max_length=10, verbose_name="language")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting to start"),
                            ("running", "Being written"),
                            ("ready", "Ready to download"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        storage=applicants.storage.private_storage,
                        upload_to=placements.allocation.models.reports.random_report_path,
                    ),
                ),
                ("pages", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "yearly report",
                "verbose_name_plural": "yearly reports",
                "ordering": ["-created_at"],
                "indexes": [models.Index(fields=["requested_by", "status"], name="placements__request_e160c1_idx")],
            },
        ),
    ]

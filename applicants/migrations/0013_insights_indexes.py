# The insights dashboard's figures over a period (applications per week, the funnel, time to decision,
# origins) read from indexes by programme and date that carry the columns they count, instead of
# scanning every application.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0012_queue_reverse_sort_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("status", "draft"), _negated=True),
                fields=["programme", "submitted_at"],
                include=("id", "status", "applicant", "decided_at"),
                name="application_insights_submitted",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["programme", "created_at"],
                include=("id", "status", "submitted_at", "decided_at"),
                name="application_insights_created",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("decided_at__isnull", False)),
                fields=["programme", "decided_at"],
                include=("submitted_at",),
                name="application_insights_decided",
            ),
        ),
    ]

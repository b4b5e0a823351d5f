from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0012_insights_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="interruption_reason",
            field=models.TextField(
                blank=True, help_text="Why the placement stopped early.", verbose_name="interruption reason"
            ),
        ),
        migrations.AlterField(
            model_name="placement",
            name="status",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("offered", "Offered"),
                    ("confirmed", "Confirmed"),
                    ("declined", "Declined"),
                    ("expired", "Expired"),
                    ("cancelled", "Cancelled"),
                    ("in_progress", "In progress"),
                    ("completed", "Completed"),
                    ("interrupted", "Interrupted"),
                ],
                default="proposed",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="programmedocument",
            name="shared_with_hosts",
            field=models.BooleanField(
                default=False,
                help_text="The supervisors of the host department may download this document of a placed trainee.",
                verbose_name="shared with hosts",
            ),
        ),
        migrations.AddField(
            model_name="historicalprogrammedocument",
            name="shared_with_hosts",
            field=models.BooleanField(
                default=False,
                help_text="The supervisors of the host department may download this document of a placed trainee.",
                verbose_name="shared with hosts",
            ),
        ),
    ]

# The review queue's search text (applicants.search): added, filled for every submitted application,
# and on PostgreSQL only, matched through a trigram index (pg_trgm), so that a search by name, e-mail
# address or reference reads a few index pages instead of every application joined with its
# applicant. SQLite (make run) gets the column alone and scans it, which its small data can afford.

from django.db import migrations, models

from applicants.search import searchable

BATCH = 2000
INDEX = "application_search_trgm"


def fill_search_text(apps, schema_editor):
    Application = apps.get_model("applicants", "Application")
    rows = (
        Application.objects.exclude(reference=None)
        .order_by("pk")
        .values_list("pk", "reference", "applicant__first_name", "applicant__last_name", "applicant__email")
    )
    batch = []
    for pk, reference, first_name, last_name, email in rows.iterator(chunk_size=BATCH):
        batch.append(Application(pk=pk, search_text=searchable(first_name, last_name, email, reference)))
        if len(batch) == BATCH:
            Application.objects.bulk_update(batch, ["search_text"])
            batch = []
    Application.objects.bulk_update(batch, ["search_text"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON applicants_application USING gin (search_text gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('applicants', '0008_document_disarm_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]

# Every document stored so far gets disarm_version 0: the PDFs among them (ready ones) are rebuilt by
# the worker afterwards, a batch at a time, by applicants.disarm_stored_documents on the beat schedule
# (applicants/services/stored_documents.py), which records the version on each one it has done.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applicants', '0007_event_placement_changed'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='disarm_version',
            field=models.PositiveSmallIntegerField(default=0, help_text='For a PDF: the version of the rules it was rebuilt with (applicants.files.disarm); 0 when it never was (stored before uploads were rebuilt, refused, or an image).'),
        ),
    ]

"""The English and Dutch e-mail texts the portal starts with (templates/emails/, see portal/mail/defaults.py).

Only missing templates are created: texts edited in the admin are never overwritten, and reversing
the migration leaves them in place.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from portal.mail.defaults import email_templates_install

    email_templates_install(model=apps.get_model("portal", "EmailTemplate"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_email_templates_and_log")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

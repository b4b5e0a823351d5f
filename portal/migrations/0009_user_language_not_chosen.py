# A person's language is empty until they choose one (the switcher, or the language of their sign-up
# page): until then pages follow the browser. Accounts made before keep the language they have.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_placement_starting_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("nl", "Nederlands")],
                default="",
                max_length=2,
                verbose_name="language",
            ),
        ),
    ]

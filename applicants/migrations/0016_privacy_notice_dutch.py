from django.db import migrations, models

# The first notice in Dutch, frozen here like its English text in 0003; later versions get theirs in the admin.
NOTICE_2026_11_NL = """\
Wie wij zijn. Het stageportaal wordt beheerd door de ziekenhuizen en universiteiten die de programma's aanbieden \
die erop vermeld staan. De coördinatoren van een programma beslissen over de aanvragen voor dat programma.

Wat wij bewaren. Uw e-mailadres en naam; het profiel dat u invult (nationaliteit, thuisuniversiteit of \
-ziekenhuis, studiefase, niveau van uw Engels, telefoonnummer); elke aanvraag met haar antwoorden, gekozen \
onderdelen, data en documenten; en een logboek van wat ermee gebeurde, met inbegrip van de e-mails die wij u stuurden.

Waarom. Alleen om over uw aanvraag te beslissen, om uw stage te plannen en te laten verlopen, en om u op de hoogte \
te houden. De grondslag daarvoor is de toestemming die u geeft wanneer u indient. Wij verkopen uw gegevens nooit en \
gebruiken ze nooit voor marketing.

Wie ze ziet. De coördinatoren van het programma waarvoor u aanvraagt en, zodra een stageplaats wordt aangeboden, de \
ontvangende afdeling. Uw documenten worden vertrouwelijk bewaard en alleen die personen kunnen ze openen; telkens \
wanneer een coördinator er een opent, wordt dat in de geschiedenis van de aanvraag genoteerd.

Hoe lang. Documenten worden verwijderd zodra de bewaartermijn van het programma na de definitieve beslissing is \
verstreken (12 maanden, tenzij het programma anders bepaalt). Anonieme cijfers (hoeveel mensen aanvroegen, waarvoor \
en met welke uitkomst) worden bewaard voor de planning.

Uw rechten. U kunt alles wat wij over u bewaren als bestand downloaden via uw overzicht. U kunt uw account op elk \
moment verwijderen: lopende aanvragen worden ingetrokken, uw documenten worden verwijderd en uw naam, adres en \
antwoorden worden gewist; alleen anonieme cijfers blijven over. U kunt de coördinatoren ook vragen uw gegevens te \
verbeteren, of een klacht indienen bij de toezichthouder voor gegevensbescherming.
"""


def translate_first_notice(apps, schema_editor):
    PrivacyNotice = apps.get_model("applicants", "PrivacyNotice")
    PrivacyNotice.objects.filter(version="2026-11", text_nl="").update(text_nl=NOTICE_2026_11_NL)


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0015_rubric_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="privacynotice",
            name="text_nl",
            field=models.TextField(
                blank=True,
                help_text=(
                    "The same notice in Dutch, for those who read the portal in Dutch; left empty, they read "
                    "the English text."
                ),
                verbose_name="text in Dutch",
            ),
        ),
        migrations.RunPython(translate_first_notice, migrations.RunPython.noop),
    ]

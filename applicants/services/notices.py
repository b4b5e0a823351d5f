"""The privacy notice: the published version shown before consent, whose version the consent records."""

from datetime import UTC, datetime

from django.utils import timezone

from applicants.models import PrivacyNotice

# The same notice in Dutch (as migration 0016 gives the published one).
FALLBACK_NOTICE_NL = """\
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

# Stands in when no notice is published (an empty test database); the same words as migration 0003.
FALLBACK_NOTICE = PrivacyNotice(
    version="2026-11",
    published_at=datetime(2026, 11, 1, tzinfo=UTC),
    text=(
        "Who we are. The placement portal is run by the hospitals and universities that offer the programmes "
        "listed on it. The coordinators of a programme decide on the applications made to it.\n\n"
        "What we keep. Your e-mail address and name; the profile you fill in (nationality, home university or "
        "hospital, study phase, English level, phone number); each application with its answers, chosen parts, "
        "dates and documents; and a log of what happened to it, including the e-mails we sent you.\n\n"
        "Why. Only to decide on your application, to plan and run your placement, and to keep you informed. Your "
        "consent, given when you submit, is the basis for this. We never sell your data and never use it for "
        "marketing.\n\n"
        "Who sees it. The coordinators of the programme you applied to and, once a placement is offered, the host "
        "department. Your documents are stored privately and only those people can open them; every time a "
        "coordinator opens one, it is noted on the application's history.\n\n"
        "How long. Documents are deleted once the retention period of the programme has passed after the final "
        "decision (12 months unless the programme says otherwise). Anonymous figures (how many applied, to what, "
        "with what outcome) are kept for planning.\n\n"
        "Your rights. You can download everything we hold about you, as a file, from your dashboard. You can "
        "delete your account at any time: open applications are withdrawn, your documents are deleted and your "
        "name, address and answers are erased; only anonymous figures remain. You may also ask the coordinators "
        "to correct your data or complain to your data protection authority."
    ),
    text_nl=FALLBACK_NOTICE_NL,
)


def privacy_notice_current() -> PrivacyNotice:
    """The latest published notice: the one shown before consent, whose version the consent records."""
    notice = PrivacyNotice.objects.filter(published_at__lte=timezone.now()).order_by("-published_at", "-id").first()
    return notice or FALLBACK_NOTICE

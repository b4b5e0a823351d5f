"""The privacy notice: the published version shown before consent, whose version the consent records."""

from datetime import UTC, datetime

from django.utils import timezone

from applicants.models import PrivacyNotice

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
)


def privacy_notice_current() -> PrivacyNotice:
    """The latest published notice: the one shown before consent, whose version the consent records."""
    notice = PrivacyNotice.objects.filter(published_at__lte=timezone.now()).order_by("-published_at", "-id").first()
    return notice or FALLBACK_NOTICE

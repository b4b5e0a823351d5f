"""Side effects of transitions, run after the transaction commits (tasks are imported lazily)."""


def email_applicant(application_id: int, event_id: int) -> None:
    from applicants.tasks import send_event_email

    send_event_email.delay(event_id=event_id)

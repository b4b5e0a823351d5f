"""What e-mail delivery tells the rest of the portal, without knowing who listens."""

from django.dispatch import Signal

# Sent by `services.email_deliver` once a message is sent, or has failed for good, inside the
# transaction that records that on its row: a receiver's writes commit with it, and a receiver's
# error rolls it back. Arguments: sender=EmailLog, log (the row, status and last_error set), failed.
email_settled = Signal()

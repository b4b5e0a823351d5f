from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address: applicant, coordinator or admin."""

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        DUTCH = "nl", "Nederlands"

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # Empty until the person chooses (the switcher, or the sign-up page's language): until then pages
    # follow their browser and e-mails are in English.
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email


class WorkerHeartbeat(models.Model):
    """The last time a worker reported in under a label (written by `portal.record_heartbeat`)."""

    label = models.CharField(_("label"), max_length=100, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.label} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


from portal.mail.models import EmailLog, EmailTemplate  # noqa: E402, F401

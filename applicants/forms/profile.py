from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from applicants.models import ApplicantProfile
from portal.text import refuse_control_characters

User = get_user_model()


class ApplicantProfileForm(forms.ModelForm):
    """The applicant's profile together with the name and language kept on their account."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    language = forms.ChoiceField(
        label=_("Language for e-mails"),
        choices=User.Language.choices,
        help_text=_("The portal writes to you in this language where it can."),
    )

    class Meta:
        model = ApplicantProfile
        fields = ["nationality", "home_institution", "study_phase", "degree", "english_level", "phone"]
        widgets = {
            "nationality": forms.TextInput({"placeholder": _("e.g. Belgian")}),
            "home_institution": forms.TextInput({"autocomplete": "organization"}),
            "phone": forms.TextInput({"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "degree": _("The name of your programme or of the degree you hold."),
            "phone": _("Optional; with the country code, e.g. +32 16 00 00 00."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("first_name", "last_name", "language"):
            self.fields[name].initial = getattr(user, name)
        refuse_control_characters(self.fields)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes the <form>, its token and the buttons
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("About you"),
                Div(Div("first_name", css_class="col-sm-6"), Div("last_name", css_class="col-sm-6"), css_class="row"),
                Div(Div("nationality", css_class="col-sm-6"), Div("phone", css_class="col-sm-6"), css_class="row"),
            ),
            Fieldset(_("Your studies"), "home_institution", "study_phase", "degree", "english_level"),
            Fieldset(_("Preferences"), "language"),
        )

    def save(self, commit=True):
        """Save the name and language on the account and the profile itself (created on first save)."""
        profile = super().save(commit=False)
        profile.user = self.user
        for name in ("first_name", "last_name", "language"):
            setattr(self.user, name, self.cleaned_data[name])
        if commit:
            self.user.save(update_fields=["first_name", "last_name", "language"])
            profile.save()
        return profile

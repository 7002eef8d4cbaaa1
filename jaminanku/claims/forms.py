"""Forms of the member's claim pages. Field names are the services' keyword names, so a DomainError's `field`
lands on the field it is about; the rules themselves (which kind, which file, which account) are the services'."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jaminanku.claims.banks import bank_choices
from jaminanku.claims.eligibility import ClaimOption
from jaminanku.claims.models import ClaimDocument, JhtClaim
from jaminanku.registry.models import Membership


class StartForm(forms.Form):
    """Which KPJ and which kind, among the kinds the eligibility answer offers online for that KPJ."""

    kpj = forms.ChoiceField(label=_("KPJ"), required=False)  # none sent: the view takes the latest KPJ
    kind = forms.ChoiceField(label=_("Jenis klaim"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, memberships: list[Membership], options: list[ClaimOption], **kwargs: Any):
        super().__init__(*args, **kwargs)
        kpj = cast(forms.ChoiceField, self.fields["kpj"])
        kpj.choices = [(m.kpj, f"{m.kpj} ({m.get_segment_display()})") for m in memberships]
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [(o.kind, JhtClaim.Kind(o.kind).label) for o in options if "online" in o.channels]


class DocumentForm(forms.Form):
    """One upload: the kind of document and the file; its content is checked by claims.documents."""

    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=ClaimDocument.Kind.choices, widget=forms.HiddenInput)
    file = forms.FileField(label=_("Berkas (foto JPG/PNG atau PDF)"))


def _bank_choices() -> list[tuple[str, Any]]:
    return [("", _("Pilih bank")), *bank_choices()]


class PayoutAccountForm(forms.Form):
    """The bank account the claim is paid to; the holder's name is compared with the registry name."""

    bank_code = forms.ChoiceField(label=_("Bank"), choices=_bank_choices)
    account_number = forms.CharField(
        label=_("Nomor rekening"), max_length=34, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    account_holder = forms.CharField(
        label=_("Nama pemilik rekening"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "Saya menyatakan bahwa data dan dokumen yang saya berikan benar, dan saya bersedia mengembalikan dana "
            "yang diterima bila ternyata tidak berhak."
        ),
        required=False,  # submit_claim refuses an unticked declaration with its own message
    )

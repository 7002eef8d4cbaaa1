"""The claim desk's forms: a decision's note, a rejection's reason, and a claim filed at the counter (the documents
its ground needs, the member's bank account or the heirs of a death claim)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from jaminanku.claims.banks import bank_choices
from jaminanku.claims.models import ClaimDocument, ClaimHeir


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk peserta (boleh kosong)"), required=False, max_length=500, widget=forms.Textarea
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan (dibaca peserta)"),
        max_length=1000,
        widget=forms.Textarea,
        help_text=_("Tulis apa yang kurang atau salah dan apa yang dapat dilakukan peserta."),
    )


def _bank_field(required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Bank"), choices=[("", _("— pilih bank —")), *bank_choices()], required=required)


class BranchClaimForm(forms.Form):
    """The documents asked for by the claim's ground, then the member's account unless it is a death claim."""

    bank_code = _bank_field(required=False)
    account_number = forms.CharField(label=_("Nomor rekening"), max_length=34, required=False)
    account_holder = forms.CharField(label=_("Nama pemilik rekening"), max_length=120, required=False)

    def __init__(self, *args: Any, documents: list[str], death: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document_kinds = documents
        for kind in documents:
            self.fields[f"doc_{kind}"] = forms.FileField(label=ClaimDocument.Kind(kind).label)
        self.death = death
        if death:
            for name in ("bank_code", "account_number", "account_holder"):
                del self.fields[name]

    def document_fields(self) -> list[forms.BoundField]:
        return [self[f"doc_{kind}"] for kind in self.document_kinds]

    def bank_fields(self) -> list[forms.BoundField]:
        return [] if self.death else [self["bank_code"], self["account_number"], self["account_holder"]]

    def documents(self) -> list[tuple[str, Any]]:
        return [(kind, self.cleaned_data[f"doc_{kind}"]) for kind in self.document_kinds]

    def bank(self) -> dict[str, str] | None:
        if self.death or not self.cleaned_data.get("bank_code"):
            return None  # the member's kept account, if any (desk.open_branch_claim says so otherwise)
        return {name: self.cleaned_data[name] for name in ("bank_code", "account_number", "account_holder")}


class HeirForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=20, required=False)
    name = forms.CharField(label=_("Nama"), max_length=120, required=False)
    relation = forms.ChoiceField(label=_("Hubungan"), choices=[("", "—"), *ClaimHeir.Relation.choices], required=False)
    share_percent = forms.DecimalField(
        label=_("Bagian (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    bank_code = _bank_field(required=False)
    account_number = forms.CharField(label=_("Nomor rekening"), max_length=34, required=False)
    account_holder = forms.CharField(label=_("Nama pemilik rekening"), max_length=120, required=False)


HeirFormSet = formset_factory(HeirForm, extra=4, max_num=10, absolute_max=10)


def heirs_from(formset: Any) -> list[dict[str, Any]]:
    """The rows the officer filled in (a row with neither NIK nor name is an unused row)."""
    return [
        {k: ("" if v is None else v) for k, v in form.cleaned_data.items()}
        for form in formset.forms
        if form.cleaned_data.get("nik") or form.cleaned_data.get("name")
    ]


class HeirAccountForm(forms.Form):
    """A new account for an heir whose payment failed (the heirs are those of the claim whose payment failed)."""

    heir = forms.TypedChoiceField(label=_("Ahli waris"), coerce=int)
    bank_code = _bank_field()
    account_number = forms.CharField(label=_("Nomor rekening"), max_length=34)
    account_holder = forms.CharField(label=_("Nama pemilik rekening"), max_length=120)

    def __init__(self, *args: Any, heirs: list[ClaimHeir], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(h.pk, f"{h.name} ({h.bank_code} …{h.account_number[-4:]})") for h in heirs]
        self.fields["heir"].choices = choices  # type: ignore[attr-defined]

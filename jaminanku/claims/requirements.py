"""The documents a claim needs, by its ground and kind (FACTS.md §6.1): e-KTP and KK always, then what proves the
ground. The KPJ card and the bank book are not asked for: the KPJ is in the registry and the bank account is
checked against the registry name when it is given. Values are ClaimDocument.Kind values, in the order asked for."""

from __future__ import annotations

from collections.abc import Iterable

from jaminanku.claims.models import ClaimDocument
from jaminanku.core.errors import DomainError

Doc = ClaimDocument.Kind

ALWAYS = [Doc.KTP, Doc.KK]

BY_GROUND: dict[str, list[str]] = {
    "age": [],
    "retirement": [Doc.RESIGNATION_LETTER],  # the employer's letter that the member retired at its pension age
    "resignation": [Doc.RESIGNATION_LETTER],
    "dismissal": [Doc.DISMISSAL_PROOF],
    "end_of_contract": [Doc.CONTRACT_END],
    "stopped": [Doc.WORKING_STATEMENT],  # BPU/PMI: a statement that one stopped working
    "death": [Doc.DEATH_CERTIFICATE, Doc.HEIR_CERTIFICATE],
    "disability": [Doc.DOCTOR_STATEMENT],
    "emigration": [Doc.PASSPORT, Doc.VISA, Doc.NOT_WORKING_STATEMENT],
    # A partial claim: the letter that one is still working (or has stopped); for housing the contract too.
    "preparation": [Doc.WORKING_STATEMENT],
    "housing": [Doc.WORKING_STATEMENT, Doc.HOUSING_CONTRACT],
}


def required_documents(ground: str, kind: str) -> list[str]:
    """The ClaimDocument kinds a claim on this ground and of this kind must carry before it is submitted."""
    needed = ALWAYS + BY_GROUND.get(ground, [])
    if kind == "partial_30" and Doc.HOUSING_CONTRACT not in needed:
        needed.append(Doc.HOUSING_CONTRACT)
    return [str(d) for d in dict.fromkeys(needed)]


def check_present(ground: str, kind: str, present: Iterable[str], message: str) -> None:
    """Refuses (DomainError "documents_missing", field "documents", `missing` the kinds) a claim that lacks some
    of the documents it needs; `message` names them through %(labels)s, in the words of the channel."""
    given = set(present)
    missing = [k for k in required_documents(ground, kind) if k not in given]
    if missing:
        labels = ", ".join(str(Doc(k).label) for k in missing)
        raise DomainError(message % {"labels": labels}, code="documents_missing", field="documents", missing=missing)

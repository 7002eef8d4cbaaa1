"""Staff roles as Django groups, each with the model permissions its work needs (RULES of issue 6):
registry officer, finance, branch officer, content editor, supervisor. `sync_roles()` makes the groups match
this table; a data migration runs it and `manage.py sync_roles` re-runs it after new models appear."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

ALL = ("view", "add", "change", "delete")
VIEW = ("view",)

ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "Petugas registri": {
        "registry.person": ALL,
        "registry.membership": ALL,
        "registry.employer": ALL,
        "registry.employment": ALL,
        "offices.employerbranch": ALL,  # an employer's branch, a field of the employer until issue 26
        "registry.province": VIEW,
        "registry.regency": VIEW,
        "registry.district": VIEW,
    },
    "Keuangan": {
        "contributions.wagereport": ("view", "add"),
        "contributions.contribution": VIEW,
        "contributions.account": VIEW,
        "contributions.jhtentry": VIEW,
        "contributions.creditingrun": VIEW,
        "contributions.contributionrate": ALL,
        "contributions.wagecap": ALL,
        "contributions.developmentrate": ALL,
        "contributions.pensionage": ALL,
        "claims.jhtclaim": VIEW,
        "claims.disbursementbatch": ("view", "add", "change"),
        "claims.disbursement": VIEW,
        "registry.employer": VIEW,
        "offices.employerbranch": VIEW,
        "contributions.employerarrears": VIEW,
    },
    "Petugas cabang": {
        "bookings.slot": ("view", "change"),
        "bookings.booking": ("view", "change"),
        "offices.office": VIEW,
        "accounts.accountresetrequest": ("view", "change"),
        "contributions.employerarrears": VIEW,
        "claims.jhtclaim": ("view", "add", "change"),
        "claims.claimdocument": ("view", "add"),
        "claims.claimheir": ("view", "add", "change"),
    },
    "Editor konten": {
        "programs.benefitfigure": ("view", "change"),
        "programs.programtext": ("view", "add"),
        "news.article": ("view", "add", "change"),
    },
}
SUPERVISOR = "Supervisor"


def _permissions(spec: dict[str, tuple[str, ...]]) -> list[Permission]:
    wanted = []
    for model_label, actions in spec.items():
        app_label, model = model_label.split(".")
        for action in actions:
            wanted.append((app_label, f"{action}_{model}"))
    found = Permission.objects.filter(content_type__app_label__in={a for a, _ in wanted}).select_related("content_type")
    by_key = {(p.content_type.app_label, p.codename): p for p in found}
    return [by_key[key] for key in wanted if key in by_key]


def sync_roles() -> None:
    for name, spec in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(spec))
    supervisor, _created = Group.objects.get_or_create(name=SUPERVISOR)
    supervisor.permissions.set(Permission.objects.all())


def branch_of(user: object) -> int | None:
    """The office a branch officer is posted to; None for everyone who sees all branches."""
    if getattr(user, "is_superuser", False) or _in_group(user, SUPERVISOR):
        return None
    post = getattr(user, "staff_post", None)
    return post.office_id if post is not None else -1  # an officer without a post sees nothing


def _in_group(user: object, name: str) -> bool:
    groups = getattr(user, "groups", None)
    return bool(groups is not None and groups.filter(name=name).exists())

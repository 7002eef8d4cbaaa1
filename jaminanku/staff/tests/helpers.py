"""Logging a test client in as a staff member of a role (and, for branch officers, a branch)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from jaminanku.staff.models import StaffPost


def login_with_role(client: Any, user_model: Any, role: str, office: Any = None) -> Any:
    """A staff user in the Django group `role`, posted to `office` if given, logged in on `client`."""
    user = user_model.objects.create_user(role.replace(" ", "_"), password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if office is not None:
        StaffPost.objects.create(user=user, office=office)
    client.force_login(user)
    return user

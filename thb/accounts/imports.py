"""The `users` import type: an administrator creates many accounts from one CSV or
XLSX file (username, given name, surname, e-mail, role, institution code), all or
nothing, each through the audited `user_create`. The accounts have no password: the
administrator issues their one-time set-up links on the users page
(/accounts/administration/users/), where new accounts are listed as awaiting set-up."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from thb.accounts.models import Institution, Role, User
from thb.accounts.services import user_create
from thb.interop.parsers import parse_text
from thb.interop.registry import Column, ImportType, register

# The service's field names -> this file's column names, so errors name the column.
_FIELD_TO_COLUMN = {"first_name": "given_name", "last_name": "surname"}


def _institution_codes() -> list[str]:
    return list(Institution.objects.filter(active=True).values_list("code", flat=True))


COLUMNS = [
    Column(
        "username",
        gettext_lazy("The user name for signing in (letters, digits and @ . + - _)."),
        label=gettext_lazy("User name"),
        parse=parse_text(150),
        example="d.vitola",
    ),
    Column(
        "given_name",
        gettext_lazy("The user's given name."),
        label=gettext_lazy("Given name"),
        required=False,
        parse=parse_text(150),
        example="Dace",
    ),
    Column(
        "surname",
        gettext_lazy("The user's surname."),
        label=gettext_lazy("Surname"),
        required=False,
        parse=parse_text(150),
        example="Vītola",
    ),
    Column(
        "email",
        gettext_lazy("E-mail address."),
        label=gettext_lazy("E-mail"),
        required=False,
        parse=parse_text(254),
        example="",
    ),
    Column(
        "role",
        gettext_lazy("The user's role in THB."),
        label=gettext_lazy("Role"),
        codes=lambda: [str(role) for role in Role.values],
        example=str(Role.COORDINATOR),
    ),
    Column(
        "institution",
        gettext_lazy(
            "Code of the user's institution (required for caseworkers, commission members, "
            "process directors and reporters)."
        ),
        label=gettext_lazy("Institution"),
        required=False,
        codes=_institution_codes,
        example="",
    ),
]


def save_user(actor: User, row: dict[str, Any]) -> tuple[User, bool]:
    existing = User.objects.filter(username=row["username"]).first()
    if existing is not None:
        return existing, False
    institution = (
        Institution.objects.get(code=row["institution"], active=True)
        if row["institution"]
        else None
    )
    try:
        user = user_create(
            actor=actor,
            username=row["username"],
            role=row["role"],
            institution=institution,
            first_name=row["given_name"] or "",
            last_name=row["surname"] or "",
            email=row["email"] or "",
            two_factor_required=True,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {
                _FIELD_TO_COLUMN.get(name, name): messages
                for name, messages in exc.message_dict.items()
            }
        ) from None
    return user, True


register(
    ImportType(
        name="users",
        label=gettext_lazy("User accounts"),
        columns=COLUMNS,
        save_row=save_user,
        roles=(Role.ADMINISTRATOR,),
        key_column="username",
        description=gettext_lazy(
            "One row per account, created with its role and institution. The accounts get "
            "no password: issue their one-time set-up links on the users page. A row whose "
            "user name is already in THB is left unchanged."
        ),
    )
)

"""Writes about accounts: a user's own sign-in factors (enrolling and removing an
authenticator app, TOTP RFC 6238, and the second step of signing in), and the
administration of accounts and institutions (audited, never one's own access)."""

from __future__ import annotations

import datetime
import enum
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import NAME_LENGTH, Institution, Role, SetupLink, User
from thb.accounts.policy import can_administer
from thb.accounts.selectors import otp_device_for, otp_has_device, recovery_device_for
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.core.languages import country_language

# Wrong codes counted in this session; the session ends when it reaches the limit.
FAILURES_SESSION_KEY = "thb_otp_failures"
DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def otp_failure_limit() -> int:
    # The same limit as for passwords (THB_LOGIN_FAILURE_LIMIT), so operators tune one number.
    return int(getattr(settings, "AXES_FAILURE_LIMIT", 5))


def _clean(token: str) -> str:
    # Apps show the code as "123 456"; people type it that way. Recovery codes are
    # shown as "abcd-efgh" and stored without the hyphen, in lower case.
    return "".join(token.split()).replace("-", "").lower()


def recovery_code_text(code: str) -> str:
    """A recovery code as shown: two groups of four, easier to read and copy."""
    return f"{code[:4]}-{code[4:]}"


def recovery_codes_generate(*, actor: User, request: HttpRequest | None = None) -> list[str]:
    """New recovery codes for the user (django-otp's static device): the old ones stop
    working. Returned once, to be shown once; only the device holds them afterwards.
    Each works once, at sign-in, in place of a code from the app."""
    if not otp_has_device(actor=actor):
        raise ValidationError(
            {"token": _("Turn on two-factor authentication before recovery codes.")}
        )
    with transaction.atomic():
        StaticDevice.objects.filter(user=actor).delete()
        device = StaticDevice.objects.create(user=actor, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=actor,
            details={"otp": "recovery_codes_generated", "count": len(codes)},
            request=request,
        )
    return [recovery_code_text(c) for c in codes]


@transaction.atomic
def password_change(*, actor: User, new_password: str, request: HttpRequest | None = None) -> None:
    """A user changes their own password (already checked by the form against the old one
    and the validators). Audited, without any trace of the password itself."""
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=actor,
        details={"fields": "password"},
        request=request,
    )


def otp_enrolment_start(*, actor: User) -> TOTPDevice:
    """The unconfirmed device being enrolled. Reused while enrolment is unfinished, so
    reloading the page does not change the secret the user may already have scanned."""
    if otp_has_device(actor=actor):
        raise ValidationError({"token": _("Two-factor authentication is already on.")})
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)
    return device


def otp_enable(*, actor: User, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Confirm the enrolment with a code from the app. Only a valid code confirms it."""
    with transaction.atomic():
        if otp_has_device(actor=actor):
            raise ValidationError({"token": _("Two-factor authentication is already on.")})
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=actor, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise ValidationError({"token": _("Start the enrolment again.")})
        # verify_token records its own throttling state; committed even for a wrong code.
        verified = device.verify_token(_clean(token))
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                target=actor,
                details={"otp": "enabled"},
                request=request,
            )
    if not verified:
        raise ValidationError({"token": _("The code is not valid. Check the app and try again.")})
    return device


def otp_disable(*, actor: User, token: str, request: HttpRequest | None = None) -> None:
    """Remove the authenticator. The current code is required, so a session left open
    on a shared computer cannot switch the second factor off."""
    device = otp_device_for(actor=actor)
    if device is None:
        raise ValidationError({"token": _("Two-factor authentication is not on.")})
    if django_otp.verify_token(actor, device.persistent_id, _clean(token)) is None:
        raise ValidationError({"token": _("The code is not valid. Check the app and try again.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()  # the recovery codes go with it
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=actor,
            details={"otp": "disabled"},
            request=request,
        )


class Verification(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"  # too soon after a wrong code; try again in a moment
    LOCKED = "locked"  # too many wrong codes: the session has been ended


def _axes_locked(request: HttpRequest, username: str) -> bool:
    if not getattr(settings, "AXES_ENABLED", False):
        return False
    return bool(AxesProxyHandler.is_locked(request, {"username": username}))


def otp_verify(*, request: HttpRequest, token: str) -> Verification:
    """The second step of signing in. A valid code marks the session as verified
    (django_otp.login); a wrong one is audited and counts towards the lockout of the
    account (django-axes, like a wrong password) and the session's own limit."""
    user = cast(User, request.user)
    device = otp_device_for(actor=user)
    if device is None:
        raise ValidationError({"token": _("Two-factor authentication is not on.")})
    username = user.get_username()
    if _axes_locked(request, username):
        logout(request)
        return Verification.LOCKED
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return Verification.THROTTLED

    code = _clean(token)
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is None and not code.isdigit():
        # A recovery code: django-otp's static device deletes it once it has been used.
        recovery = recovery_device_for(actor=user)
        if recovery is not None:
            verified = django_otp.verify_token(user, recovery.persistent_id, code)
    if verified is not None:
        django_otp.login(request, verified)
        request.session.pop(FAILURES_SESSION_KEY, None)
        details: dict[str, Any] = {"otp": True}
        if isinstance(verified, StaticDevice):
            details = {"otp": "recovery_code", "left": verified.token_set.count()}
        audit_record(actor=user, action=Action.LOGIN, details=details, request=request)
        return Verification.VERIFIED

    failures = int(request.session.get(FAILURES_SESSION_KEY, 0)) + 1
    request.session[FAILURES_SESSION_KEY] = failures
    audit_record(actor=user, action=Action.LOGIN_FAILED, details={"otp": True}, request=request)
    # django-axes counts it like a wrong password (our own receiver skips the audit: done above).
    user_login_failed.send(
        sender=__name__, credentials={"username": username, "otp": True}, request=request
    )
    if failures >= otp_failure_limit() or getattr(request, "axes_locked_out", False):
        logout(request)
        return Verification.LOCKED
    return Verification.WRONG


# Administration: accounts and institutions. Every change is atomic and writes one event
# in the hash-chained audit log (never only in Django's editable admin log). `actor=None`
# is the installation itself (the demo, a management command), audited as such.

# Roles whose access is scoped to an institution's records: they need an institution.
INSTITUTION_ROLES = frozenset(
    {Role.CASEWORKER, Role.COMMISSION_MEMBER, Role.PROCESS_DIRECTOR, Role.REPORTER}
)


def _require_administrator(actor: User | None) -> None:
    if actor is None:
        return
    if not can_administer(actor):
        raise PermissionDenied(_("Only an administrator manages accounts and institutions."))


def _check_role_and_institution(
    role: str, institution: Institution | None, errors: validators.Collect
) -> None:
    """Each rule of a role and institution on its own, so that all failures show at once."""
    if role not in Role.values:
        errors.add(ValidationError({"role": _("Unknown role “%(value)s”.") % {"value": role}}))
    elif institution is None and role in INSTITUTION_ROLES:
        errors.add(
            ValidationError({"institution": _("This role works for an institution: choose it.")})
        )
    if institution is not None and not institution.active:
        errors.add(ValidationError({"institution": _("The institution is not active.")}))


def user_create_check(
    *,
    username: str,
    role: str,
    institution: Institution | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    skip: Iterable[str] = (),
    errors: validators.Collect | None = None,
) -> User:
    """The rules of a new account, every failure at once: a known role, an active
    institution for a role that needs one, and the account model's own checks (a free,
    valid user name). With `errors` (a form's collector) failures are added, not raised;
    `skip`: fields the form refused already. Returns the checked account, unsaved and
    without a password."""
    collect = validators.Collect() if errors is None else errors
    _check_role_and_institution(role, institution, collect)
    account = User(
        username=username,
        role=role,
        institution=institution,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    account.set_unusable_password()
    with collect:
        account.full_clean(exclude=[*skip, *collect.errors])
    if errors is None:
        collect.raise_if_any()
    return account


def user_update_check(
    *,
    actor: User | None,
    user: User,
    role: str,
    institution: Institution | None,
    is_active: bool = True,
    is_staff: bool | None = None,
    skip: Iterable[str] = (),
    errors: validators.Collect | None = None,
) -> None:
    """The rules of a change to an existing account's access, for the services, the
    accounts page and the admin's form alike, every failure at once: no one changes
    their own role or institution, switches their own account off or changes their own
    staff status (an administrator who could would give themselves victims' data); a
    changed role or institution must be a known role with an active institution where
    the role needs one. With `errors` (a form's collector) failures are added, not
    raised; `skip`: fields the form refused already."""
    collect = validators.Collect() if errors is None else errors
    original = User.objects.get(pk=user.pk)
    institution_id = institution.pk if institution else None
    access_changed = role != original.role or institution_id != original.institution_id
    if actor is not None and actor.pk == original.pk:
        if access_changed:
            collect.add(
                ValidationError(
                    {
                        "role": _(
                            "No one can change their own role or institution; "
                            "ask another administrator."
                        )
                    }
                )
            )
        if original.is_active and not is_active:
            collect.add(
                ValidationError({"is_active": _("You cannot deactivate your own account.")})
            )
        if is_staff is not None and is_staff != original.is_staff:
            collect.add(
                ValidationError({"is_staff": _("You cannot change your own staff status.")})
            )
    if access_changed:
        checked = validators.Collect()
        _check_role_and_institution(role, institution, checked)
        for name, failures in checked.errors.items():
            if name not in skip:
                collect.add(ValidationError({name: failures}))
    if errors is None:
        collect.raise_if_any()


def _user_details(user: User) -> dict[str, Any]:
    return {
        "username": user.get_username(),
        "role": user.role,
        "institution": user.institution.code if user.institution else "",
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    }


def user_create(
    *,
    actor: User | None,
    username: str,
    role: str,
    institution: Institution | None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    two_factor_required: bool = False,
    request: HttpRequest | None = None,
) -> User:
    """Create an account with its role and institution in one step. Without a password
    the account cannot sign in until one is set (through a set-up link)."""
    _require_administrator(actor)
    if is_superuser and actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser creates another superuser."))
    user = user_create_check(
        username=username,
        role=role,
        institution=institution,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.two_factor_required = two_factor_required
    if password:
        user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=user,
            details=_user_details(user),
            request=request,
        )
    return user


def user_assign(
    *,
    actor: User | None,
    user: User,
    role: str,
    institution: Institution | None,
    request: HttpRequest | None = None,
) -> User:
    """Change an account's role and/or institution (never one's own)."""
    _require_administrator(actor)
    with transaction.atomic():
        user_update_check(actor=actor, user=user, role=role, institution=institution)
        user = User.objects.select_for_update().get(pk=user.pk)
        before = {
            "role": user.role,
            "institution": user.institution.code if user.institution else "",
        }
        user.role, user.institution = role, institution
        user.save(update_fields=["role", "institution"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=user,
            details={**_user_details(user), "before": before},
            request=request,
        )
    return user


def _user_set_active(
    actor: User | None, user: User, active: bool, request: HttpRequest | None
) -> User:
    _require_administrator(actor)
    with transaction.atomic():
        user_update_check(
            actor=actor, user=user, role=user.role, institution=user.institution, is_active=active
        )
        user = User.objects.select_for_update().get(pk=user.pk)
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:  # a link issued before must not reopen the account later
            SetupLink.objects.filter(user=user, used_at=None, revoked_at=None).update(
                revoked_at=timezone.now()
            )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=user,
            details=_user_details(user),
            request=request,
        )
    return user


def user_deactivate(*, actor: User | None, user: User, request: HttpRequest | None = None) -> User:
    """Switch an account off (it is kept: the audit trail and records refer to it)."""
    return _user_set_active(actor, user, False, request)


def user_reactivate(*, actor: User | None, user: User, request: HttpRequest | None = None) -> User:
    return _user_set_active(actor, user, True, request)


USER_DETAIL_FIELDS = ("username", "first_name", "last_name", "email", "is_staff")


def user_update_details(
    *,
    actor: User | None,
    user: User,
    values: dict[str, Any],
    request: HttpRequest | None = None,
) -> User:
    """Change an account's name, e-mail or staff flag (access is changed by user_assign)."""
    _require_administrator(actor)
    unknown = set(values) - set(USER_DETAIL_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Change this through its own service.")})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        changed = [name for name, value in values.items() if getattr(user, name) != value]
        if not changed:
            return user
        if "is_staff" in changed:
            user_update_check(
                actor=actor,
                user=user,
                role=user.role,
                institution=user.institution,
                is_active=user.is_active,
                is_staff=values["is_staff"],
            )
        for name in changed:
            setattr(user, name, values[name])
        user.full_clean()
        user.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=user,
            details={**_user_details(user), "fields": changed},
            request=request,
        )
    return user


def institution_names(names: Mapping[str, str]) -> dict[str, str]:
    """An institution's names checked: {language code: name}, in the profile's
    languages, the country's own required."""
    return validators.language_map(names, kind=NAME_LENGTH, required=True, field="names")


def institution_check(
    *,
    code: str,
    names: Mapping[str, str],
    kind: str,
    active: bool = True,
    institution: Institution | None = None,
    skip: Iterable[str] = (),
    errors: validators.Collect | None = None,
) -> Institution:
    """The rules of an institution (its names; the model's own: a free code, a known
    kind), every failure at once; with `errors` (a form's collector) added instead of
    raised. `skip`: fields the form refused already. Returns the institution as it
    would be saved (not saved)."""
    collect = validators.Collect()
    target = Institution(
        pk=institution.pk if institution is not None else None,
        code=code,
        kind=kind,
        active=active,
    )
    with collect:
        target.names = institution_names(names)
        # The name in the country's language, derived: lists sort and search by it.
        target.name = target.names[country_language()]
    # An edit: the uniqueness checks leave the institution's own row out.
    target._state.adding = institution is None or institution.pk is None
    with collect:
        target.full_clean(exclude=[*skip, "names", "name"])
    if collect.errors:
        if errors is None:
            collect.raise_if_any()
        else:
            errors.add(ValidationError(collect.errors))
    return target


def institution_save(
    *,
    actor: User | None,
    code: str,
    names: Mapping[str, str],
    kind: str,
    active: bool = True,
    institution: Institution | None = None,
    request: HttpRequest | None = None,
) -> Institution:
    """Create an institution (institution None) or update one. `names`: {language
    code: name}; the plain `name` column follows the name in the country's language."""
    _require_administrator(actor)
    with transaction.atomic():
        created = institution is None or institution.pk is None
        target = (
            Institution()
            if created
            else Institution.objects.select_for_update().get(pk=institution.pk)  # type: ignore[union-attr]
        )
        checked = institution_check(
            code=code, names=names, kind=kind, active=active, institution=target
        )
        values = {
            "code": code,
            "names": checked.names,
            "name": checked.name,
            "kind": kind,
            "active": active,
        }
        changed = [f for f, v in values.items() if created or getattr(target, f) != v]
        for name_, value in values.items():
            setattr(target, name_, value)
        if not created and not changed:
            return target
        target.save()
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            target=target,
            details={
                "code": target.code,
                "kind": target.kind,
                "active": target.active,
                "fields": changed,
            },
            request=request,
        )
    return target


@dataclass(frozen=True)
class InstitutionSync:
    institution: Institution
    outcome: str  # "created", "updated" or "unchanged"


def institutions_from_profile(
    *, actor: User | None, request: HttpRequest | None = None
) -> list[InstitutionSync]:
    """Create or update the country profile's institutions (institutions.yaml), each
    through institution_save (validated, audited). An institution the profile does not
    list is left as it is; one it lists is made active. Idempotent."""
    from thb.profiles.loader import get_profile

    _require_administrator(actor)
    results: list[InstitutionSync] = []
    with transaction.atomic():
        for spec in get_profile().institutions:
            existing = Institution.objects.filter(code=spec.code).first()
            values: dict[str, Any] = {
                "code": spec.code,
                # The profile's name of the institution, in each of its languages.
                "names": spec.name.root,
                "kind": spec.kind,
                "active": True,
            }
            if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
                results.append(InstitutionSync(existing, "unchanged"))
                continue
            saved = institution_save(actor=actor, institution=existing, request=request, **values)
            results.append(InstitutionSync(saved, "created" if existing is None else "updated"))
    return results


# One-time set-up links: a new account's first password, then its authenticator.

SETUP_SALT = "thb.accounts.setup-link"


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def setup_link_hours() -> int:
    return int(getattr(settings, "THB_SETUP_LINK_HOURS", 72))


def setup_link_issue(*, actor: User | None, user: User, request: HttpRequest | None = None) -> str:
    """Issue a one-time set-up link for an account and return its token (to be shown
    once: only its hash is kept). Earlier open links of the account are closed. The
    account must then enrol an authenticator after setting its password."""
    _require_administrator(actor)
    if not user.is_active:
        raise ValidationError(_("The account is deactivated: reactivate it first."))
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = now + datetime.timedelta(hours=setup_link_hours())
    with transaction.atomic():
        SetupLink.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
        SetupLink.objects.create(
            user=user, token_hash=_token_hash(raw), expires_at=expires, created_by=actor
        )
        if not user.two_factor_required:
            user.two_factor_required = True
            user.save(update_fields=["two_factor_required"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=user,
            details={"setup_link": "issued", "expires": expires.isoformat()},
            request=request,
        )
    return signing.TimestampSigner(salt=SETUP_SALT).sign(raw)


def setup_link_open(token: str) -> SetupLink | None:
    """The open link the token belongs to: signed by this installation, not older than
    the validity, not used, not replaced, and its account active. None otherwise."""
    try:
        raw = signing.TimestampSigner(salt=SETUP_SALT).unsign(
            token, max_age=datetime.timedelta(hours=setup_link_hours())
        )
    except signing.BadSignature:  # SignatureExpired included
        return None
    return (
        SetupLink.objects.select_related("user")
        .filter(
            token_hash=_token_hash(raw),
            used_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def setup_link_use(*, token: str, password: str, request: HttpRequest | None = None) -> User:
    """Set the account's password with its set-up link; the link is then closed. The
    password passes Django's validators (AUTH_PASSWORD_VALIDATORS)."""
    with transaction.atomic():
        link = setup_link_open(token)
        if link is None:
            raise ValidationError(
                _("This set-up link is not valid: it was used, replaced or has expired.")
            )
        link = SetupLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None or link.revoked_at is not None:
            raise ValidationError(
                _("This set-up link is not valid: it was used, replaced or has expired.")
            )
        user = link.user
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        audit_record(
            actor=user,
            action=Action.UPDATE,
            target=user,
            details={"setup_link": "used", "fields": "password"},
            request=request,
        )
    return user

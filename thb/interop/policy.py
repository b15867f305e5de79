"""Who may import and who handles the yearly submissions: the only place the rules
are written. An import type declares the roles (and an optional extra rule) that may
use it; an import job (the upload run in the background) is seen by its uploader only;
institution reporters start, write and submit their own institution's submission; the
coordinator and the administrator review every institution's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from thb.accounts.models import Role, User
from thb.core.routes import REPORTERS, Route, ok, route

if TYPE_CHECKING:
    from thb.interop.models import Submission
    from thb.interop.registry import ImportType

REVIEWER_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


def can_import(actor: User, import_type: ImportType) -> bool:
    return actor.has_role(*import_type.roles) and (
        import_type.permits is None or import_type.permits(actor)
    )


def can_import_any(actor: User) -> bool:
    """At least one registered import type is open to the actor."""
    from thb.interop.registry import registered

    return any(can_import(actor, import_type) for import_type in registered().values())


def import_job_scope(actor: User) -> Q:
    """The import jobs the actor may follow: their own uploads. Nobody else, not even
    an administrator: a job names the uploader's file and lists its errors."""
    return Q(owner_id=actor.pk)


def can_submit(actor: User) -> bool:
    return actor.has_role(Role.REPORTER) and actor.institution_id is not None


def can_review(actor: User) -> bool:
    return actor.has_role(*REVIEWER_ROLES)


def can_change_submission(actor: User, submission: Submission) -> bool:
    """Only the institution's own reporters change its submission."""
    return can_submit(actor) and actor.institution_id == submission.institution_id


def submission_scope(actor: User) -> Q | None:
    """The submissions the actor may open: every one for a reviewer, its institution's
    for a reporter."""
    if can_review(actor):
        return Q()
    if can_submit(actor):
        return Q(institution_id=actor.institution_id)
    return None


def expected_reporters() -> Q:
    """Institutions expected to report: those with an active reporter."""
    return Q(active=True, users__role=Role.REPORTER, users__is_active=True)


# Expected statuses of this app's routes (thb/core/routes.py explains the table). Every
# demo reporter and the process director import something; an import type the user may
# not use does not exist for them (404).
IMPORTERS = ("caseworker", "director", *REPORTERS, "coordinator")
# Activity records: every reporter and the coordinator import them.
TEMPLATE: dict[str, Any] = {"default": 404, "kwargs": {"name": "detection_records"}}
TO_LATEST: dict[str, Any] = dict.fromkeys(REPORTERS, 302)  # to the latest year's submission
ROUTES: dict[str, Route] = {
    "interop:upload": ok(*IMPORTERS, "admin"),  # the administrator imports users
    "interop:template_csv": ok(*REPORTERS, "coordinator", **TEMPLATE),
    "interop:template_xlsx": ok(*REPORTERS, "coordinator", **TEMPLATE),
    # Import jobs: the list for everyone who imports; a job for its uploader only.
    # The administrator imports users, so follows their own jobs too.
    "interop:jobs": ok(*IMPORTERS, "admin"),
    "interop:job": ok(*IMPORTERS, "admin", kind="import_job"),
    "interop:job_status": ok(*IMPORTERS, "admin", kind="import_job"),
    "interop:my_submission_default": route(**TO_LATEST),
    "interop:my_submission": ok(*REPORTERS, kwargs={"year": 2020}),
    "interop:overview": ok("coordinator", "admin"),
    # The submission's reporters work on it on their own submission page.
    "interop:review": route("submission", default=403, coordinator=(200, 200), admin=(200, 200)),
}

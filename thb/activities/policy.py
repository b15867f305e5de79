"""Who may see and do what with the activity records (detection, helplines, training,
awareness, cooperation): the only place the rules are written. A reporter sees and
writes its own institution's records; the coordinator reads every institution's and
writes the types that list its role (`RecordType.write_roles`). Activity records hold
no victim identities. Everyone else sees none."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from thb.accounts.models import Role, User
from thb.activities.record_types import RecordType
from thb.core.routes import REPORTERS, Route, ok, route


def sees_all(actor: User) -> bool:
    return actor.has_role(Role.COORDINATOR)


def can_read(actor: User) -> bool:
    return actor.has_role(Role.REPORTER, Role.COORDINATOR)


def can_see_statistics(actor: User) -> bool:
    return actor.has_role(Role.COORDINATOR)


def record_scope(actor: User) -> Q | None:
    """The records the actor may read, or None for none."""
    if sees_all(actor):
        return Q()
    if actor.has_role(Role.REPORTER) and actor.institution_id is not None:
        return Q(institution_id=actor.institution_id)
    return None


def own_records(actor: User) -> Q:
    """The actor's institution's own records (the parents a new record may hang under)."""
    return Q(institution_id=actor.institution_id or 0)


def owns(actor: User, record: Any) -> bool:
    """The record (or a parent record a new one hangs under) is the actor's institution's."""
    return actor.institution_id is not None and record.institution_id == actor.institution_id


def can_write(actor: User, record_type: RecordType) -> bool:
    return actor.has_role(*record_type.write_roles) and actor.institution_id is not None


def can_change(actor: User, record_type: RecordType, record: Any | None) -> bool:
    """Create a record (None) of the type, or change or delete the actor's institution's."""
    return can_write(actor, record_type) and (record is None or owns(actor, record))


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
# Every reporter reads and writes its own institution's records (404 for another's).
READERS = (*REPORTERS, "coordinator")
DETECTION = {"slug": "detection"}
RECORD: dict[str, Any] = {"kind": "activity", **dict.fromkeys(REPORTERS, 200)}
ROUTES: dict[str, Route] = {
    "activities:home": ok(*READERS),
    # The old address of the statistics: a redirect to the report's page for anyone
    # (that page checks the role).
    "activities:statistics": route(default=302, anonymous=302),
    "activities:record_list": ok(*READERS, kwargs=DETECTION),
    "activities:record_create": ok(*READERS, kwargs=DETECTION),
    "activities:record_detail": route(**RECORD, coordinator=(200, 200)),
    # The coordinator reads every institution's records but changes none of them.
    "activities:record_edit": route(**RECORD, coordinator=(403, 403)),
    "GET /api/v1/activities/types": route(default=200),
    "GET /api/v1/activities/figures/{year}": ok("coordinator", kwargs={"year": 2020}),
    "GET /api/v1/activities/{slug}/": ok(*READERS, kwargs=DETECTION),
    # The walk's record is dated in the future: refused (422) to every writer, so the
    # walk saves nothing (thb/core/tests/test_plausibility.py saves plausible ones).
    "POST /api/v1/activities/{slug}/": Route(
        personas=dict.fromkeys(READERS, (422, 422)),
        default=403,
        anonymous=None,
        kwargs=DETECTION,
        body={"kind": "complaint", "date": "2999-01-01"},
    ),
}

from thb.accounts.models import InstitutionKind, Role
from thb.interop.registry import import_types_for


def test_only_justice_institutions_are_offered_the_justice_types(make_user, make_institution):
    border = make_user("bg", Role.REPORTER, make_institution("vrs", InstitutionKind.BORDER_GUARD))
    police = make_user("vp", Role.REPORTER, make_institution("vp", InstitutionKind.STATE_POLICE))
    border_types = {t.name for t in import_types_for(border)}
    police_types = {t.name for t in import_types_for(police)}
    assert "detection_records" in border_types
    assert "justice_proceedings" not in border_types
    assert "justice_proceedings" in police_types

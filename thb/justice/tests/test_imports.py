"""The justice import types end to end: a police file of proceedings and suspects, a
court file of stages and judgments; a bad row stops the file and names row and column."""

from datetime import date

import pytest

from thb.interop.importer import import_file
from thb.interop.registry import get_import_type
from thb.justice.models import JudgmentPerson, Proceeding, StageEvent, Suspect
from thb.justice.selectors import justice_statistics

pytestmark = pytest.mark.django_db


def _import(user, name, text, dry_run=False):
    return import_file(
        actor=user,
        import_type=get_import_type(name),
        file_name=f"{name}.csv",
        data=text.encode(),
        dry_run=dry_run,
    )


PROCEEDINGS = """number,sections,started_on,exploitation_form,sector,notes
11816000501,154.1,2020-02-03,labour,agriculture,
11816000502,154.1;165,15.03.2020,sexual,,
"""
SUSPECTS = (
    "external_id,proceeding_number,proceeding_sections,proceeding_started_on,label,sex,"
    "minor,citizenship,suspected_on,accused_on\n"
    """S-1,11816000501,,,A,male,false,LV,2020-02-10,2020-04-01
S-2,11816000501,,,B,male,no,UZ,2020-02-11,
"""
)


def test_police_and_court_files_build_a_proceeding(
    investigator, court_reporter, court, prosecutors, prosecutor
):
    assert _import(investigator, "justice_proceedings", PROCEEDINGS).ok
    assert _import(investigator, "justice_suspects", SUSPECTS).ok
    # Again: nothing new.
    again = _import(investigator, "justice_suspects", SUSPECTS)
    assert again.ok and again.created == 0
    assert Suspect.objects.count() == 2
    stages = (
        "external_id,proceeding_number,proceeding_sections,proceeding_started_on,kind,on,"
        "institution_code,person_external_ids\n"
        "E-1,11816000501,,,transferred_for_prosecution,2020-05-01,prokuratura,\n"
    )
    assert _import(investigator, "justice_stages", stages).ok
    sent = (
        "external_id,proceeding_number,proceeding_sections,proceeding_started_on,kind,on,"
        "institution_code,person_external_ids\n"
        "E-2,11816000501,,,sent_to_prosecution,2020-06-01,tiesas,S-1;S-2\n"
    )
    assert _import(prosecutor, "justice_stages", sent).ok
    court_file = (
        "external_id,proceeding_number,proceeding_sections,proceeding_started_on,kind,on,"
        "institution_code,person_external_ids\n"
        "C-1,11816000501,,,first_instance_received,2020-06-10,,\n"
        "C-2,11816000501,,,first_instance_examined,2020-11-10,,\n"
    )
    assert _import(court_reporter, "justice_stages", court_file).ok
    judgments = (
        "external_id,proceeding_number,proceeding_sections,proceeding_started_on,level,"
        "delivered_on,court_code,person_external_id,person_sex,person_citizenship,outcome,"
        "section,deprivation_months,conditional,probation_months,fine_eur\n"
        "J-1,11816000501,,,first_instance,2020-11-10,,S-1,,,convicted,,30,true,24,\n"
        "J-2,11816000501,,,first_instance,2020-11-10,,S-2,,,acquitted,,,,,\n"
    )
    assert _import(court_reporter, "justice_judgments", judgments).ok
    assert JudgmentPerson.objects.count() == 2
    figures = justice_statistics(2020)
    assert figures["justice.thb.proceedings_started"] == 2
    assert figures["justice.thb.suspects"] == 2
    assert figures["justice.thb.sent_to_prosecution.persons"] == 2
    assert figures["justice.thb.first_instance.examined"] == 1
    assert figures["justice.thb.convicted_persons"] == 1


def test_a_bad_row_imports_nothing_and_names_row_and_column(investigator):
    bad = PROCEEDINGS + "11816000503,999,2020-04-01,labour,,\n"
    result = _import(investigator, "justice_proceedings", bad)
    assert not result.ok
    error = result.errors[0]
    assert (error.line, error.column) == (4, "sections")
    assert not Proceeding.objects.exists()


def test_a_row_for_an_unknown_proceeding_without_its_details_is_refused(investigator):
    text = SUSPECTS.replace("11816000501,,,A", "11816000999,,,A")
    result = _import(investigator, "justice_suspects", text)
    assert not result.ok
    assert result.errors[0].column == "proceeding_number"
    assert not Suspect.objects.exists()


def test_another_institutions_proceeding_cannot_be_reached_by_import(
    investigator, other_investigator
):
    assert _import(investigator, "justice_proceedings", PROCEEDINGS).ok
    # The other unit does not see 11816000501, so the row tries to register it anew
    # and the number is taken: refused, nothing saved.
    text = SUSPECTS.replace(",,,A", ",154.1,2020-02-03,A").replace(",,,B", ",154.1,2020-02-03,B")
    result = _import(other_investigator, "justice_suspects", text)
    assert not result.ok
    assert result.errors[0].column == "proceeding_number"
    assert not Suspect.objects.exists()
    assert StageEvent.objects.count() == 0
    assert Proceeding.objects.get(number="11816000501").started_on == date(2020, 2, 3)

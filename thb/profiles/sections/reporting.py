"""The `reporting` section of a country profile (thb/profiles/<country>/reporting.yaml):
the sections of the annual report for which each institution writes a narrative, and
when the institutions' yearly submissions are due."""

from __future__ import annotations

import datetime

from pydantic import Field, model_validator

from thb.profiles.schema_base import CodeItem, Strict


class SubmissionDue(Strict):
    """Due date of the submission for year Y: this month and day of year Y + 1."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _real_date(self) -> SubmissionDue:
        # 2021 is not a leap year: 29 February would be due only every fourth year.
        datetime.date(2021, self.month, self.day)
        return self


class ReportingSection(Strict):
    report_sections: list[CodeItem] = Field(min_length=1)
    submission_due: SubmissionDue
    # A year whose deadline differs from the rule (e.g. extended by the coordinator).
    submission_due_overrides: dict[int, datetime.date] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique(self) -> ReportingSection:
        codes = [item.code for item in self.report_sections]
        if len(set(codes)) != len(codes):
            raise ValueError("report_sections: a code appears twice")
        return self

    def due_date(self, year: int) -> datetime.date:
        if year in self.submission_due_overrides:
            return self.submission_due_overrides[year]
        return datetime.date(year + 1, self.submission_due.month, self.submission_due.day)

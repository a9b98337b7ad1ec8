"""The report's summary tables live in reports.summaries (kept by database triggers)."""

from .summaries import CourseSummary, ParticipationSummary, PersonSummary

__all__ = ["CourseSummary", "ParticipationSummary", "PersonSummary"]

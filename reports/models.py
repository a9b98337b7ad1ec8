"""The report's summary tables live in reports.summaries (kept by database triggers)."""

from .summaries import CadreSummary, CourseSummary, ParticipationSummary, PersonSummary

__all__ = ["CadreSummary", "CourseSummary", "ParticipationSummary", "PersonSummary"]

"""Intake: reports in from files (JSON Lines, CSV), the API and web forms.
Validates each report, keeps every valid one, rejects each invalid one with
where and why."""

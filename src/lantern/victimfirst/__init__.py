"""Victim-first checks: the language check (author's own voice, suggested
wording) and the survival-crime review."""

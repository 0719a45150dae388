"""Tasking: every alert and report gets an owner, a deadline and a result;
overdue escalates; the referrer is told the outcome."""

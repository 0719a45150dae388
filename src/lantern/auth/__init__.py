"""Users, agencies and roles; signing in; who may see which record.

- ``roles``: the roles and their permissions (the access design as one table).
- ``accounts``: agencies, users, sign-in with lockout.
- ``sessions``: browser sessions and API tokens.
- ``access``: which reports a user may see (``report_visibility``,
  ``can_see_report``), handling-code C conditions, sharing back to partners.
- ``demo``: demo agencies and users with generated passwords.
"""

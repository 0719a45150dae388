"""What each comparison of the person model is called where people read it
(the model's ``comparison_description``; the web pages show these)."""

LABELS = {
    "given_name": "given name",
    "family_name": "family name",
    "born": "date of birth or age at the time",
    "sex": "sex",
    "address": "address and postcode",
    "phone": "phone number",
    "identifier": "identifier (NHS number, PNC id, school UPN…)",
    "company": "vehicles, places and phones in common",
    "named_with": "named beside the same people",
    "occupation": "job",
    "report": "in the same report",
}

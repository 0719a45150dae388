"""The compliance audit written out: plain text for the terminal, JSON for other
tools, and a printable HTML page for an inspector's file."""

from __future__ import annotations

import json
from html import escape

from lantern.recording.compliance import ComplianceAudit, Rate, Rates

_DIMENSIONS = {
    "agency": "By agency",
    "channel": "By channel",
    "decision_maker": "By decision-maker",
}


def _period(audit: ComplianceAudit) -> str:
    if audit.period_from is None and audit.period_to is None:
        return "at any time"
    start = audit.period_from.isoformat() if audit.period_from else "the first report"
    end = audit.period_to.isoformat() if audit.period_to else "the last report"
    return f"from {start} to {end}"


def as_text(audit: ComplianceAudit) -> str:
    lines = [
        "Crime-recording compliance audit",
        f"Period: reports received {_period(audit)}; as of {audit.as_of.isoformat()}",
        f"Rules: {audit.edition}",
        f"Reports that disclosed a crime: {len(audit.reports)}",
        "",
        f"  recorded:          {audit.overall.recorded}",
        f"  classified right:  {audit.overall.classified_right}",
        f"  decided in 24 h:   {audit.overall.within_24h}",
    ]
    for dim, title in _DIMENSIONS.items():
        lines += ["", f"{title}:"]
        for key, rates in audit.by.get(dim, {}).items():
            lines.append(
                f"  {key}: recorded {rates.recorded}; classified right "
                f"{rates.classified_right}; in 24 h {rates.within_24h}"
            )
    lines += ["", f"Not recorded ({len(audit.unrecorded)}):"]
    for item in audit.unrecorded:
        lines.append(
            f"  {item.agency}/{item.report_id}  received {item.received_at.isoformat()}  "
            f"decision {item.decision}  proposed {', '.join(item.proposed) or '-'}  {item.link}"
        )
    return "\n".join(lines) + "\n"


def as_json(audit: ComplianceAudit) -> str:
    return json.dumps(audit.to_dict(), ensure_ascii=False, indent=1) + "\n"


def _cell(rate: Rate) -> str:
    return escape(str(rate))


def _rates_row(label: str, rates: Rates) -> str:
    return (
        f"<tr><th scope='row'>{escape(label)}</th><td>{_cell(rates.recorded)}</td>"
        f"<td>{_cell(rates.classified_right)}</td><td>{_cell(rates.within_24h)}</td></tr>"
    )


_STYLE = """
body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { border: 1px solid #999; padding: .25em .5em; text-align: left; vertical-align: top; }
thead th { background: #eee; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; }
  tr, h2 { page-break-inside: avoid; } thead { display: table-header-group; } }
"""


def as_html(audit: ComplianceAudit) -> str:
    head = "<thead><tr><th></th><th>recorded</th><th>classified right</th><th>decided in 24 h</th></tr></thead>"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Crime-recording compliance audit</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Crime-recording compliance audit</h1>",
        f"<p>Reports received {escape(_period(audit))}; as of {escape(audit.as_of.isoformat())}.<br>",
        f"Rules: {escape(audit.edition)}. Reports that disclosed a crime: {len(audit.reports)}. ",
        "Rates with 95% confidence intervals (Wilson score).</p>",
        f"<table>{head}<tbody>{_rates_row('All', audit.overall)}</tbody></table>",
    ]
    for dim, title in _DIMENSIONS.items():
        rows = "".join(_rates_row(k, r) for k, r in audit.by.get(dim, {}).items())
        parts.append(f"<h2>{escape(title)}</h2><table>{head}<tbody>{rows}</tbody></table>")
    parts.append(f"<h2>Not recorded ({len(audit.unrecorded)})</h2>")
    parts.append(
        "<table><thead><tr><th>report</th><th>received</th><th>decision</th>"
        "<th>proposed offences</th></tr></thead><tbody>"
    )
    for item in audit.unrecorded:
        parts.append(
            f"<tr><td><a href='{escape(item.link)}'>{escape(item.agency)}/{escape(item.report_id)}</a></td>"
            f"<td>{escape(item.received_at.isoformat())}</td><td>{escape(item.decision)}</td>"
            f"<td>{escape(', '.join(item.proposed) or '-')}</td></tr>"
        )
    parts.append("</tbody></table></body></html>\n")
    return "".join(parts)


FORMATS = {"text": as_text, "json": as_json, "html": as_html}

"""The audit: every rule clause by clause, as one dict every presenter shares.

``kcst audit`` (text, JSON, HTML), the Fava dashboard and the auditor's pack all show
``audit_report(books, judgement, fy)``; the renderers below only lay it out. JSON shape
(spec section 6)::

    {"ledger": "...", "as_of": "2019-06-30",
     "rules": [{"id": "quorum", "clause": "4.1", "title": "...", "status": "fail",
                "findings": [{"severity": "breach", "date": "2018-09-12", "message": "...",
                              "file": "...", "line": 120}]}],
     "summary": {"breaches": 1, "warnings": 0},
     "seals": [{"fy": "2018/19", "date": "2019-03-31", "digest": "sha256:...",
                "carried_forward": "-4890.00", "file": "...", "line": 226}]}

``seals`` lists every year-end record dated on or before the as-of date: the digest that
seals its FY and the balance it carries forward. Kept, this JSON is what ``kcst audit
--since`` holds the books against next time (``read_previous``): a year re-sealed after
its entries were changed, or whose seal was removed, is a ``period-lock`` breach.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from kcst_budget.amounts import decimal_string, gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, WARNING
from kcst_budget.mou import standing
from kcst_budget.periods import FinancialYear, long_date, month_words, parse_fy
from kcst_budget.rules import Judgement
from kcst_budget.rules._common import and_list, clause_words, id_words, plural
from kcst_budget.rules.period_lock import PreviousAudit, Seal, seals
from kcst_budget.source import Source


#: Findings' messages wrap at this width in the text audit.
TEXT_WIDTH = 100


def audit_report(books: Books, judgement: Judgement, fy: FinancialYear | None = None,
                 since: PreviousAudit | None = None) -> dict[str, Any]:
    """Every rule's status and findings as of the judgement's date, and the seals.

    With ``fy``, only findings dated in that FY are kept and each rule's status follows
    them (a rule with nothing to judge stays ``n/a``). ``since`` names the previous audit
    the judgement held the seals against (``period_lock.judged_since``).
    """
    rules = []
    breaches = warnings = 0
    counts = {"pass": 0, "fail": 0, "n/a": 0}
    for result in judgement.results:
        findings = [f for f in result.findings if fy is None or fy.contains(f.date)]
        status = result.status
        if status != "n/a":
            status = "fail" if any(f.severity == BREACH for f in findings) else "pass"
        counts[status] += 1
        breaches += sum(1 for f in findings if f.severity == BREACH)
        warnings += sum(1 for f in findings if f.severity == WARNING)
        rules.append({
            "id": result.rule.id, "clause": result.rule.clause, "title": result.rule.title,
            "status": status, "findings": [f.as_json() for f in findings],
        })
    where = standing(books.terms, judgement.as_of)
    return {
        "ledger": books.path,
        "title": books.options.get("title"),
        "as_of": judgement.as_of.isoformat(),
        "fy": fy.label if fy else None,
        "agreement": where.agreement.name if where.agreement else None,
        "in_force": where.in_force is not None,
        "standing": where.words,
        "parties": [{"code": code, "name": books.terms.name_of(code)}
                    for code in (where.agreement.partners if where.agreement else ())],
        "rules": rules,
        "summary": {"breaches": breaches, "warnings": warnings, "rules_passed": counts["pass"],
                    "rules_failed": counts["fail"], "rules_not_applicable": counts["n/a"]},
        "seals": [_seal_json(seal) for seal in seals(books, judgement.as_of)],
        "since": None if since is None else {"file": since.name,
                                             "as_of": since.as_of.isoformat()},
    }


def _seal_json(seal: Seal) -> dict[str, Any]:
    return {"fy": seal.fy.label, "date": seal.date.isoformat(), "digest": seal.digest,
            "carried_forward": decimal_string(seal.carried_forward),
            "file": seal.source.filename, "line": seal.source.lineno}


class PreviousAuditError(ValueError):
    """A previous audit's JSON that cannot be read; the message says why."""


def read_previous(path: Path) -> PreviousAudit:
    """The seals of a previous audit, from its JSON (``kcst audit --format json``)."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise PreviousAuditError(f"cannot read it: {problem.strerror or problem}") from None
    except UnicodeDecodeError:
        raise PreviousAuditError("is not text (UTF-8)") from None
    except json.JSONDecodeError as problem:
        raise PreviousAuditError(f"is not JSON: {problem.msg} at line {problem.lineno}, "
                                 f"column {problem.colno}") from None
    if not isinstance(report, dict):
        raise PreviousAuditError("is not the JSON of kcst audit (no object at the top)")
    as_of = _field(report, "as_of", str, "the audit")
    if not isinstance(report.get("seals"), list):
        raise PreviousAuditError('has no "seals" list: it is not the JSON of a kcst audit '
                                 "that records the seals (kcst audit --format json)")
    try:
        date = datetime.date.fromisoformat(as_of)
    except ValueError:
        raise PreviousAuditError(f'"as_of": {as_of!r} is not a date like 2020-06-30') from None
    found = []
    for number, item in enumerate(report["seals"], start=1):
        where = f"seal {number}"
        if not isinstance(item, dict):
            raise PreviousAuditError(f"{where} is not an object")
        try:
            fy = parse_fy(_field(item, "fy", str, where))
            day = datetime.date.fromisoformat(_field(item, "date", str, where))
            amount = Decimal(_field(item, "carried_forward", str, where))
        except (ValueError, ArithmeticError) as problem:
            raise PreviousAuditError(f"{where}: {problem}") from None
        if not amount.is_finite():
            raise PreviousAuditError(f'{where}: "carried_forward" is not an amount')
        digest = item.get("digest")
        if digest is not None and not (isinstance(digest, str) and digest.startswith("sha256:")):
            raise PreviousAuditError(f'{where}: "digest" must be "sha256:<hex>" or null, got '
                                     f"{digest!r}")
        line = item.get("line", 0)
        if not isinstance(line, int) or isinstance(line, bool):
            raise PreviousAuditError(f'{where}: "line" must be a number, got {line!r}')
        found.append(Seal(fy, day, digest, amount,
                          Source(_field(item, "file", str, where), line)))
    return PreviousAudit(str(path), date, tuple(found))


def _field(item: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = item.get(key)
    if not isinstance(value, kind):
        raise PreviousAuditError(f"{where} has no {key!r} ({kind.__name__})")
    return value


#: From this many findings of one rule and severity on, they are folded into one line.
FOLD_AT = 3


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one rule and one severity, with one line that sums them up:
    "overdrawn at 14 month ends, April 2020 to May 2021, lowest -£380.00"."""

    rule: str
    clause: str
    title: str
    severity: str
    findings: tuple[dict[str, Any], ...]  # as ``audit_report`` gives them, in date order
    summary: str
    lowest: Decimal | None = None  # pool-solvency: the lowest month-end balance

    @property
    def name(self) -> str:
        """The rule's id in words: ``Meeting cadence``."""
        return id_words(self.rule)

    @property
    def clause_words(self) -> str:
        return clause_words(self.clause)

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def first(self) -> datetime.date:
        return datetime.date.fromisoformat(self.findings[0]["date"])

    @property
    def last(self) -> datetime.date:
        return datetime.date.fromisoformat(self.findings[-1]["date"])

    @property
    def span(self) -> str:
        """``May 2018 to January 2019``, or ``June 2019`` when all fall in one month."""
        first, last = month_words(self.first), month_words(self.last)
        return first if first == last else f"{first} to {last}"

    @property
    def folded(self) -> bool:
        """Shown as one line with the detail one click away."""
        return self.count >= FOLD_AT


def finding_groups(books: Books, report: dict[str, Any]) -> tuple[FindingGroup, ...]:
    """Every finding of ``report`` (``audit_report``), grouped by rule and severity in the
    rules' order, each group summed up in words."""
    groups = []
    for rule in report["rules"]:
        for severity in (BREACH, WARNING):
            found = tuple(sorted((f for f in rule["findings"] if f["severity"] == severity),
                                 key=lambda f: (f["date"], f["line"])))
            if found:
                groups.append(_group(books, rule, severity, found))
    return tuple(groups)


def _group(books: Books, rule: dict[str, Any], severity: str,
           found: tuple[dict[str, Any], ...]) -> FindingGroup:
    dates = [datetime.date.fromisoformat(f["date"]) for f in found]
    first, last = month_words(dates[0]), month_words(dates[-1])
    span = f"in {first}" if first == last else f"{first} to {last}"
    lowest = None
    if len(found) == 1:
        summary = found[0]["message"]
    elif rule["id"] == "pool-solvency":
        lowest = min(books.balance_on(date) for date in dates)
        summary = f"overdrawn at {len(found)} month ends, {span}, lowest {gbp(lowest)}"
    else:
        summary = (f"{plural(len(found), severity)}, {span}; the latest, on "
                   f"{long_date(dates[-1])}: {found[-1]['message']}")
    return FindingGroup(rule["id"], rule["clause"], rule["title"], severity, found, summary,
                        lowest)


_DATE = re.compile(r"\b(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|"
                   r"September|October|November|December) \d{4}\b")


def _wrap(message: str) -> list[str]:
    """The message in lines of ``TEXT_WIDTH``, never splitting a date (1 March 2019, January
    2020) nor a hyphenated word (an id such as D-2018-09-1, kcst-outcome)."""
    kept = _DATE.sub(lambda m: m.group(0).replace(" ", "\0"), message)
    return [line.replace("\0", " ") for line in textwrap.wrap(
        kept, width=TEXT_WIDTH, initial_indent=" " * 13, subsequent_indent=" " * 13,
        break_on_hyphens=False)]


def _place(finding: dict[str, Any]) -> str:
    return Source(finding["file"], finding["line"]).display()


def summary_line(report: dict[str, Any]) -> str:
    s = report["summary"]
    return (f"{plural(s['breaches'], 'breach')}, {plural(s['warnings'], 'warning')}; "
            f"rules: {s['rules_passed']} pass, {s['rules_failed']} fail, "
            f"{s['rules_not_applicable']} n/a")


def _clause(rule: dict[str, Any]) -> str:
    return f"cl. {rule['clause']}" if rule["clause"] != "-" else "-"


def _clause_lines(rule: dict[str, Any]) -> list[str]:
    """The clause as the text audit's column shows it: a clause with a further source after
    a semicolon (``10.3; CSA audit recommendation``) keeps the source on a line below."""
    clause, separator, rest = _clause(rule).partition("; ")
    return [clause + separator.rstrip(), rest] if rest else [clause]


def render_text(report: dict[str, Any]) -> str:
    """The audit for a terminal: a line per rule, an indented line per finding."""
    ledger = Source(report["ledger"] or "<string>", 0).display().rsplit(":", 1)[0]
    lines = [f"MoU compliance audit: {report.get('title') or ledger}",
             f"ledger {ledger}, as of {report['as_of']}"
             + (f", findings dated in {report['fy']}" if report.get("fy") else ""),
             report["standing"], ""]
    clause_width = max((len(_clause_lines(r)[0]) for r in report["rules"]), default=0)
    id_width = max((len(r["id"]) for r in report["rules"]), default=0)
    for rule in report["rules"]:
        clause, *more = _clause_lines(rule)
        lines.append(f"{clause:<{clause_width}}  {rule['id']:<{id_width}}  "
                     f"{rule['status'].upper() if rule['status'] == 'fail' else rule['status']:<4}"
                     f"  {rule['title']}")
        lines.extend(f"    {line}" for line in more)
        for finding in rule["findings"]:
            lines.append(f"    {finding['severity']:<7}  {finding['date']}  {_place(finding)}")
            lines.extend(_wrap(finding["message"]))
    lines += _seal_lines(report)
    lines += ["", summary_line(report)]
    return "\n".join(lines) + "\n"


def _seal_lines(report: dict[str, Any]) -> list[str]:
    """The sealed periods: each closed year's digest, to keep for the next audit."""
    if not report["seals"]:
        return []
    lines = ["", "Sealed periods (kcst audit --since a kept JSON of this audit shows any closed "
             "year re-sealed since):"]
    for seal in report["seals"]:
        place = Source(seal["file"], seal["line"]).display()
        lines.append(f"  {seal['fy']}  {long_date(datetime.date.fromisoformat(seal['date']))}  "
                     f"carried forward {gbp(Decimal(seal['carried_forward']))}  {place}")
        lines.append(f"           {seal['digest'] or 'no digest: not sealed'}")
    if report.get("since"):
        since = report["since"]
        lines.append(f"  held against the audit as of "
                     f"{long_date(datetime.date.fromisoformat(since['as_of']))} ({since['file']})")
    return lines


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:2em;color:#222;
max-width:70em}
h1{font-size:1.4em;margin-bottom:.2em}
.meta{color:#555;margin-top:0}
.summary{font-size:1.1em;padding:.6em 1em;border-radius:4px;background:#eef5ee}
.summary.fail{background:#fbeaea}
.summary.none{background:#fff4e0}
.standing{font-weight:bold}.standing.none{color:#9a6700}
table{border-collapse:collapse;width:100%;margin-top:1em}
th,td{border-bottom:1px solid #ddd;padding:.4em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}
.status{font-weight:bold;text-transform:uppercase;white-space:nowrap}
.pass{color:#1a7f37}.fail{color:#b42318}.na{color:#777}
.findings{margin:.3em 0 0 0;padding:0;list-style:none}
.findings li{margin:.2em 0}
.breach{color:#b42318;font-weight:bold}.warning{color:#9a6700;font-weight:bold}
code{font-size:.9em}
@media print{body{margin:0}}
"""


def _parties(report: dict[str, Any]) -> str:
    """``MoU 2018-2020 between Kent County Council, ... and Kent Police.``"""
    if not report["agreement"]:
        return ""
    names = [party["name"] for party in report["parties"]]
    return f"{report['agreement']} between {and_list(names)}."


def render_html(report: dict[str, Any]) -> str:
    """A self-contained page an auditor can file: summary, a row per rule, each finding
    with its date, message and ``file:line``."""
    e = html.escape
    ledger = Source(report["ledger"] or "<string>", 0).display().rsplit(":", 1)[0]
    title = report.get("title") or ledger
    failed = report["summary"]["breaches"] > 0
    summary_class = " fail" if failed else ("" if report["in_force"] else " none")
    rows = []
    for rule in report["rules"]:
        status_class = {"pass": "pass", "fail": "fail"}.get(rule["status"], "na")
        items = "".join(
            f'<li><span class="{e(f["severity"])}">{e(f["severity"])}</span> '
            f'{e(f["date"])} &mdash; {e(f["message"])} <code>{e(_place(f))}</code></li>'
            for f in rule["findings"])
        findings = f'<ul class="findings">{items}</ul>' if items else ""
        rows.append(
            f'<tr id="rule-{e(rule["id"])}"><td>{e(_clause(rule))}</td>'
            f'<td><code>{e(rule["id"])}</code></td>'
            f'<td class="status {status_class}">{e(rule["status"])}</td>'
            f'<td>{e(rule["title"])}{findings}</td></tr>')
    scope = f", findings dated in {e(report['fy'])}" if report.get("fy") else ""
    sealed = "".join(
        f'<li data-fy="{e(seal["fy"])}">{e(seal["fy"])}, year end {e(seal["date"])}: '
        f'{e(gbp(Decimal(seal["carried_forward"])))} carried forward, '
        f'<code>{e(seal["digest"] or "no digest: not sealed")}</code> '
        f'<code>{e(Source(seal["file"], seal["line"]).display())}</code></li>'
        for seal in report["seals"])
    seals_list = "" if not sealed else f"""<h2>Sealed periods</h2>
<ul class="findings" id="seals">{sealed}</ul>
<p class="meta">Keep this audit's JSON (<code>--format json</code>): <code>kcst audit --since</code>
that file shows any closed year re-sealed, or its seal removed, since.</p>
"""
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>MoU compliance audit: {e(title)} as of {e(report['as_of'])}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>MoU compliance audit: {e(title)}</h1>
<p class="meta">Ledger <code>{e(ledger)}</code>, judged as of {e(report['as_of'])}{scope}.
{e(_parties(report))}</p>
<p class="standing{'' if report['in_force'] else ' none'}" id="standing">{e(report['standing'])}</p>
<p class="summary{summary_class}" id="summary">{e(summary_line(report))}</p>
<table>
<thead><tr><th>Clause</th><th>Rule</th><th>Status</th>
<th>What the MoU requires, and the findings</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
{seals_list}<p class="meta">A breach: the agreement was not kept. A warning: needs attention, not a
breach. n/a: nothing in the ledger for the rule to judge. Each finding names the file and
line of the ledger entry at fault.</p>
</body>
</html>
"""

"""The risks of a CNIL PIA (its section 3) as DPIA risks with their measures.

The PIA tool assesses three risks, each in six answers numbered 3RP: R is
the risk (2 illegitimate access, 3 unwanted change, 4 disappearance of
data) and P the part (1 impacts, 2 threats, 3 risk sources, 4 measures,
5 severity, 6 likelihood). Severity and likelihood carry a gauge from 1 to 4.
"""

import re
from dataclasses import dataclass, field
from datetime import date

RISKS = {2: "Illegitimate access to data", 3: "Unwanted change of data", 4: "Disappearance of data"}
RISK_PARTS = {
    1: "potential impacts",
    2: "threats",
    3: "risk sources",
    4: "measures that address the risk",
    5: "severity",
    6: "likelihood",
}
# The PIA tool's four-step scale for severity and likelihood.
GAUGE = {1: "Negligible", 2: "Limited", 3: "Significant", 4: "Maximum"}

# The PIA tool's gauges from 1 (negligible) to 4 (maximum) onto the three
# severities and likelihoods of the DPIA's risk matrix (dpia/scoring.py):
#   severity   1 negligible -> minimal, 2 limited -> significant,
#              3 significant -> severe, 4 maximum -> severe
#   likelihood 1 negligible -> remote, 2 limited -> remote,
#              3 significant -> possible, 4 maximum -> probable
# The CNIL's "limited" severity still means significant inconvenience, and
# its "significant" severity means serious difficulty, so each goes one step
# up. A "limited" likelihood means the risk seems difficult to happen, which
# is remote. The overall level then comes from the configured matrix.
SEVERITY_FROM_GAUGE = {1: "minimal", 2: "significant", 3: "severe", 4: "severe"}
LIKELIHOOD_FROM_GAUGE = {1: "remote", 2: "remote", 3: "possible", 4: "probable"}


@dataclass
class MappedMeasure:
    """A measure against one risk, from the PIA's measures or its action plan."""

    description: str
    cnil_id: object = None
    due_on: date | None = None


@dataclass
class MappedRisk:
    number: int
    name: str
    source: str
    harm: str
    severity_gauge: int
    likelihood_gauge: int
    measures: list[MappedMeasure] = field(default_factory=list)

    @property
    def severity(self) -> str:
        return SEVERITY_FROM_GAUGE[self.severity_gauge]

    @property
    def likelihood(self) -> str:
        return LIKELIHOOD_FROM_GAUGE[self.likelihood_gauge]

    @property
    def label(self) -> str:
        return f"Step 5: risk {self.number}, {self.name.lower()}"


def risk_part(number) -> tuple[int, int] | None:
    """Return (risk, part) for a section 3 question number, or None for any other."""
    if not isinstance(number, int) or isinstance(number, bool) or not 300 < number < 400:
        return None
    risk, part = divmod(number - 300, 10)
    if risk in RISKS and part in RISK_PARTS:
        return risk, part
    return None


def gauge_of(data) -> int | None:
    """Return an answer's gauge when it is one of the scale's four steps, else None."""
    if not isinstance(data, dict):
        return None
    value = data.get("gauge")
    if isinstance(value, int) and not isinstance(value, bool) and value in GAUGE:
        return value
    return None


def parse_due_date(value) -> date | None:
    """Return the date of the PIA tool's "2024-06-30T00:00:00.000Z", or None if unreadable."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\d{4}-\d{2}-\d{2}", value.strip())
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group())
    except ValueError:
        return None


def risk_text(name: str, parts: dict[int, str], severity: int, likelihood: int) -> tuple[str, str]:
    """Return the DPIA risk's source and harm, built from the PIA's parts of one risk."""
    source = [name]
    if parts.get(3):
        source.append(f"Risk sources: {parts[3]}")
    if parts.get(2):
        source.append(f"Threats: {parts[2]}")
    harm = []
    if parts.get(1):
        harm.append(f"Potential impacts: {parts[1]}")
    severity_text = f"Severity in the PIA: {GAUGE[severity]}"
    harm.append(f"{severity_text}. {parts[5]}" if parts.get(5) else severity_text)
    likelihood_text = f"Likelihood in the PIA: {GAUGE[likelihood]}"
    harm.append(f"{likelihood_text}. {parts[6]}" if parts.get(6) else likelihood_text)
    return "\n".join(source), "\n".join(harm)

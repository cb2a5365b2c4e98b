"""Build a register of a given size with bulk inserts, one small function per record type.

`build(connection, size, today, due)` fills an empty, migrated database. Each
builder inserts its rows with one executemany per chunk and gives them
explicit ids, so later builders can point at them without reading them back.
A new record type is added by writing a builder and listing it in BUILDERS.

The mix of counted records at `size`: 10% projects, 30% DPIAs (each with
a screening, risks and measures), 30% data-sharing agreements (each with
two or three parties, purposes and versions) and 30% review records.
Decisions, users, parties, privacy-by-design assessments (one per project,
with their checklist items and actions) and audit events (one per counted
record) are supporting rows and are not counted.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Table, text
from werkzeug.security import generate_password_hash

from core.audit import AuditEvent
from core.auth.models import User
from core.projects.models import Decision, Party, Project, project_decisions
from dpia.models import Dpia
from dpia.pbd_checklist import CHECKLIST, OPEN_ACTION_STATUSES
from dpia.pbd_models import PbdAssessment, PbdItem
from dpia.risks import Measure, Risk
from dpia.scoring import DEFAULT_MATRIX
from dpia.screening import Screening
from dpia.vocabulary import LIKELIHOODS, RISK_RANK, SEVERITIES
from register.imports.models import DpiaImportNote
from register.models import Review, ReviewAction
from sharing.models import Agreement, AgreementParty, AgreementPurpose, AgreementVersion

BENCH_PASSWORD = "benchmark-password-2026"
DPO_EMAIL = "bench-dpo@example.org"
# The DPO's role must sign in with a second factor, so the DPO has this TOTP
# secret and the benchmark computes the current code from it.
DPO_TOTP_SECRET = "BENCHMARKTOTPSECRETFORTHEDPOXYZA"
# One DPIA in IMPORTED_EVERY came from another tool and has import notes.
# The benchmark opens detail pages at positions that are multiples of 300,
# so the DPIA whose import notes are timed has them at every size.
IMPORTED_EVERY = 300
CHUNK = 5000

# Records falling due go to the first DUE_OWNERS project leads only, so the
# reminder job sends the same number of digests at every register size.
DUE_OWNERS = 50

# Record types the register has but the builders do not insert.
NOT_BUILT = ["DPIA prior consultations", "one-off sharing decisions", "attachments"]


@dataclass
class Plan:
    """How many rows of each kind a register of `size` records holds."""

    size: int
    today: date
    due: int
    reminder_days: int
    seed: int = 2026
    rng: random.Random = field(init=False)
    now: datetime = field(init=False)
    due_left: int = field(init=False)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.now = datetime.now(UTC)
        self.due_left = self.due

    @property
    def projects(self) -> int:
        return max(2, self.size // 10)

    @property
    def dpias(self) -> int:
        return self.size * 3 // 10

    @property
    def agreements(self) -> int:
        return self.size * 3 // 10

    @property
    def reviews(self) -> int:
        return self.size - self.projects - self.dpias - self.agreements

    @property
    def assessments(self) -> int:
        return self.projects

    @property
    def leads(self) -> int:
        return max(2, self.projects // 10)

    @property
    def decisions(self) -> int:
        return max(1, self.projects // 2)

    @property
    def parties(self) -> int:
        return 50 + self.size // 1000

    # Users 1 to 3 are the DPO, an auditor and an administrator; leads follow.
    def lead_id(self, lead_index: int) -> int:
        return 4 + lead_index

    def project_lead_index(self, project_index: int) -> int:
        return project_index % self.leads

    def review_date(self, project_index: int) -> date | None:
        """Return a review date: due within the reminder window while due records remain."""
        if self.due_left and self.project_lead_index(project_index) < DUE_OWNERS:
            self.due_left -= 1
            return self.today + timedelta(days=self.rng.randint(-30, self.reminder_days))
        if self.rng.random() < 0.03:
            return None
        return self.today + timedelta(days=self.rng.randint(self.reminder_days + 1, 3 * 365))

    def later_date(self) -> date:
        """Return a date after the reminder window, for dated rows that must not fall due."""
        return self.today + timedelta(days=self.rng.randint(self.reminder_days + 1, 3 * 365))

    def stamps(self) -> dict:
        return {"created_at": self.now, "updated_at": self.now}


def insert(connection: Connection, table: Table, rows) -> int:
    """Insert rows with one executemany per chunk; return how many."""
    count = 0
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            connection.execute(table.insert(), chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        connection.execute(table.insert(), chunk)
        count += len(chunk)
    return count


def build_users(connection: Connection, plan: Plan) -> int:
    password_hash = generate_password_hash(BENCH_PASSWORD, method="scrypt")
    staff = [
        (DPO_EMAIL, "Bench DPO", "dpo"),
        ("bench-auditor@example.org", "Bench Auditor", "auditor"),
        ("bench-admin@example.org", "Bench Administrator", "admin"),
    ]
    staff += [
        (f"lead{index}@example.org", f"Lead {index:05d}", "lead") for index in range(plan.leads)
    ]
    count = insert(
        connection,
        User.__table__,
        (
            {
                "id": number,
                "email": email,
                "name": name,
                "role": role,
                "password_hash": password_hash,
                "is_active": True,
                "session_token": f"bench-session-{number}",
                "totp_secret": DPO_TOTP_SECRET if number == 1 else None,
                **plan.stamps(),
            }
            for number, (email, name, role) in enumerate(staff, start=1)
        ),
    )
    return count


def build_decisions(connection: Connection, plan: Plan) -> int:
    def rows():
        for index in range(plan.decisions):
            reference = f"PCD {1000 + index}"
            yield {
                "id": index + 1,
                "reference": reference,
                "reference_key": reference,
                "title": f"Funding decision {index} for policing data work",
                "decision_maker": "Deputy Mayor for Policing and Crime",
                "issuing_body": "MOPAC",
                "signed_on": plan.today - timedelta(days=plan.rng.randint(30, 2000)),
                "summary": "Approves the grant and the processing it pays for.",
                "link": "",
                **plan.stamps(),
            }

    return insert(connection, Decision.__table__, rows())


def build_parties(connection: Connection, plan: Plan) -> int:
    def rows():
        for index in range(plan.parties):
            kind = "internal" if index % 3 == 0 else "external"
            yield {
                "id": index + 1,
                "name": f"{'Team' if kind == 'internal' else 'Organisation'} {index:04d}",
                "kind": kind,
                "description": "Shares data with the force under agreement.",
                **plan.stamps(),
            }

    return insert(connection, Party.__table__, rows())


def build_projects(connection: Connection, plan: Plan) -> int:
    def rows():
        for index in range(plan.projects):
            yield {
                "id": index + 1,
                "name": f"Project {index:06d}",
                "description": "Processing of personal data for an operational purpose.",
                "owning_unit": f"Unit {index % 40}",
                "lead_id": plan.lead_id(plan.project_lead_index(index)),
                "status": "closed" if index % 20 == 0 else "active",
                **plan.stamps(),
            }

    def links():
        for index in range(plan.projects):
            first = index % plan.decisions
            yield {"project_id": index + 1, "decision_id": first + 1}
            second = (index + 1) % plan.decisions
            if index % 5 == 0 and second != first:
                yield {"project_id": index + 1, "decision_id": second + 1}

    count = insert(connection, Project.__table__, rows())
    insert(connection, project_decisions, links())
    return count


def _project_fields(plan: Plan, index: int) -> dict:
    project_index = index % plan.projects
    return {
        "project_id": project_index + 1,
        "decision_id": project_index % plan.decisions + 1,
        "owner_id": plan.lead_id(plan.project_lead_index(project_index)),
        "next_review_on": plan.review_date(project_index),
    }


# Each DPIA's risks, as (likelihood, severity) pairs, vary with its position.
LIKELIHOOD_CODES = list(LIKELIHOODS)
SEVERITY_CODES = list(SEVERITIES)
# The residual level a measure leaves against a risk of each level.
LOWER_LEVEL = {"high": "medium", "medium": "low"}
MEASURE_STATUS_CYCLE = ("planned", "in_progress", "in_place")


def risk_levels(dpia_index: int) -> list[tuple[str, str, str]]:
    """Return one to three (likelihood, severity, level) triples for the DPIA at `dpia_index`.

    The level comes from the default risk matrix, which the benchmark's app uses.
    """
    risks = []
    for number in range(1 + dpia_index % 3):
        likelihood = LIKELIHOOD_CODES[(dpia_index + number) % 3]
        severity = SEVERITY_CODES[(dpia_index // 3 + 2 * number) % 3]
        risks.append((likelihood, severity, DEFAULT_MATRIX[severity][likelihood]))
    return risks


def residual_risk(dpia_index: int) -> str:
    """Return the DPIA's highest residual level: each medium or high risk has one measure."""
    levels = [LOWER_LEVEL.get(level, level) for _, _, level in risk_levels(dpia_index)]
    return max(levels, key=RISK_RANK.__getitem__)


def build_dpias(connection: Connection, plan: Plan) -> int:
    def rows():
        for index in range(plan.dpias):
            signed = index % 3 != 0
            # One signed-off DPIA in a hundred still awaits the lead's confirmation.
            confirmed = signed and index % 100 != 1
            advice_on = plan.today - timedelta(days=60) if signed else None
            yield {
                "id": index + 1,
                "title": f"DPIA {index:06d}: processing of case records",
                "reference": f"DPIA-{index:06d}",
                "status": "approved" if signed else "draft",
                "regime": ("uk_gdpr", "part3", "both")[index % 3],
                "residual_risk": residual_risk(index),
                "processing_summary": "Collects, stores and shares case records.",
                "dpo_advice": "Proceed with the measures listed." if signed else "",
                "dpo_advice_on": advice_on,
                "dpo_advice_by_id": 1 if signed else None,
                "signed_off_on": advice_on + timedelta(days=7) if signed else None,
                "signed_off_by_id": 1 if signed else None,
                "confirmed_at": plan.now if confirmed else None,
                "confirmed_by_id": plan.lead_id(0) if confirmed else None,
                **_project_fields(plan, index),
                **plan.stamps(),
            }

    def screenings():
        for index in range(plan.dpias):
            yield {
                "id": index + 1,
                "project_id": index % plan.projects + 1,
                "dpia_id": index + 1,
                "mandatory_cases": [],
                "ico_types": [],
                "wp248_criteria": [],
                "involves_sharing": index % 2 == 0,
                "is_dpia_required": True,
                "rationale": "Large-scale processing of case records.",
                "decided_by_id": 1,
                "decided_at": plan.now,
                **plan.stamps(),
            }

    count = insert(connection, Dpia.__table__, rows())
    insert(connection, Screening.__table__, screenings())
    insert(connection, DpiaImportNote.__table__, import_notes(plan))
    build_risks(connection, plan)
    return count


def import_notes(plan: Plan):
    """Yield import notes for one DPIA in IMPORTED_EVERY."""
    for number, index in enumerate(range(0, plan.dpias, IMPORTED_EVERY), start=1):
        yield {
            "id": number,
            "dpia_id": index + 1,
            "source": "CNIL PIA tool export",
            "report": '[["Context", "Step 1: description"]]',
            "notes": "Risks were copied as written; review their levels.",
            "created_at": plan.now,
            "created_by_id": 1,
        }


def build_risks(connection: Connection, plan: Plan) -> None:
    """Insert each DPIA's risks, and one measure against each medium or high risk."""
    risks, measures = [], []
    for index in range(plan.dpias):
        owner_id = plan.lead_id(plan.project_lead_index(index % plan.projects))
        for likelihood, severity, level in risk_levels(index):
            risk_id = len(risks) + 1
            risks.append(
                {
                    "id": risk_id,
                    "dpia_id": index + 1,
                    "source": "Case records reach staff who do not need them.",
                    "harm": "Distress and loss of trust if details are disclosed.",
                    "likelihood": likelihood,
                    "severity": severity,
                    "computed_level": level,
                    **plan.stamps(),
                }
            )
            if level not in LOWER_LEVEL:
                continue
            status = MEASURE_STATUS_CYCLE[len(measures) % len(MEASURE_STATUS_CYCLE)]
            measures.append(
                {
                    "id": len(measures) + 1,
                    "risk_id": risk_id,
                    "description": "Limit access to the case team by role.",
                    "effect": "reduced",
                    "residual_level": LOWER_LEVEL[level],
                    "is_approved": status == "in_place",
                    "owner_id": owner_id,
                    # Open measures are review-source rows, so they fall due
                    # after the reminder window and do not change the reminder run.
                    "due_on": None if status == "in_place" else plan.later_date(),
                    "status": status,
                    **plan.stamps(),
                }
            )
    insert(connection, Risk.__table__, risks)
    insert(connection, Measure.__table__, measures)


ITEM_STATUS_CYCLE = ("met", "partly_met", "met", "not_met", "not_applicable")
ACTION_STATUS_CYCLE = ("open", "in_progress", "done")


def build_assessments(connection: Connection, plan: Plan) -> int:
    def rows():
        for index in range(plan.assessments):
            fields = _project_fields(plan, index)
            yield {
                "id": index + 1,
                "title": f"Design review {index:06d}",
                "status": "approved" if index % 2 else "draft",
                "summary": "Checks each privacy principle at this stage.",
                "system_or_component": f"Case system {index % 40}",
                "stage": ("concept", "design", "build", "test")[index % 4],
                "assessor_id": fields["owner_id"],
                "assessed_on": plan.today - timedelta(days=index % 365),
                "is_law_enforcement": index % 4 == 0,
                "techniques": ["pseudonymisation"] if index % 2 else [],
                **fields,
                **plan.stamps(),
            }

    def items():
        number = 0
        for index in range(plan.assessments):
            owner_id = plan.lead_id(plan.project_lead_index(index % plan.projects))
            law_enforcement = index % 4 == 0
            entries = [e for e in CHECKLIST if law_enforcement or not e.is_law_enforcement]
            for position, entry in enumerate(entries):
                number += 1
                status = ITEM_STATUS_CYCLE[(index + position) % len(ITEM_STATUS_CYCLE)]
                acting = status in ("partly_met", "not_met")
                action_status = ACTION_STATUS_CYCLE[number % len(ACTION_STATUS_CYCLE)]
                yield {
                    "id": number,
                    "assessment_id": index + 1,
                    "code": entry.code,
                    "position": position,
                    "status": status,
                    "not_applicable_reason": (
                        "The system holds no such data." if status == "not_applicable" else ""
                    ),
                    "evidence": "Design document, section 4." if status == "met" else "",
                    "evidence_link": "",
                    "action": "Add role-based access before go-live." if acting else "",
                    "action_owner_id": owner_id if acting else None,
                    # Open actions are review-source rows, so they fall due
                    # after the reminder window and do not change the reminder run.
                    "action_due_on": plan.later_date() if acting else None,
                    "action_status": action_status if acting else "",
                    # No built assessment replaces another and each one holds only
                    # the items its checklist counts, so the flags need only these.
                    "is_current_action": acting,
                    "is_open_action": acting and action_status in OPEN_ACTION_STATUSES,
                    **plan.stamps(),
                }

    count = insert(connection, PbdAssessment.__table__, rows())
    insert(connection, PbdItem.__table__, items())
    return count


def build_agreements(connection: Connection, plan: Plan) -> int:
    statuses = ["active", "active", "active", "draft", "suspended", "expired"]
    relationships = ["controller_to_controller", "internal_same_controller"]
    relationships += ["joint_controllers", "controller_to_processor"]

    def rows():
        for index in range(plan.agreements):
            fields = _project_fields(plan, index)
            # The DPIA with the same index belongs to the same project.
            dpia_id = index + 1 if index < plan.dpias and index % 4 < 2 else None
            yield {
                "id": index + 1,
                "reference": f"DSA-{index:06d}",
                "title": f"Sharing of case records {index:06d}",
                "dpia_id": dpia_id,
                "relationship_kind": relationships[index % len(relationships)],
                "scope": "external" if index % 2 else "internal",
                "status": statuses[index % len(statuses)],
                "purpose": "Lets the receiving team act on the same case records.",
                "start_on": plan.today - timedelta(days=400),
                "end_on": plan.today + timedelta(days=index % 1000 + 1) if index % 3 else None,
                **fields,
                **plan.stamps(),
            }

    def parties():
        number = 0
        for index in range(plan.agreements):
            # The first party goes round every party, so each is in some
            # agreement and a party's page has the same shape at every size.
            first = index % plan.parties + 1
            others = [n for n in plan.rng.sample(range(1, plan.parties + 1), 3) if n != first]
            chosen = [first, *others[: 1 + index % 2]]
            for position, party_id in enumerate(chosen):
                number += 1
                role = ("discloser", "recipient", "both")[position]
                yield {"id": number, "agreement_id": index + 1, "party_id": party_id, "role": role}

    def purposes():
        number = 0
        for index in range(plan.agreements):
            for _ in range(1 + index % 2):
                number += 1
                yield {
                    "id": number,
                    "agreement_id": index + 1,
                    "description": "Safeguarding vulnerable people named in case records.",
                    "art6_basis": "e_public_task",
                }

    def versions():
        number = 0
        for index in range(plan.agreements):
            for version in range(1, 2 + index % 2):
                number += 1
                yield {
                    "id": number,
                    "agreement_id": index + 1,
                    "number": version,
                    "changed_on": plan.today - timedelta(days=400 - 100 * version),
                    "change": "First draft" if version == 1 else "Added a recipient",
                    "authorised_by": "Bench DPO",
                }

    count = insert(connection, Agreement.__table__, rows())
    insert(connection, AgreementParty.__table__, parties())
    insert(connection, AgreementPurpose.__table__, purposes())
    insert(connection, AgreementVersion.__table__, versions())
    return count


# The review sources whose records the reviews point at, in turn.
REVIEWED_KINDS = ("dpia", "agreement", "assessment")
REVIEW_OUTCOMES = ("no_change", "no_change", "minor_update", "new_version_required")


def build_reviews(connection: Connection, plan: Plan) -> int:
    totals = {"dpia": plan.dpias, "agreement": plan.agreements, "assessment": plan.assessments}
    titles = {
        "dpia": "DPIA {:06d}: processing of case records",
        "agreement": "DSA-{:06d}: Sharing of case records {:06d}",
        "assessment": "Design review {:06d}",
    }

    def rows():
        for index in range(plan.reviews):
            kind = REVIEWED_KINDS[index % len(REVIEWED_KINDS)]
            record_index = index // len(REVIEWED_KINDS) % max(1, totals[kind])
            project_index = record_index % plan.projects
            reviewer_id = plan.lead_id(plan.project_lead_index(project_index))
            yield {
                "id": index + 1,
                "record_kind": kind,
                "record_id": record_index + 1,
                "project_id": project_index + 1,
                "record_title": titles[kind].format(record_index, record_index),
                "review_type": "scheduled" if index % 5 else "triggered",
                "trigger": "scheduled" if index % 5 else "new_recipient_or_processor",
                "reviewer_id": reviewer_id,
                "reviewed_on": plan.today - timedelta(days=index % 1000 + 1),
                "is_processing_as_recorded": index % 7 != 0,
                "findings": "Processing matches the record. Retention checked.",
                "is_risk_changed": index % 11 == 0,
                "new_risk_level": "medium" if index % 11 == 0 else None,
                "outcome": REVIEW_OUTCOMES[index % len(REVIEW_OUTCOMES)],
                "is_dpo_consulted": index % 3 == 0,
                "next_review_on": plan.today + timedelta(days=365 - index % 1000),
                "recorded_by_id": 1,
                **plan.stamps(),
            }

    def actions():
        # One review in five has an action, and two in three of those are done.
        for number, index in enumerate(range(0, plan.reviews, 5), start=1):
            done = number % 3 != 0
            project_index = index // len(REVIEWED_KINDS) % plan.projects
            yield {
                "id": number,
                "review_id": index + 1,
                "description": "Update the privacy notice to name the new recipient.",
                "owner_id": plan.lead_id(plan.project_lead_index(project_index)),
                # Open actions are review-source rows, so they fall due
                # after the reminder window and do not change the reminder run.
                "due_on": plan.today - timedelta(days=30) if done else plan.later_date(),
                "completed_on": plan.today - timedelta(days=40) if done else None,
                **plan.stamps(),
            }

    count = insert(connection, Review.__table__, rows())
    insert(connection, ReviewAction.__table__, actions())
    return count


AUDITED = (("dpias", "create"), ("dpias", "update"), ("agreements", "update"))
AUDITED += (("projects", "update"), ("pbd_assessments", "create"), (None, "sign_in"))


def build_audit_events(connection: Connection, plan: Plan) -> int:
    """Insert one audit event per counted record, newest last.

    The audit table rejects UPDATE and DELETE by trigger, so its rows are
    only inserted, as the app does.
    """

    def rows():
        for index in range(plan.size):
            record_type, action = AUDITED[index % len(AUDITED)]
            actor_index = index % plan.leads
            yield {
                "id": index + 1,
                "occurred_at": plan.now - timedelta(minutes=plan.size - index),
                "actor_id": plan.lead_id(actor_index),
                "actor_label": f"lead{actor_index}@example.org",
                "action": action,
                "record_type": record_type,
                "record_id": index % plan.projects + 1 if record_type else None,
                "summary": f"{action} by Lead {actor_index:05d}",
                "changes": {"title": ["Old title", "New title"]} if action == "update" else None,
                "address": f"10.0.{index % 250}.{index % 200 + 1}",
            }

    return insert(connection, AuditEvent.__table__, rows())


@dataclass(frozen=True)
class Builder:
    name: str
    build: Callable[[Connection, Plan], int]
    counted: bool


# In dependency order: a builder may point at rows of the builders above it.
BUILDERS = [
    Builder("users", build_users, counted=False),
    Builder("decisions", build_decisions, counted=False),
    Builder("parties", build_parties, counted=False),
    Builder("projects", build_projects, counted=True),
    Builder("dpias", build_dpias, counted=True),
    Builder("assessments", build_assessments, counted=False),
    Builder("agreements", build_agreements, counted=True),
    Builder("reviews", build_reviews, counted=True),
    Builder("audit events", build_audit_events, counted=False),
]

# Every table a builder gives explicit ids.
BUILT_TABLES = [
    model.__table__
    for model in (User, Decision, Party, Project, Dpia, Screening, Risk, Measure)
    + (PbdAssessment, PbdItem, Agreement, AgreementParty, AgreementPurpose, AgreementVersion)
    + (DpiaImportNote, Review, ReviewAction, AuditEvent)
]


def reset_sequences(connection: Connection) -> None:
    """Move PostgreSQL's id sequences past the explicit ids the builders gave."""
    if connection.dialect.name != "postgresql":
        return
    for table in BUILT_TABLES:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
            )
        )


def build(
    connection: Connection, size: int, today: date, due: int, reminder_days: int = 30
) -> dict[str, int]:
    """Fill an empty database with a register of `size` records, `due` of them due for review.

    Return the number of rows each builder inserted.
    """
    plan = Plan(size=size, today=today, due=due, reminder_days=reminder_days)
    counts = {builder.name: builder.build(connection, plan) for builder in BUILDERS}
    reset_sequences(connection)
    counts["due"] = due - plan.due_left
    return counts

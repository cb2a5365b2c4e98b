"""Build a register of a given size with bulk inserts, one small function per record type.

`build(connection, size, today, due)` fills an empty, migrated database. Each
builder inserts its rows with one executemany per chunk and gives them
explicit ids, so later builders can point at them without reading them back.
A new record type is added by writing a builder and listing it in BUILDERS.

The mix of counted records at `size`: 10% projects, 30% DPIAs, 30%
data-sharing agreements (each with two or three parties) and 30%
privacy-by-design assessments. Decisions, users and parties are supporting
rows and are not counted.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Table, text
from werkzeug.security import generate_password_hash

from core.auth.models import User
from core.projects.models import Decision, Party, Project, project_decisions
from dpia.models import Dpia, PbdAssessment
from sharing.models import Agreement, AgreementParty

BENCH_PASSWORD = "benchmark-password-2026"
DPO_EMAIL = "bench-dpo@example.org"
CHUNK = 5000

# Records falling due go to the first DUE_OWNERS project leads only, so the
# reminder job sends the same number of digests at every register size.
DUE_OWNERS = 50

# Review records, audit events, DPIA risks and measures, and assessment
# items and actions are not in the schema yet.
# NOTE: when those tables exist, add a builder for each below and give
# review records the 30% share that privacy-by-design assessments take now.
NOT_BUILT = [
    "review records",
    "audit events",
    "DPIA risks and measures",
    "assessment items and actions",
]


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
    def assessments(self) -> int:
        return self.size - self.projects - self.dpias - self.agreements

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
    return insert(
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
                **plan.stamps(),
            }
            for number, (email, name, role) in enumerate(staff, start=1)
        ),
    )


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
                "status": "approved" if signed else "draft",
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

    return insert(connection, Dpia.__table__, rows())


def build_assessments(connection: Connection, plan: Plan) -> int:
    def rows():
        for index in range(plan.assessments):
            yield {
                "id": index + 1,
                "title": f"Design review {index:06d}",
                "status": "approved" if index % 2 else "draft",
                "summary": "Checks each privacy principle at this stage.",
                **_project_fields(plan, index),
                **plan.stamps(),
            }

    return insert(connection, PbdAssessment.__table__, rows())


def build_agreements(connection: Connection, plan: Plan) -> int:
    statuses = ["active", "active", "active", "draft", "suspended", "expired"]

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
                "scope": "external" if index % 2 else "internal",
                "status": statuses[index % len(statuses)],
                "purpose": "Lets the receiving team act on the same case records.",
                **fields,
                **plan.stamps(),
            }

    def parties():
        number = 0
        for index in range(plan.agreements):
            chosen = plan.rng.sample(range(1, plan.parties + 1), 2 + index % 2)
            for position, party_id in enumerate(chosen):
                number += 1
                role = ("discloser", "recipient", "both")[position]
                yield {"id": number, "agreement_id": index + 1, "party_id": party_id, "role": role}

    count = insert(connection, Agreement.__table__, rows())
    insert(connection, AgreementParty.__table__, parties())
    return count


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
    Builder("assessments", build_assessments, counted=True),
    Builder("agreements", build_agreements, counted=True),
]


def reset_sequences(connection: Connection) -> None:
    """Move PostgreSQL's id sequences past the explicit ids the builders gave."""
    if connection.dialect.name != "postgresql":
        return
    for builder_table in (User, Decision, Party, Project, Dpia, PbdAssessment, Agreement):
        table = builder_table.__tablename__
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )
    connection.execute(
        text(
            "SELECT setval(pg_get_serial_sequence('agreement_parties', 'id'), "
            "(SELECT coalesce(max(id), 1) FROM agreement_parties))"
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

"""The audit page: every audit event, filtered, for DPOs and auditors."""

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from core.audit import ACTIONS, AuditEvent, record_types
from core.auth.models import Role
from core.forms import ChoiceField, DateField, RegisterForm, submit
from core.pagination import paginate
from core.policy import allow
from core.timeutil import local_zone

bp = Blueprint("audit", __name__)


class AuditFilterForm(RegisterForm):
    """Filters read from the query string; a GET form, so it carries no CSRF token."""

    class Meta:
        csrf = False

    actor = StringField("Who", validators=[Optional(), Length(max=254)])
    action = ChoiceField(
        "Action", validators=[Optional()], message="Select an action", allow_empty=True
    )
    record_type = StringField("Record type", validators=[Optional(), Length(max=60)])
    record_id = StringField("Record number", validators=[Optional(), Length(max=12)])
    since = DateField("From")
    until = DateField("To")
    submit = submit("Filter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = {"": "Any action", **ACTIONS}

    def validate_record_id(self, field):
        if field.data and not (field.data.isascii() and field.data.isdigit()):
            raise ValidationError("Record number must be a whole number, like 12")


def start_of_local_day(day):
    """Return the aware time at which `day` starts in the register's time zone."""
    return datetime.combine(day, time.min, tzinfo=local_zone())


@bp.route("/audit")
@allow(Role.DPO, Role.AUDITOR)
def events():
    """List audit events, newest first, filtered by who, action, record and date."""
    form = AuditFilterForm(request.args)
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if request.args and form.validate():
        if form.actor.data:
            # PostgreSQL rejects a NUL character in a text parameter.
            actor = form.actor.data.replace("\x00", "")
            query = query.where(AuditEvent.actor_label.icontains(actor, autoescape=True))
        if form.action.data:
            query = query.where(AuditEvent.action == form.action.data)
        if form.record_type.data:
            query = query.where(AuditEvent.record_type == form.record_type.data)
        if form.record_id.data:
            query = query.where(AuditEvent.record_id == int(form.record_id.data))
        if form.since.data:
            query = query.where(AuditEvent.occurred_at >= start_of_local_day(form.since.data))
        if form.until.data:
            end = start_of_local_day(form.until.data + timedelta(days=1))
            query = query.where(AuditEvent.occurred_at < end)
    return render_template(
        "audit/events.html",
        form=form,
        page=paginate(query, key=AuditEvent.id),
        record_types=record_types(),
    )

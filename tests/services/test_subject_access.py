"""Subject access: the archive for a presenter holds every row that names her, compared with a
query of every table; the other Hasina (another case) is not in it; the archive is audited.
Real SQLite, and PostgreSQL when CVT_TEST_POSTGRES_URL is given."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile

import sqlalchemy as sa
from sqlmodel import SQLModel, select

import models.tables  # noqa: F401
from models.audit import Actor, ActorKind, AuditEvent
from models.base import utcnow
from models.db import session_factory
from models.presenter import Presenter
from services.subject_access import PersonKind, produce
from tests.personal_data import EMAIL, NAME, hasina_world

ADMIN = Actor(kind=ActorKind.staff, name="Ada Admin", id="admin")


def _names_her(table: sa.Table, row: dict, her_id: uuid.UUID, case_id: uuid.UUID) -> bool:
    text = json.dumps({k: str(v) for k, v in row.items()})
    if NAME.lower() in text.lower() or EMAIL in text or str(her_id) in text:
        return True
    in_case = row.get("case_id") == case_id or (table.name == "case" and row["id"] == case_id)
    if not in_case:
        in_case = str(case_id) in text and "Hasina was told" in text  # a report's own copy
    return in_case and re.search(r"\b(Hasina|Chowdhury|HC)\b", text) is not None


def test_the_archive_holds_every_row_that_names_her_and_nothing_of_the_other_hasina(db_engine):
    sessions = session_factory(db_engine)
    her_id, case_id = hasina_world(sessions)
    expected = set()
    with sessions() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in session.execute(sa.select(table)).mappings():
                if _names_her(table, dict(row), her_id, case_id):
                    key = ",".join(str(row[c.name]) for c in table.primary_key.columns)
                    expected.add((table.name, key))
    assert {t for t, _ in expected} >= {
        "case",
        "presenter",
        "action",
        "action_update",
        "outbox_message",
        "audit_event",
        "report",
        "report_row",
    }

    with sessions() as session:
        archive = produce(session, PersonKind.presenter, her_id, ADMIN)

    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        assert sorted(zipped.namelist()) == ["data.json", "summary.html"]
        data = json.loads(zipped.read("data.json"))
        summary = zipped.read("summary.html").decode()
    held = set()
    for table, rows in data["tables"].items():
        pk = [c.name for c in SQLModel.metadata.tables[table].primary_key.columns]
        held |= {(table, ",".join(str(r[k]) for k in pk)) for r in rows}
    assert expected <= held
    text = json.dumps(data)
    assert "Hasina Ahmed" not in text and "Survey Hasina's flat" not in text
    assert "Leaflet printed" not in text, "an update that does not name her is not hers"
    assert "No follow-up for Hasina is recorded." in summary and "&lt;" not in NAME
    with sessions() as session:
        [audit] = session.exec(
            select(AuditEvent).where(AuditEvent.verb == "person.subject_access")
        ).all()
        assert audit.actor_name == "Ada Admin" and str(her_id) in audit.summary


def test_a_name_that_json_writes_escaped_is_found_in_json_columns(db_engine):
    """JSON columns store "Zoë" as "Zo\\u00eb": the search still finds the row."""
    sessions = session_factory(db_engine)
    her_id, case_id = hasina_world(sessions)
    with sessions() as session:
        zoe = Presenter(case_id=case_id, name="Zoë Ng_50%", seq=3)
        session.add(zoe)
        session.add(
            AuditEvent(
                at=utcnow(),
                actor_kind=ActorKind.system,
                actor_name="system",
                verb="presenter.noted",
                summary="A note",
                detail={"said_by": "Zoë Ng_50%"},
            )
        )
        session.commit()
        zoe_id = zoe.id
    with sessions() as session:
        archive = produce(session, PersonKind.presenter, zoe_id, ADMIN)
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        data = json.loads(zipped.read("data.json"))
    details = [row["detail"] for row in data["tables"].get("audit_event", [])]
    assert {"said_by": "Zoë Ng_50%"} in details

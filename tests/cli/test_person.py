"""``cvt person``, run as a real process against a real database: a subject access archive
written to a file, and an erasure while Temporal cannot be reached (the rows are erased; the
command says no workflow was told)."""

from __future__ import annotations

import json
import uuid
import zipfile

from sqlmodel import select

from models.audit import AuditEvent
from models.db import session_factory
from models.presenter import Presenter
from tests.cli.test_main import cvt
from tests.personal_data import EMAIL, NAME, hasina_world


def test_export_writes_her_archive_and_erase_leaves_a_pseudonym(engine, tmp_path):
    sessions = session_factory(engine)
    her_id, _ = hasina_world(sessions)
    target = tmp_path / "hasina.zip"

    done = cvt("person", "export", "presenter", str(her_id), "-o", str(target), engine=engine)
    assert done.returncode == 0, done.stderr
    assert f"Wrote {target}" in done.stdout
    with zipfile.ZipFile(target) as zipped:
        data = json.loads(zipped.read("data.json"))
    assert data["person"]["name"] == NAME and EMAIL in json.dumps(data)

    unknown = cvt("person", "export", "owner", str(uuid.uuid4()), engine=engine)
    assert unknown.returncode == 1 and "There is no owner" in unknown.stderr
    wrong = cvt("person", "export", "resident", str(her_id), engine=engine)
    assert wrong.returncode == 2 and "give presenter or owner" in wrong.stderr

    erased = cvt("person", "erase", str(her_id), "--as", "Ada Admin", engine=engine)
    assert erased.returncode == 0, erased.stderr
    assert "Erased: now Presenter 1, May 2024." in erased.stdout
    assert "0 open workflow(s) told" in erased.stdout
    assert "2 open workflow(s) could not be reached" in erased.stderr
    with sessions() as session:
        presenter = session.get(Presenter, her_id)
        assert presenter is not None and presenter.name == "Presenter 1, May 2024"
        verbs = {e.verb: e.actor_name for e in session.exec(select(AuditEvent)).all()}
        assert verbs["presenter.erased"] == "Ada Admin"
        assert verbs["person.subject_access"].endswith("(command line)")

"""CSV exports never hold a formula a spreadsheet would run (OWASP: a leading apostrophe),
and an import takes it away again: the log round-trips exactly."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

from log_helpers import make_record

from pose_coach.log.store import log_db_path, open_log

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "'quoted", "=1"]


def test_csv_export_neutralises_formulas_and_import_restores_them(cli, tmp_path, monkeypatch):
    with open_log() as log:
        log.add(
            [
                make_record(f"2024-03-0{n + 1}T07:00:00+00:00", title=title, entry_id="fall")
                for n, title in enumerate(FORMULAS)
            ]
        )
    conn = sqlite3.connect(log_db_path())
    conn.execute("UPDATE sessions SET entry_id = '=cmd|calc' WHERE title = '=1'")  # an id too
    conn.execute("UPDATE sessions SET title = '\tx' WHERE title = '+1+2'")  # tab, OWASP's list
    conn.commit()
    conn.close()
    result = cli("log", "export", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for row in rows:
        for field, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (field, cell)
    assert {row["title"] for row in rows} >= {'\'=HYPERLINK("http://x","y")', "''quoted"}
    exported = tmp_path / "log.csv"
    exported.write_text(result.stdout)
    monkeypatch.setenv("POSE_COACH_HOME", str(tmp_path / "other"))
    imported = cli("log", "import", str(exported))
    assert imported.exit_code == 1  # the tab is refused on import (control character)
    rows = [row for row in rows if row["title"] != "'\tx"]
    with exported.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    imported = cli("log", "import", str(exported))
    assert imported.exit_code == 0, imported.stderr
    back = {r["title"]: r["id"] for r in json.loads(cli("log", "--json", "--limit", "0").stdout)}
    assert set(back) == set(FORMULAS) - {"+1+2"}  # each exactly as it was
    assert back["=1"] == "=cmd|calc"

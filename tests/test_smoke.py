import json


def test_list_json_has_builtin_drills(cli):
    result = cli("list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    ids = {r["id"] for r in rows}
    assert {"pose", "fall", "pull"} <= ids
    assert all(r["source"] == "builtin" for r in rows)


def test_drill_json_stream_fast(cli):
    result = cli("drill", "fall", "--json", "--speed", "1000", "--lead-in", "0")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["event"] == "session_start"
    assert lines[-1] == {"event": "session_end", "at": lines[-1]["at"], "completed": True}

"""What CI reads: SARIF (validated against the official 2.1.0 schema), GitHub workflow
commands, GitLab Code Quality, --output-file, baselines and the GitHub Action's run step."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, shared_examples

SCHEMA = shared_examples().parent / "schemas" / "sarif-schema-2.1.0.json"
WHOLE_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{32}(?:[0-9A-Fa-f]{32})?(?![0-9A-Za-z])")
BAD = ('import requests, os\nT = os.environ["REDCAP_API_TOKEN"]\nfor i in range(3):\n'
       '    requests.post("https://redcap.example.edu/api/", data={"token": T, "content": "record"})\n')


def run(*args, cwd=None, env=None):
    full = {k: v for k, v in os.environ.items() if k != "REDCAPLINT_OUTPUT_FORMAT"}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "redcaplint", *args], capture_output=True, text=True,
                          cwd=cwd, env=full)


def sarif_of(*paths, extra=(), cwd=None):
    out = run("check", "--isolated", "--output-format", "sarif", *extra, *map(str, paths), cwd=cwd)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout), out.stdout


def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} is absent: SARIF is not validated against the schema in this run")
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text()))


def test_sarif_of_every_fixture_and_example_validates_and_holds_no_token():
    validator = _validator()
    roots = [ROOT / "fixtures"] + ([shared_examples()] if shared_examples().is_dir() else [])
    doc, text = sarif_of(*roots, extra=("--select", "ALL", "--show-suppressed"))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, errors[0].message
    assert not WHOLE_TOKEN.search(text.replace(r"\u2026", "…"))
    run_ = doc["runs"][0]
    results = run_["results"]
    assert len(results) > 100
    rules = run_["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"RC101", "RC201", "RC303"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]["redcaplint/v1"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
    assert any("fixes" in r for r in results) and any("suppressions" in r for r in results)
    assert any(r.get("properties", {}).get("cell") for r in results)  # notebooks name their cell
    security = {r["id"]: r["properties"].get("security-severity") for r in rules}
    assert security["RC101"] and security["RC201"] is None


def test_sarif_fix_is_a_replacement_at_the_right_place(tmp_path):
    (tmp_path / "a.py").write_text('import requests\nrequests.post(U, data={"token": T, "content": "version"}, '
                                   'timeout=5, verify=False)\n')
    doc, _ = sarif_of("a.py", cwd=tmp_path)
    [result] = doc["runs"][0]["results"]
    change = result["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"] == {"uri": "a.py", "uriBaseId": "%SRCROOT%"}
    rep = change["replacements"][0]
    assert rep["insertedContent"]["text"] == "True"
    assert rep["deletedRegion"]["startLine"] == 2
    line = (tmp_path / "a.py").read_text().splitlines()[1]
    start, end = rep["deletedRegion"]["startColumn"], rep["deletedRegion"]["endColumn"]
    assert line[start - 1:end - 1] == "False"


def test_fingerprints_survive_moving_lines(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    before, _ = sarif_of("a.py", cwd=tmp_path)
    (tmp_path / "a.py").write_text("\n" * 10 + BAD)
    after, _ = sarif_of("a.py", cwd=tmp_path)
    fps = lambda d: sorted(r["partialFingerprints"]["redcaplint/v1"] for r in d["runs"][0]["results"])  # noqa: E731
    assert fps(before) == fps(after) and len(fps(before)) >= 2
    lines = lambda d: {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in d["runs"][0]["results"]}  # noqa: E731
    assert lines(after) == {n + 10 for n in lines(before)}


def test_too_many_results_for_github_is_an_error(monkeypatch, tmp_path):
    from redcaplint.output import sarif

    monkeypatch.setattr(sarif, "GITHUB_MAX_RESULTS", 1)
    with pytest.raises(sarif.TooManyResults):
        sarif.document([object(), object()])


def test_github_workflow_commands(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    out = run("check", "--isolated", "--output-format", "github", "a.py", cwd=tmp_path)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert any(re.fullmatch(r"::error file=a\.py,line=4,col=5,endLine=\d+,endColumn=\d+,"
                            r"title=RC201 loop-without-sleep::REDCap API call in a loop.*", ln) for ln in lines), lines
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)


def test_gitlab_code_quality(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    out = run("check", "--isolated", "--output-format", "gitlab", "a.py", cwd=tmp_path)
    report = json.loads(out.stdout)
    assert report and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(r) for r in report)
    assert {r["severity"] for r in report} <= {"info", "minor", "major", "critical", "blocker"}
    assert all(r["location"]["path"] == "a.py" and r["location"]["lines"]["begin"] >= 1 for r in report)
    assert len({r["fingerprint"] for r in report}) == len(report)


def test_output_file_is_written_whole_and_stdout_keeps_only_the_summary(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    out = run("check", "--isolated", "--output-format", "json", "-o", "report.json", "a.py", cwd=tmp_path)
    assert out.returncode == 1 and out.stdout.splitlines() == ["Found 4 findings in 1 file."]
    assert json.loads((tmp_path / "report.json").read_text())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".redcaplint-")]
    bad = run("check", "--isolated", "-o", str(tmp_path / "missing" / "r.json"), "a.py", cwd=tmp_path)
    assert bad.returncode == 2 and "cannot write" in bad.stderr


def test_baseline_reports_only_new_findings(tmp_path):
    src = shared_examples() if shared_examples().is_dir() else ROOT / "fixtures"
    work = tmp_path / "repo"
    shutil.copytree(src, work)
    wrote = run("check", "--isolated", "--write-baseline", "base.json", ".", cwd=work)
    assert wrote.returncode == 0, wrote.stderr
    assert not WHOLE_TOKEN.search((work / "base.json").read_text())
    again = run("check", "--isolated", "-q", "--output-format", "concise", "--baseline", "base.json", ".", cwd=work)
    assert again.returncode == 0 and again.stdout == "" and "matched the baseline" in again.stderr
    # every line of every file moved down by ten: nothing new
    for path in work.rglob("*.py"):
        path.write_text("\n" * 10 + path.read_text())
    moved = run("check", "--isolated", "-q", "--output-format", "concise", "--baseline", "base.json", ".", cwd=work)
    assert moved.returncode == 0 and moved.stdout == "", moved.stdout
    # one new bad line: exactly that one
    target = next(work.rglob("*.py"))
    target.write_text(target.read_text() + 'SECRET_TOKEN = "F00DF00DF00DF00DF00DF00DF00DF00D"\n')
    new = run("check", "--isolated", "-q", "--output-format", "concise", "--baseline", "base.json", ".", cwd=work)
    assert new.returncode == 1 and len(new.stdout.splitlines()) == 1 and "RC101" in new.stdout


@pytest.mark.parametrize("content", ["", "{", "[]", '{"format": "other", "findings": []}',
                                     '{"format": "redcaplint-baseline", "version": 99, "findings": []}'])
def test_corrupt_or_foreign_baseline_is_exit_2(tmp_path, content):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.json").write_text(content)
    out = run("check", "--isolated", "--baseline", "b.json", "a.py", cwd=tmp_path)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and "baseline" in out.stderr


@pytest.mark.parametrize("fail,status", [("true", 1), ("false", 0)])
def test_github_action_run_step(tmp_path, fail, status):
    yaml = pytest.importorskip("yaml")
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "args", "sarif-file", "fail-on-findings"}
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "lint")
    inputs = {"paths": "scripts", "args": "--isolated", "sarif-file": "out.sarif", "fail-on-findings": fail}
    env = dict(os.environ)
    for key, value in step["env"].items():  # what the runner substitutes for ${{ inputs.x }}
        name = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value).group(1)
        env[key] = inputs[name]
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "a.py").write_text(BAD)
    env["GITHUB_OUTPUT"] = str(tmp_path / "github_output")
    env["GITHUB_ACTION_PATH"] = str(ROOT)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    script = step["run"].replace("python3 ", f"{sys.executable} ")
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == status, done.stderr
    assert "::error file=scripts/a.py" in done.stdout
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert sarif["runs"][0]["results"]
    assert "sarif-file=out.sarif" in (tmp_path / "github_output").read_text()
    if SCHEMA.is_file():
        _validator().validate(sarif)


def test_junit_one_case_per_file_one_failure_per_finding(tmp_path):
    from xml.etree import ElementTree as ET

    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "clean.py").write_text("x = 1\n")
    out = run("check", "--isolated", "--output-format", "junit", ".", cwd=tmp_path)
    assert out.returncode == 1
    suite = ET.fromstring(out.stdout).find("testsuite")
    cases = {c.get("name"): c.findall("failure") for c in suite.findall("testcase")}
    assert set(cases) == {"bad.py", "clean.py"} and cases["clean.py"] == []
    assert {f.get("type") for f in cases["bad.py"]} >= {"RC201", "RC501"}
    assert suite.get("tests") == "2" and suite.get("failures") == "1"

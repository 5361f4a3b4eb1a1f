"""The CI formats, each checked against what its consumer reads: SARIF against the published
2.1.0 schema, GitHub workflow-command syntax, GitLab Code Quality fields, JUnit against the Jenkins xunit-plugin's junit-10.xsd."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from gate_support import JUNIT_XSD, SARIF_SCHEMA, column_of, make_site, run
from hypothesis import given
from hypothesis import strategies as st

from lint.findings import Finding, Severity
from lint.report import FORMATS, github

CLAIMS = (
    "# Treatments\n\n"
    "🙂 Our therapy cures diabetes. A miracle!\n\n"
    "<!-- clinic-lint: disable-next-line demo/miracle -- the patient's own words, quoted -->\n"
    "She called it a miracle.\n"
)
CLEAN = "# About\n\nWe are open from nine to five.\n"
JUNIT_SCHEMA = xmlschema.XMLSchema(JUNIT_XSD)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {"pages/claims.md": CLAIMS, "pages/about.md": CLEAN})


def _sarif(site: Path) -> dict:
    done = run(site, "check", "pages", "--format", "sarif")
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)


def test_sarif_validates_against_the_published_schema(site: Path) -> None:
    document = _sarif(site)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0]


def test_sarif_has_what_code_scanning_uses(site: Path) -> None:
    run_ = _sarif(site)["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    cure = rules["demo/cure"]
    assert cure["shortDescription"]["text"] and cure["fullDescription"]["text"]
    assert "Test reference, s. 1" in cure["help"]["text"]  # references
    assert "experimental" in cure["help"]["markdown"]  # the suggestion
    results = [r for r in run_["results"] if "suppressions" not in r]
    cure_result = next(r for r in results if r["ruleId"] == "demo/cure")
    location = cure_result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "pages/claims.md", "uriBaseId": "SRCROOT"}
    line, column = column_of(CLAIMS, "cures diabetes")  # after an emoji: code points, not UTF-16
    assert location["region"] == {
        "startLine": line,
        "startColumn": column,
        "endLine": line,
        "endColumn": column + len("cures diabetes"),
    }
    assert cure_result["level"] == "error"
    assert run_["tool"]["driver"]["rules"][cure_result["ruleIndex"]]["id"] == "demo/cure"


def test_sarif_keeps_suppressed_findings_with_their_justification(site: Path) -> None:
    results = _sarif(site)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["ruleId"] == "demo/miracle"
    assert suppressed[0]["suppressions"] == [
        {"kind": "inSource", "justification": "the patient's own words, quoted"}
    ]
    line, _ = column_of(CLAIMS, "She called it")
    assert suppressed[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == line


def test_sarif_fingerprints_are_stable_and_survive_an_edit_elsewhere(site: Path) -> None:
    def prints() -> dict[str, str]:
        results = _sarif(site)["runs"][0]["results"]
        return {r["message"]["text"]: r["partialFingerprints"]["clinicLint/v2"] for r in results}

    first = prints()
    assert first == prints()
    page = site / "pages" / "claims.md"
    page.write_text("# A new heading\n\nSome new text first.\n\n" + CLAIMS, encoding="utf-8")
    assert prints() == first
    assert len(set(first.values())) == len(first)


def test_github_annotations(site: Path) -> None:
    done = run(site, "check", "pages", "--format", "github")
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert len(lines) == 2  # the cure and the unsuppressed miracle; nothing for the clean page
    cure = next(line for line in lines if "demo/cure" in line)
    line, column = column_of(CLAIMS, "cures diabetes")
    assert cure.startswith(
        f"::error file=pages/claims.md,line={line},col={column},"
        f"endColumn={column + len('cures diabetes')},title=demo/cure (cure-claim)::"
    )
    assert "%0ASuggestion: " in cure and "\n" not in cure
    assert any(line.startswith("::warning ") and "demo/miracle" in line for line in lines)


def test_github_is_the_default_in_github_actions(site: Path) -> None:
    done = run(site, "check", "pages", env={"GITHUB_ACTIONS": "true"})
    assert done.stdout.startswith("::error file=")
    chosen = run(site, "check", "pages", "--format", "concise", env={"GITHUB_ACTIONS": "true"})
    assert chosen.stdout.startswith("pages/claims.md:")


@pytest.mark.parametrize(
    ("path", "message", "expected"),
    [
        ("a,b:c.md", "50% off\r\nnow", "::warning file=a%2Cb%3Ac.md,line=1,col=1,endColumn=3,"),
        ("plain.md", "100% safe", "::warning file=plain.md,line=1,col=1,endColumn=3,"),
    ],
)
def test_github_escaping(path: str, message: str, expected: str) -> None:
    finding = Finding(path, 1, 1, 1, 3, "x/y", "hype", Severity.WARNING, message, "ab")
    line = github.annotation(finding)
    assert line.startswith(expected)
    assert line.endswith(
        "::" + message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A") + "\n"
    )
    assert line.count("\n") == 1


def test_gitlab_code_quality(tmp_path: Path) -> None:
    twice = "Our therapy cures diabetes.\n\nOur therapy cures diabetes.\n"
    site = make_site(tmp_path, {"a.md": twice, "b.md": twice})
    done = run(site, "check", ".", "--format", "gitlab")
    issues = json.loads(done.stdout)
    assert len(issues) == 4
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)  # the same sentence twice, in two files: four ids
    for issue in issues:
        assert issue["check_name"] == "demo/cure"
        assert issue["severity"] == "critical"
        assert issue["description"].startswith("'cures diabetes' promises a cure.")
        assert issue["location"]["path"] in ("a.md", "b.md")
        assert issue["location"]["lines"]["begin"] in (1, 3)
    again = json.loads(run(site, "check", ".", "--format", "gitlab").stdout)
    assert [i["fingerprint"] for i in again] == prints


def test_gitlab_paths_are_relative_to_the_project(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project", {"web/a.md": "It cures asthma.\n"})
    done = run(site / "web", "check", ".", "--format", "gitlab", env={"CI_PROJECT_DIR": str(site)})
    assert [i["location"]["path"] for i in json.loads(done.stdout)] == ["web/a.md"]


def _junit(site: Path, *args: str) -> ET.Element:
    done = run(site, "check", "pages", "--format", "junit", *args)
    assert done.returncode in (0, 1), done.stderr
    JUNIT_SCHEMA.validate(done.stdout)  # what Jenkins' xunit plugin accepts (GitLab reads less)
    return ET.fromstring(done.stdout)


def _cases(root: ET.Element) -> dict[str, str]:
    """(classname, name) of every case -> 'failure', 'error' or 'passed'."""
    out = {}
    for case in root.iter("testcase"):
        kind = next((k for k in ("failure", "error") if case.find(k) is not None), "passed")
        out[f"{case.get('classname')} {case.get('name')}"] = kind
    return out


def test_junit_one_case_per_finding_named_by_rule_and_line(site: Path) -> None:
    root = _junit(site)
    line, column = column_of(CLAIMS, "cures")
    m_line, m_column = column_of(CLAIMS, "miracle")
    assert _cases(root) == {
        "pages/about.md no findings": "passed",
        f"pages/claims.md demo/cure:{line}:{column}": "failure",
        f"pages/claims.md demo/miracle:{m_line}:{m_column}": "passed",  # a warning
    }
    assert root.attrib == {"name": "clinic-lint", "tests": "3", "failures": "1", "errors": "0"}
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["pages/claims.md"].get("tests") == "2"
    assert suites["pages/claims.md"].get("failures") == "1"


def test_junit_failures_are_the_findings_at_or_above_fail_on(site: Path) -> None:
    # demo/miracle is a warning: a passing case that says what it found
    (site / "pages" / "warned.md").write_text("A miracle.\n", encoding="utf-8")
    root = _junit(site)
    cases = _cases(root)
    assert [v for k, v in cases.items() if k.startswith("pages/warned.md")] == ["passed"]
    warned = next(s for s in root.iter("testsuite") if s.get("name") == "pages/warned.md")
    assert warned.get("failures") == "0"
    out = warned.find("testcase/system-out")
    assert out is not None and "warning [demo/miracle]" in (out.text or "")
    assert root.get("failures") == "1" and root.get("tests") == "4"
    lowered = _junit(site, "--fail-on", "warning")
    assert lowered.get("failures") == "3" and lowered.get("tests") == "4"
    assert all(
        int(s.get("failures", 0)) <= int(s.get("tests", 0)) for s in lowered.iter("testsuite")
    )


def test_junit_schema_check_is_live() -> None:
    # the old layout (several failures in one case, with a 'file' attribute) is refused
    old = (
        '<testsuites name="x" tests="1" failures="2" errors="0"><testsuite name="x" tests="1" '
        'failures="2" errors="0"><testcase classname="c" name="a.md" file="a.md">'
        '<failure type="r" message="m"/><failure type="r" message="m"/></testcase>'
        "</testsuite></testsuites>"
    )
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        JUNIT_SCHEMA.validate(old)


def test_several_reports_in_one_run(site: Path) -> None:
    (site / "out").mkdir()
    done = run(
        site,
        "check",
        "pages",
        "--format",
        "concise",
        "--output-format",
        "sarif=out/results.sarif",
        "-o",
        "junit=out/junit.xml",
        "-o",
        "json=out/findings.json",
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith("pages/claims.md:")
    assert json.loads((site / "out/results.sarif").read_text())["version"] == "2.1.0"
    ET.parse(site / "out/junit.xml")
    data = json.loads((site / "out/findings.json").read_text())
    assert [f["rule"] for f in data["findings"]] == ["demo/cure", "demo/miracle"]
    assert (
        data["suppressed"][0]["suppression"]["justification"] == "the patient's own words, quoted"
    )
    assert sorted(p.name for p in (site / "out").iterdir()) == [
        "findings.json",
        "junit.xml",
        "results.sarif",
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("sarif", "expected FORMAT=FILE"),
        ("yaml=out.yaml", "unknown format 'yaml'"),
        ("sarif=missing/folder/out.sarif", "does not exist"),
    ],
)
def test_bad_output_specs_are_one_line_errors(site: Path, spec: str, message: str) -> None:
    done = run(site, "check", "pages", "-o", spec)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("clinic-lint: error: ")
    assert message in done.stderr
    assert done.stdout == ""


def test_every_format_is_registered_and_renders_an_empty_report() -> None:
    import io

    from lint.report import Report, formatter

    for name in FORMATS:
        stream = io.StringIO()
        formatter(name)(Report([]), stream)
        if name in ("json", "sarif", "gitlab"):
            json.loads(stream.getvalue())
        elif name == "junit":
            ET.fromstring(stream.getvalue())


def test_paths_are_relative_to_the_github_workspace(site: Path) -> None:
    inside = site / "pages"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(site)}
    annotations = run(inside, "check", "claims.md", env=env).stdout
    assert annotations.startswith("::error file=pages/claims.md,")
    sarif = json.loads(run(inside, "check", "claims.md", "-f", "sarif", env=env).stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"pages/claims.md"}


def test_files_that_cannot_be_read_are_in_every_machine_format(site: Path) -> None:
    (site / "pages" / "broken.md").write_bytes(b"It cures \xff\xfe diabetes.\n")
    sarif = json.loads(run(site, "check", "pages", "-f", "sarif").stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert "broken.md" in note["message"]["text"] and note["level"] == "error"
    done = run(site, "check", "pages", "-f", "junit")
    assert done.returncode == 2
    JUNIT_SCHEMA.validate(done.stdout)
    root = ET.fromstring(done.stdout)
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "pages/broken.md")
    assert suite.find("testcase/error") is not None and suite.get("errors") == "1"
    assert root.get("errors") == "1"


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.text(), st.integers(), st.booleans(), st.none()),
        max_size=6,
    ),
    st.integers(min_value=0, max_value=3),
)
def test_json_text_lays_out_flat_objects_as_json_dump(value: dict[str, object], depth: int) -> None:
    from lint.report import json_text

    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)
    assert json_text(value, depth) == expected

"""Configuration files: discovery (nearest wins), every key, located errors, --config,
--isolated, --show-config, command-line precedence, and `clinic-lint init`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from gate_support import DEMO_CONFIG, DEMO_RULES, make_site, run

from lint.config import (
    STARTER,
    ConfigError,
    Settings,
    find_config,
    glob_matches,
    load_file,
    resolve,
)
from lint.findings import Severity

PYPROJECT = f"""[project]
name = "site"

[tool.clinic-lint]
packs = []
rules = ['{DEMO_RULES.as_posix()}']
fail-on = "warning"
"""


def rules_in(done_stdout: str) -> list[str]:
    return [f["rule"] for f in json.loads(done_stdout)["findings"]]


# -- discovery -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "start", "expected"),
    [
        ({".clinic-lint.yaml": "packs: [core]\n"}, "a/b", ".clinic-lint.yaml"),
        ({"pyproject.toml": PYPROJECT}, "a", "pyproject.toml"),
        # a pyproject.toml without the table is not a clinic-lint configuration
        (
            {".clinic-lint.yaml": "packs: [core]\n", "a/pyproject.toml": "[project]\nname='x'\n"},
            "a",
            ".clinic-lint.yaml",
        ),
        # nearest wins
        (
            {".clinic-lint.yaml": "packs: [core]\n", "a/pyproject.toml": PYPROJECT},
            "a/b",
            "a/pyproject.toml",
        ),
        # in one folder, .clinic-lint.yaml before pyproject.toml
        (
            {"a/.clinic-lint.yaml": "packs: [core]\n", "a/pyproject.toml": PYPROJECT},
            "a",
            "a/.clinic-lint.yaml",
        ),
        ({".clinic-lint.yml": "packs: [core]\n"}, "a", ".clinic-lint.yml"),
    ],
)
def test_discovery(tmp_path: Path, files: dict[str, str], start: str, expected: str) -> None:
    make_site(tmp_path, files, config=None)
    (tmp_path / start).mkdir(parents=True, exist_ok=True)
    assert find_config(tmp_path / start) == tmp_path / expected


def test_discovery_starts_from_the_linted_files(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"pages/a.md": "A miracle.\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run(elsewhere, "check", str(site / "pages" / "a.md"), "--format", "json")
    assert rules_in(done.stdout) == ["demo/miracle"]  # only the demo pack: the site's file was used


def test_pyproject_table(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"pyproject.toml": PYPROJECT, "a.md": "A miracle.\n"}, config=None)
    done = run(site, "check", "a.md", "--format", "json")
    assert rules_in(done.stdout) == ["demo/miracle"]
    assert done.returncode == 1  # fail-on: warning


def test_isolated_and_explicit_config(tmp_path: Path) -> None:
    site = make_site(
        tmp_path, {"a.md": "A miracle.\n", "strict.yaml": DEMO_CONFIG + "fail-on: info\n"}
    )
    (site / ".clinic-lint.yaml").write_text(DEMO_CONFIG + "ignore: [hype]\n", encoding="utf-8")
    assert rules_in(run(site, "check", "a.md", "-f", "json").stdout) == []
    assert rules_in(run(site, "check", "a.md", "-f", "json", "--config", "strict.yaml").stdout) == [
        "demo/miracle"
    ]
    isolated = run(site, "check", "a.md", "-f", "json", "--isolated")
    assert isolated.returncode in (0, 1) and "demo/" not in isolated.stdout  # shipped packs only
    missing = run(site, "check", "a.md", "--config", "nope.yaml")
    assert missing.returncode == 2 and "nope.yaml: configuration file not found" in missing.stderr


def test_command_line_overrides_the_file(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"a.md": "A miracle.\n"}, config=DEMO_CONFIG + "fail-on: warning\n")
    assert run(site, "check", "a.md").returncode == 1
    assert run(site, "check", "a.md", "--fail-on", "error").returncode == 0
    assert (
        rules_in(run(site, "check", "a.md", "-f", "json", "--ignore", "demo/miracle").stdout) == []
    )


# -- the keys --------------------------------------------------------------------------------


def test_select_ignore_and_severity(tmp_path: Path) -> None:
    page = "It cures diabetes. A miracle. The best clinic in town.\n"
    site = make_site(
        tmp_path,
        {"a.md": page},
        config=DEMO_CONFIG
        + "ignore: [superlative]\nseverity:\n  demo/cure: warning\n  hype: info\n",
    )
    data = json.loads(run(site, "check", "a.md", "-f", "json").stdout)
    assert {f["rule"]: f["severity"] for f in data["findings"]} == {
        "demo/cure": "warning",
        "demo/miracle": "info",
    }


def test_include_exclude_and_per_file_ignores(tmp_path: Path) -> None:
    claim = "It cures diabetes. A miracle.\n"
    config = DEMO_CONFIG + (
        "include: ['site/**']\n"
        "exclude: [drafts, 'site/vendor/']\n"
        "per-file-ignores:\n  'site/blog/**': [demo/cure]\n  '*.txt': [hype]\n"
    )
    root = make_site(
        tmp_path,
        {
            "site/a.md": claim,
            "site/notes.txt": claim,
            "site/blog/2020/post.md": claim,
            "site/drafts/x.md": claim,
            "site/vendor/lib.md": claim,
            "outside.md": claim,
        },
        config=config,
    )
    data = json.loads(run(root, "check", ".", "-f", "json").stdout)
    found = sorted(
        (Path(f["path"]).as_posix().removeprefix("./"), f["rule"]) for f in data["findings"]
    )
    assert found == [
        ("site/a.md", "demo/cure"),
        ("site/a.md", "demo/miracle"),
        ("site/blog/2020/post.md", "demo/miracle"),
        ("site/notes.txt", "demo/cure"),
    ]


def test_vocabulary_of_allowed_names(tmp_path: Path) -> None:
    page = "Welcome to Miracle   Life Clinic.\n\nA miracle for your knees.\n"
    root = make_site(
        tmp_path,
        {"a.md": page, "names.txt": "# our names\nMiracle Life Clinic\n\n"},
        config=DEMO_CONFIG + "vocabulary: names.txt\n",
    )
    data = json.loads(run(root, "check", "a.md", "-f", "json").stdout)
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("demo/miracle", 3)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("packs: []\nmesage: x\n", ".clinic-lint.yaml:2: unknown key 'mesage'"),
        (
            "packs: []\nfail_on: warning\n",
            ".clinic-lint.yaml:2: unknown key 'fail_on' — did you mean 'fail-on'?",
        ),
        ("packs: []\nselcet: [core]\n", "did you mean 'select'?"),
        (
            "fail-on: fatal\n",
            ".clinic-lint.yaml:1: 'fail-on' must be one of error, warning, info, not 'fatal'",
        ),
        (
            "severity:\n  demo/cure: warn\n",
            ".clinic-lint.yaml:2: 'demo/cure' must be one of error, warning, info",
        ),
        ("severity: [a]\n", ".clinic-lint.yaml:1: 'severity' must be a mapping"),
        ("packs: 3\n", ".clinic-lint.yaml:1: 'packs' must be a string or a list of strings"),
        ("rules: [missing]\n", ".clinic-lint.yaml:1: 'rules': missing not found"),
        ("vocabulary: names.txt\n", ".clinic-lint.yaml:1: 'vocabulary': names.txt not found"),
        ("packs: [core\n", ".clinic-lint.yaml:2: invalid YAML"),
        ("- a\n- b\n", ".clinic-lint.yaml:1: the configuration must be a mapping"),
        (
            DEMO_CONFIG + "\nselect: [demo/curre]\n",
            ".clinic-lint.yaml:4: select 'demo/curre' matches no rule id, pack or category — did you mean 'demo/cure'?",
        ),
        (DEMO_CONFIG + "ignore: [hyp]\n", ".clinic-lint.yaml:3: ignore 'hyp' matches no rule"),
        (
            DEMO_CONFIG + "per-file-ignores:\n  'x/**': [demo/nope]\n",
            ".clinic-lint.yaml:3: per-file-ignores 'demo/nope'",
        ),
        ("packs: [kp]\n", "unknown rule pack 'kp'"),
    ],
)
def test_configuration_errors_are_one_located_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    site = make_site(tmp_path, {"a.md": "Hello.\n"}, config=text)
    done = run(site, "check", "a.md")
    assert done.returncode == 2, done.stdout
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("clinic-lint: error: "), done.stderr
    assert expected in lines[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[tool.clinic-lint]\npacks = []\nfial-on = "error"\n',
            "pyproject.toml:3: unknown key 'fial-on' — did you mean 'fail-on'?",
        ),
        (
            '[tool.clinic-lint]\npacks = "core"\n\n[tool.clinic-lint.severity]\n"demo/cure" = "loud"\n',
            "pyproject.toml:5: 'demo/cure' must be one of",
        ),
        ("[tool.clinic-lint]\npacks = [\n", "pyproject.toml:"),
    ],
)
def test_pyproject_errors_are_located(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_file(path)


def test_paths_are_relative_to_the_configuration_file(tmp_path: Path) -> None:
    (tmp_path / "conf" / "myrules").mkdir(parents=True)
    (tmp_path / "conf" / ".clinic-lint.yaml").write_text("rules: [myrules]\n", encoding="utf-8")
    settings = resolve([str(tmp_path / "conf")])
    assert settings.extra_rules == (tmp_path / "conf" / "myrules",)
    assert settings.source == tmp_path / "conf" / ".clinic-lint.yaml"


def test_show_config(tmp_path: Path) -> None:
    site = make_site(
        tmp_path, {"a.md": "x\n"}, config=DEMO_CONFIG + "select: [demo]\nseverity: {hype: info}\n"
    )
    done = run(site, "check", ".", "--show-config", "--fail-on", "info")
    assert done.returncode == 0
    assert done.stdout.startswith("# configuration file: ")
    shown = yaml.safe_load(done.stdout)
    assert shown["packs"] == [] and shown["select"] == ["demo"]
    assert shown["severity"] == {"hype": "info"}
    assert shown["fail-on"] == "info"  # the command line wins
    assert shown["rules"] == [str(DEMO_RULES)]


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("drafts", "drafts/a.md", True),
        ("drafts", "site/drafts/a.md", True),
        ("drafts", "site/drafts-old/a.md", False),
        ("*.txt", "a/b/c.txt", True),
        ("site/*.md", "site/a.md", True),
        ("site/*.md", "site/x/a.md", False),
        ("site/**/*.md", "site/x/y/a.md", True),
        ("site/**/*.md", "site/a.md", True),
        ("/site", "site/a.md", True),
        ("/site", "x/site/a.md", False),
        ("vendor/", "vendor/lib/a.md", True),
    ],
)
def test_glob_semantics(glob: str, path: str, matches: bool) -> None:
    assert glob_matches(glob, path) is matches


def test_init_writes_a_starter_that_loads_and_never_overwrites(tmp_path: Path) -> None:
    done = run(tmp_path, "init")
    assert done.returncode == 0
    written = tmp_path / ".clinic-lint.yaml"
    assert written.read_text(encoding="utf-8") == STARTER
    settings = load_file(written)
    assert settings.packs == ("core", "pk") and settings.fail_on is Severity.ERROR
    assert sum(line.lstrip().startswith("#") for line in STARTER.splitlines()) > 10  # commented
    written.write_text("packs: [us]\n", encoding="utf-8")
    again = run(tmp_path, "init")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert written.read_text(encoding="utf-8") == "packs: [us]\n"


def test_merged_keeps_file_values_the_command_line_does_not_set() -> None:
    base = Settings(packs=(), select=("demo",), fail_on=Severity.WARNING)
    merged = base.merged(select=("hype",), fail_on=None)
    assert merged.select == ("hype",) and merged.fail_on is Severity.WARNING and merged.packs == ()


def test_the_readme_configuration_examples_load(tmp_path: Path) -> None:
    """The configuration reference in the README is real: both examples load and select rules."""
    import re

    from lint import api

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Configuration") : readme.index("### Suppressions")]
    yaml_block = re.search(r"```yaml\n(.*?)```", section, re.S)
    toml_block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert yaml_block and toml_block
    (tmp_path / "lint-rules").mkdir()
    (tmp_path / "allowed-terms.txt").write_text("Miracle Life Clinic\n", encoding="utf-8")
    for name, text in (
        (".clinic-lint.yaml", yaml_block.group(1)),
        ("pyproject.toml", toml_block.group(1)),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        settings = load_file(path)
        assert settings.source == path
        assert len(api.load_rules(settings)) > 0


def test_odd_files_give_one_line_not_a_traceback(tmp_path: Path) -> None:
    site = make_site(tmp_path / "a", {"a.md": "Hello.\n"}, config=None)
    (site / ".clinic-lint.yaml").write_bytes(b"\xff\xfepacks: []\n")
    done = run(site, "check", "a.md")
    assert (done.returncode, done.stderr) == (
        2,
        "clinic-lint: error: .clinic-lint.yaml:1: not UTF-8 text (byte 0)\n",
    )
    # a pyproject.toml that mentions the table in a comment and uses 'tool' for something else
    other = make_site(tmp_path / "b", {"a.md": "Hello.\n"}, config=None)
    (other / "pyproject.toml").write_text('tool = "x"\n# [tool.clinic-lint]\n', encoding="utf-8")
    done = run(other, "check", "a.md", "--show-config")
    assert done.returncode == 0 and done.stderr == ""


def test_a_parsed_configuration_is_cached_and_read_without_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from lint.config import load_file

    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    config = tmp_path / ".clinic-lint.yaml"
    config.write_text(
        "packs: [core]\nseverity:\n  hype: info\nfail-on: warning\n", encoding="utf-8"
    )
    first = load_file(config)
    stored = list((tmp_path / "cache").glob("config-*.marshal"))
    assert len(stored) == 1
    monkeypatch.setitem(sys.modules, "yaml", None)  # importing it now would raise
    again = load_file(config)
    assert again == first
    assert again.origin == first.origin  # lines for error messages survive the cache
    assert again.severity == {"hype": Severity.INFO}
    config.write_text("packs: [core]\nfail_on: warning\n", encoding="utf-8")  # new text: parsed
    monkeypatch.delitem(sys.modules, "yaml")
    with pytest.raises(ConfigError, match=r"\.clinic-lint\.yaml:2: unknown key 'fail_on'"):
        load_file(config)


def test_a_corrupt_configuration_cache_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lint.config import load_file

    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    config = tmp_path / ".clinic-lint.yaml"
    config.write_text("packs: [core]\nfail-on: warning\n", encoding="utf-8")
    first = load_file(config)
    (stored,) = (tmp_path / "cache").glob("config-*.marshal")
    for damaged in (stored.read_bytes()[:7], b"\xff\x00garbage", b""):
        stored.write_bytes(damaged)
        assert load_file(config) == first

"""CI workflows and the pre-commit hook: valid YAML, pinned actions on today's
runners (actionlint), the README's commands, and publishing that does not stop."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PYTHON, REPO, make_project

WORKFLOWS = REPO / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+$")


def load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow):
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(workflow) -> list[str]:
    """Every `python3 dev.py ...` line the workflow runs."""
    found = []
    for step in steps(workflow):
        for line in step.get("run", "").splitlines():
            line = line.strip()
            if line.startswith("python3 dev.py"):
                found.append(line)
    return found


def readme_commands() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return {" ".join(m.split()) for m in re.findall(r"python3 dev\.py [a-z][\w -]*?(?=`|\s{2}|\s*#|\n|$)", text)}


@pytest.fixture(scope="module")
def workflows():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert files, "no workflow in .github/workflows/"
    return {path.name: load(path) for path in files}


def by_trigger(workflows, trigger):
    return [w for w in workflows.values() if trigger in w["on"]]


def test_workflows_are_valid_and_pin_every_action(workflows):
    for name, workflow in workflows.items():
        assert workflow["name"] and workflow["jobs"], name
        for step in steps(workflow):
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{name}: {step['uses']} is not pinned to a full version tag"
            assert ("uses" in step) != ("run" in step), f"{name}: {step}"


def actionlint() -> str:
    """The pinned actionlint (test extra, installed with the rest by dev.py)."""
    found = Path(sys.executable).with_name("actionlint")
    found = str(found) if found.is_file() else shutil.which("actionlint")
    assert found, "actionlint is missing: it is pinned in requirements.lock (python3 dev.py test installs it)"
    return found


def run_actionlint(folder: Path) -> subprocess.CompletedProcess:
    # No ShellCheck or pyflakes: the verdict is the same on every machine.
    return subprocess.run([actionlint(), "-no-color", "-shellcheck=", "-pyflakes=",
                           *map(str, sorted(folder.glob("*.yml")))],
                          capture_output=True, text=True, cwd=REPO)


def test_actionlint_finds_nothing():
    run = run_actionlint(WORKFLOWS)
    assert run.returncode == 0 and run.stdout == "", run.stdout + run.stderr


def test_no_action_runs_on_a_retired_node(tmp_path):
    """actionlint knows the runtime of each major of the popular actions, by the
    major tag (actions/checkout@v4 is node20).  Ask it about each action's major."""
    copy = tmp_path / "majors"
    copy.mkdir()
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        (copy / path.name).write_text(re.sub(r"(uses: [\w.-]+/[\w.-]+@v\d+)(?:\.\d+)+", r"\1", text),
                                      encoding="utf-8")
    run = run_actionlint(copy)
    assert "@v" in "".join(p.read_text() for p in copy.glob("*.yml"))
    assert run.returncode == 0 and run.stdout == "", run.stdout + run.stderr


def test_actionlint_would_see_a_node20_action(tmp_path):
    """The check above can fail: a workflow on actions/checkout@v4 (node20) does."""
    (tmp_path / "old.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n",
        encoding="utf-8")
    run = run_actionlint(tmp_path)
    assert run.returncode == 1 and '"node20"' in run.stdout and "actions/checkout@v4" in run.stdout


def test_pip_is_cached_on_the_lock_file(workflows):
    for name, workflow in workflows.items():
        if not steps(workflow):  # calls another workflow
            continue
        setups = [s for s in steps(workflow) if s.get("uses", "").startswith("actions/setup-python@")]
        assert setups, name
        for setup in setups:
            assert setup["with"]["cache"] == "pip"
            assert setup["with"]["cache-dependency-path"] == "requirements.lock"
            assert (REPO / setup["with"]["cache-dependency-path"]).is_file()


def test_workflows_run_the_readme_commands(workflows):
    documented = readme_commands()
    assert {"python3 dev.py build", "python3 dev.py test"} <= documented
    for name, workflow in workflows.items():
        for command in commands(workflow):
            assert command in documented, f"{name} runs `{command}`, which README.md does not show"


def test_pull_requests_check_test_build_and_upload_a_preview(workflows):
    [pr] = by_trigger(workflows, "pull_request")
    run = commands(pr)
    assert run == ["python3 dev.py check --strict --format github", "python3 dev.py test",
                   "python3 dev.py bench --sizes 300", "python3 dev.py build --strict", "python3 dev.py build"]
    # The non-strict build runs only when the strict one failed, so that a
    # half-translated course still gets its preview; the upload follows either.
    strict = next(s for s in steps(pr) if s.get("run") == "python3 dev.py build --strict")
    anyway = next(s for s in steps(pr) if "python3 dev.py build\n" in s.get("run", ""))
    assert anyway["if"] == "${{ !cancelled() && steps.%s.outcome == 'failure' }}" % strict["id"]
    upload = [s for s in steps(pr) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"].rstrip("/") == "site"
    assert steps(pr).index(upload[0]) > steps(pr).index(anyway)
    assert "!cancelled()" in upload[0]["if"] and "site/index.html" in upload[0]["if"]


def test_main_is_published_with_the_official_pages_actions(workflows):
    [publish] = [w for w in by_trigger(workflows, "push") if w["on"]["push"]["branches"] == ["main"]]
    assert publish["permissions"]["pages"] == "write" and publish["permissions"]["id-token"] == "write"
    used = [s["uses"].split("@")[0] for s in steps(publish) if "uses" in s]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in used
    configure = next(s for s in steps(publish) if s.get("uses", "").startswith("actions/configure-pages@"))
    build = next(s for s in steps(publish) if s.get("run") == "python3 dev.py build --strict")
    assert build["env"]["SITE_URL"] == "${{ steps.%s.outputs.base_url }}/" % configure["id"]
    upload = next(s for s in steps(publish) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    deploy = publish["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages" and deploy["needs"] == "build"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_the_daily_rebuild_is_its_own_file_and_is_kept_on(workflows):
    """GitHub turns off a scheduled workflow after 60 days without activity, the
    whole file: the schedule is alone in daily.yml, which publishes through
    publish.yml, and each push to main turns it back on if that is why it is off."""
    [daily] = by_trigger(workflows, "schedule")
    assert set(daily["on"]) == {"schedule", "workflow_dispatch"}
    assert daily["jobs"] == {"publish": {"uses": "./.github/workflows/publish.yml"}}
    publish = workflows["publish.yml"]
    assert "workflow_call" in publish["on"] and "schedule" not in publish["on"]
    for permission in ("pages", "id-token", "actions"):
        assert daily["permissions"][permission] == publish["permissions"][permission] == "write"
    [daily_name] = [name for name, w in workflows.items() if w is daily]
    keep = next(s for s in steps(publish) if "/enable" in s.get("run", ""))
    assert keep["if"] == "${{ github.event_name == 'push' }}"
    assert f"actions/workflows/{daily_name}/enable" in keep["run"] and "disabled_inactivity" in keep["run"]


def test_the_check_command_ci_runs_works(tmp_path, workflows):
    """`python3 dev.py check ...` is `python -m site_builder check ...`: run it as CI would."""
    root = make_project(tmp_path / "p")
    broken = (root / "courses" / "laser-processing.yml")
    broken.write_text(broken.read_text(encoding="utf-8").replace("\nhours: 96\n", "\nhours: lots\n"),
                      encoding="utf-8")
    for command in {c for w in workflows.values() for c in commands(w) if " check" in c}:
        args = shlex.split(command)[3:]
        run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "check", *args],
                             capture_output=True, text=True)
        assert run.returncode == 1
        assert re.search(r"^::error file=courses/laser-processing\.yml,line=\d+,col=\d+::hours: \"lots\"",
                         run.stdout, re.M), run.stdout


def test_pre_commit_hook_checks_changed_course_files():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    check = hooks["check-courses"]
    assert check["entry"] == "python3 dev.py check" and check["entry"] in readme_commands()
    assert check["pass_filenames"] is True and check["language"] == "system"
    assert re.search(check["files"], "courses/photonics-technology.yml")
    assert not re.search(check["files"], "site_builder/schema.py")
    schema = hooks["editor-schema"]
    assert schema["entry"] == "python3 dev.py schema --check"
    assert re.search(schema["files"], "courses/_shared/categories.yml")

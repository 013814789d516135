"""CI workflows and the pre-commit hook: valid YAML, pinned actions, and the README's commands."""

from __future__ import annotations

import re
import shlex
import subprocess

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


def test_pip_is_cached_on_the_lock_file(workflows):
    for name, workflow in workflows.items():
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
                   "python3 dev.py build --strict"]
    upload = [s for s in steps(pr) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"].rstrip("/") == "site"


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

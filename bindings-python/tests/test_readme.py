"""The README's Python blocks run, in order, against the installed package, and each value a
line's comment states is the value the line gives (scripts/readme_snippets.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _snippets():
    spec = importlib.util.spec_from_file_location("readme_snippets", ROOT / "scripts" / "readme_snippets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_python_block_of_the_readme_runs_and_says_what_it_gives() -> None:
    snippets = _snippets()
    assert len(snippets.blocks("python")) >= 4
    assert snippets.run_python() == []


def test_a_drifted_readme_fails(tmp_path: Path) -> None:
    snippets = _snippets()
    readme = tmp_path / "README.md"
    readme.write_text(
        "```python\nimport delcredere\nlen('abc')  # 4\nif False:\n    len('')  # 0\n```\n"
        "```python\nprint('ch', 1)\n# be 1\n```\n"
        "```python\ndelcredere.call('peak_outstanding', {}).amounts\n```\n",
        encoding="utf-8",
    )
    problems = snippets.run_python(readme=readme)
    assert len(problems) == 4, problems
    assert "len('abc') is 3, the README says 4" in problems[0]
    assert "the check of len('') never ran" in problems[1]
    assert "prints ['ch 1']" in problems[2]
    assert "raises" in problems[3]


def test_the_js_checks_become_assertions_that_must_each_run(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        '```js\nconst x = 1; // 1\nx + 1;  // 2\ntry { f(); } catch (e) {\n  e.code;  // "missing_field"\n}\n```\n',
        encoding="utf-8",
    )
    program, checks = _snippets().js_program(readme)
    assert checks == 2
    assert "const x = 1; // 1" in program
    assert '__readme_check__(0, (x + 1), 2, "README.md:3: x + 1");' in program
    assert '__readme_check__(1, (e.code), "missing_field", "README.md:5: e.code");' in program
    assert "never ran" in program

"""`mypy --strict` over tests/typing/examples.py (issue #25): the stubs give `outcome` and `lang`
their Literal types and make bad input a ValueError, and the lines marked to fail do fail
(an unused `# type: ignore` is an error under --strict). mypy is pinned in scripts/setup.sh."""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent / "typing" / "examples.py"


def test_mypy_strict_accepts_the_examples_and_refuses_the_marked_lines() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", str(EXAMPLES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in 1 source file" in result.stdout

"""The example notebook runs from top to bottom, and is committed without outputs."""

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "portfolio.ipynb"


def test_notebook_is_committed_with_outputs_cleared() -> None:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_executes_and_draws_the_exposure_plot() -> None:
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no plot"
    # The portfolio chart (EXP-1): peak against limit per buyer, as an inline SVG.
    assert any("Peak outstanding against limit" in o.get("data", {}).get("text/html", "") for o in outputs), "no chart"
    assert any("Versicherbar" in o.get("text", "") or "gedeckt" in o.get("text", "").lower() for o in outputs)

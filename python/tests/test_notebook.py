"""examples/course.ipynb runs top to bottom (its cells assert the course's numbers)."""

import nbformat
from nbclient import NotebookClient

from conftest import ROOT


def test_the_course_notebook_runs_top_to_bottom(tmp_path):
    nb = nbformat.read(ROOT / "examples" / "course.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    # The step renders as LaTeX in Markdown, the run as HTML with its loss chart.
    assert any("text/markdown" in o.get("data", {}) and r"\frac{\partial L}" in o["data"]["text/markdown"]
               for o in outputs)
    assert any("<svg" in o.get("data", {}).get("text/html", "") for o in outputs)

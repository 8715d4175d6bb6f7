"""Executing the versioned notebooks so that re-runs leave them byte-identical.

``make run`` calls :func:`execute_in_place` on every notebook. Execution uses
the current environment's kernel with the notebook's folder as working
directory (as nbval does), and then removes what changes from run to run
without changing a result: execution timestamps, the kernel's exact Python
patch version. What remains is compared strictly by ``pytest --nbval``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
from nbclient import NotebookClient

#: Seconds a single cell may run before execution is abandoned.
CELL_TIMEOUT = 600


def normalise(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-specific metadata and number executed cells 1, 2, 3, … in order."""
    notebook.metadata.pop("papermill", None)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    language = notebook.metadata.get("language_info", {})
    language.pop("version", None)
    count = 0
    for cell in notebook.cells:
        for key in ("execution", "papermill", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output["execution_count"] = count
            output.get("metadata", {}).pop("execution", None)
    return notebook


def execute(notebook: nbformat.NotebookNode, *, cwd: Path) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``cwd`` as working directory and return it normalised."""
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
    )
    client.execute()
    return normalise(notebook)


def execute_in_place(path: Path) -> None:
    """Execute the notebook at ``path`` and write it back (atomically)."""
    from toolkit.processed import write_text

    notebook = nbformat.read(path, as_version=4)
    execute(notebook, cwd=path.resolve().parent)
    write_text(nbformat.writes(notebook) + "\n", path)


def defined_names(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """Return ``(cell index, name)`` for every function or class a code cell defines.

    Notebooks hold glue only; logic used twice belongs in the package.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("def f():\\n    pass")])
    >>> defined_names(nb)
    [(0, 'f')]
    """
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
                found.append((index, getattr(node, "name", "<lambda>")))
    return found


def setup() -> None:
    """Prepare a notebook session: offline chart rendering and stable table display.

    Tables print with fixed limits (so a stored output does not depend on a
    user's polars configuration) and charts render through
    :func:`toolkit.charts.use_offline_renderer`.
    """
    import polars as pl

    from toolkit.charts import use_offline_renderer

    use_offline_renderer()
    pl.Config.set_tbl_rows(25)
    pl.Config.set_tbl_cols(12)
    pl.Config.set_fmt_str_lengths(90)
    pl.Config.set_tbl_width_chars(160)

"""The versioned notebooks: named and shaped as promised, glue only, parameterisable with
papermill, and re-executed to the same bytes (nbval then compares their outputs strictly)."""

import re
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

from toolkit import notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
EXPECTED = [
    "00-workshop",
    "01-load-corpus",
    "02-find-actors",
    "03-cooccurrence-network",
    "04-seoul-ties",
    "05-events-timeline",
]
PATHS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def _read(path):
    return nbformat.read(path, as_version=4)


def test_the_promised_notebooks_exist_and_are_named_nn_verb_object():
    assert [p.stem for p in PATHS] == EXPECTED
    for path in PATHS:
        assert re.fullmatch(r"\d\d-[a-z]+(-[a-z]+)*", path.stem)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_opens_with_parameters_then_provenance(path):
    code_cells = [c for c in _read(path).cells if c.cell_type == "code"]
    assert "parameters" in code_cells[0].metadata.get("tags", [])
    setup = code_cells[1]
    assert "provenance(processed)" in setup.source
    printed = "".join(o.get("text", "") for o in setup.outputs if o.output_type == "stream")
    assert re.match(r"toolkit \d+\.\d+\.\d+ · corpus [0-9a-f]{16} ", printed)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_cell_defines_a_function_or_class(path):
    assert notebooks.defined_names(_read(path)) == []


def test_defined_names_catches_functions_classes_and_lambdas():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell("class A:\n    pass\nf = lambda: 1"),
            nbformat.v4.new_code_cell("%time x\nasync def g():\n    pass"),
        ]
    )
    assert notebooks.defined_names(nb) == [(1, "A"), (1, "<lambda>"), (2, "g")]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_stored_outputs_are_complete_and_error_free(path):
    nb = _read(path)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "run top to bottom with `make run`"
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source
    assert "version" not in nb.metadata.get("language_info", {})


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_charts_are_stored_as_vega_lite_v5_with_an_svg(path):
    for cell in _read(path).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if any(key.startswith("application/vnd.vegalite") for key in data):
                assert "application/vnd.vegalite.v5+json" in data
                assert data["image/svg+xml"].lstrip().startswith("<svg")


@pytest.mark.parametrize("name", ["01-load-corpus", "05-events-timeline"])
def test_re_execution_gives_the_same_bytes(name, tmp_path):
    copy = tmp_path / "notebooks" / f"{name}.ipynb"
    copy.parent.mkdir()
    shutil.copy(NOTEBOOK_DIR / f"{name}.ipynb", copy)
    # Parameters point at ../data; give the copy the same neighbourhood.
    (tmp_path / "data").symlink_to(ROOT / "data")
    notebooks.execute_in_place(copy)
    assert copy.read_bytes() == (NOTEBOOK_DIR / f"{name}.ipynb").read_bytes()


def test_papermill_runs_the_ties_notebook_for_another_date(tmp_path):
    out = tmp_path / "ties.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK_DIR / "04-seoul-ties.ipynb"),
        str(out),
        parameters={"dates": ["2024-01-01"], "end": "2024-06-01"},
        cwd=str(NOTEBOOK_DIR),
        progress_bar=False,
        kernel_name="python3",
    )
    printed = "".join(
        o.get("text", "")
        for c in _read(out).cells
        for o in c.get("outputs", [])
        if o.output_type == "stream"
    )
    assert "2024-01-01: 2 UN members without ties to KOR" in printed
    assert "CUB" in printed and "SYR" in printed


def test_exported_html_shows_charts_as_inline_svg():
    from nbconvert import HTMLExporter

    nb = _read(NOTEBOOK_DIR / "05-events-timeline.ipynb")
    n_charts = sum(
        "application/vnd.vegalite.v5+json" in o.get("data", {})
        for c in nb.cells
        for o in c.get("outputs", [])
    )
    html, _ = HTMLExporter().from_notebook_node(nb)
    assert n_charts >= 1
    # Each chart appears as an <img> with the SVG inline, so it needs no script and no network.
    assert len(re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,', html)) >= n_charts
    assert "vega-embed" not in html

"""The browser check's pure helpers (scripts/browser_check.py); no browser is started here."""

from __future__ import annotations

import contextlib
import doctest
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "browser_check.py"
MIME = "application/vnd.vegalite.v5+json"


@pytest.fixture(scope="module")
def bc():
    spec = importlib.util.spec_from_file_location("browser_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def notebook(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def code(*outputs: dict) -> dict:
    return {"cell_type": "code", "source": "", "metadata": {}, "outputs": list(outputs)}


def chart_output(title=None, kind="execute_result") -> dict:
    spec = {"mark": "point", "data": {"values": []}}
    if title is not None:
        spec["title"] = title
    return {"output_type": kind, "data": {MIME: spec, "text/plain": "chart"}, "metadata": {}}


MARKDOWN = {"cell_type": "markdown", "source": "# title", "metadata": {}}


def test_doctests_pass(bc):
    assert doctest.testmod(bc).failed == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8888/lab/tree/x.ipynb?token=abc",
        "ws://127.0.0.1:8888/api/kernels/1/channels",
        "http://localhost:9999/static/lab/main.js",
        "http://[::1]:8888/",
        "http://127.0.0.2/",
        "data:image/png;base64,AAAA",
        "blob:http://127.0.0.1:8888/0b2c",
        "about:blank",
        "chrome-extension://abc/x.js",
    ],
)
def test_local_urls(bc, url):
    assert bc.is_local_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.jsdelivr.net/npm/vega@5",
        "http://10.0.0.1/x",
        "wss://example.org/socket",
        "http://127.0.0.1.example.org/x",  # looks loopback, resolves elsewhere
        "http://localhost.example.org/",
        "ftp://127.0.0.1/x",  # not a scheme the check knows: reported, not trusted
        "",
    ],
)
def test_non_local_urls(bc, url):
    assert not bc.is_local_url(url)


def test_external_requests_distinct_in_first_seen_order(bc):
    urls = [
        "http://127.0.0.1:1/a",
        "https://b.example/x",
        "https://a.example/y",
        "https://b.example/x",
        "data:,z",
    ]
    assert bc.external_requests(urls) == ["https://b.example/x", "https://a.example/y"]
    assert bc.external_requests([]) == []


@pytest.mark.parametrize(
    ("spec", "title"),
    [
        ({"title": "Map"}, "Map"),
        ({"title": {"text": "Map", "subtitle": "note"}}, "Map"),
        ({"title": {"text": ["Two", "lines"]}}, "Two lines"),
        ({"mark": "point"}, ""),
        ({"title": ""}, ""),
    ],
)
def test_chart_title(bc, spec, title):
    assert bc.chart_title(spec) == title


def test_stored_charts_counts_every_cell_and_skips_other_outputs(bc):
    book = notebook(
        MARKDOWN,
        code({"output_type": "stream", "name": "stdout", "text": "hi"}),
        code(chart_output("Map"), chart_output(kind="display_data")),
        MARKDOWN,
        code({"output_type": "display_data", "data": {"image/svg+xml": "<svg/>"}, "metadata": {}}),
        code(chart_output({"text": "Ties"})),
    )
    assert bc.stored_charts(book) == [(2, "Map"), (2, ""), (5, "Ties")]
    assert bc.stored_charts(notebook(MARKDOWN, code())) == []


def test_describe_chart_numbers_cells_from_one(bc):
    assert bc.describe_chart((2, "Map")) == "'Map' (cell 3)"
    assert bc.describe_chart((0, "")) == "untitled chart (cell 1)"


def test_missing_charts_matches_by_cell_and_count(bc):
    expected = [(2, "Map"), (2, ""), (5, "Ties")]
    assert bc.missing_charts(expected, [2, 2, 5]) == []
    assert bc.missing_charts(expected, [5, 2]) == ["untitled chart (cell 3)"]
    assert bc.missing_charts(expected, []) == [
        "'Map' (cell 3)",
        "untitled chart (cell 3)",
        "'Ties' (cell 6)",
    ]
    # A chart drawn in an unexpected cell does not stand in for a missing one.
    assert bc.missing_charts([(5, "Ties")], [4]) == ["'Ties' (cell 6)"]


def test_lab_url_quotes_path_and_token(bc):
    url = bc.lab_url(8123, "notebooks/04 seoul.ipynb", token="a b")
    assert url == "http://127.0.0.1:8123/lab/tree/notebooks/04%20seoul.ipynb?token=a%20b"


def test_parse_args_default_positional_and_option(bc):
    assert bc.parse_args([]).notebook == bc.DEFAULT_NOTEBOOK
    assert bc.parse_args(["x.ipynb"]).notebook == "x.ipynb"
    assert bc.parse_args(["--notebook", "y.ipynb"]).notebook == "y.ipynb"
    with pytest.raises(SystemExit):
        bc.parse_args(["x.ipynb", "--notebook", "y.ipynb"])


def test_stage_notebook_inside_and_outside_root(bc, tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    inside = root / "notebooks" / "a.ipynb"
    inside.write_text("{}")
    monkeypatch.setattr(bc, "ROOT", root)
    monkeypatch.setattr(bc, "COPY_DIR", root / "reports" / "browser" / "tmp")
    assert bc.stage_notebook("notebooks/a.ipynb") == (inside, "notebooks/a.ipynb")

    outside = tmp_path / "elsewhere" / "b.ipynb"
    outside.parent.mkdir()
    outside.write_text('{"cells": []}')
    path, relative = bc.stage_notebook(str(outside))
    assert relative == "reports/browser/tmp/b.ipynb"
    assert path.read_text() == '{"cells": []}'

    with pytest.raises(bc.CheckFailed, match=r"notebook not found: nope\.ipynb"):
        bc.stage_notebook("nope.ipynb")


def test_ensure_chromium_without_root_fails_clearly(bc, monkeypatch):
    monkeypatch.setattr(bc, "find_chromium", lambda explicit: None)
    monkeypatch.setattr(bc.os, "geteuid", lambda: 1000)
    with pytest.raises(bc.CheckFailed, match=r"/usr/bin/chromium missing.*not root"):
        bc.ensure_chromium(None)
    with pytest.raises(bc.CheckFailed, match="not found at '/opt/none'"):
        bc.ensure_chromium("/opt/none")


def test_main_fails_in_one_line_before_starting_anything(bc, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bc, "ROOT", tmp_path)
    empty = tmp_path / "empty.ipynb"
    empty.write_text(json.dumps(notebook(MARKDOWN, code())))
    started = []
    monkeypatch.setattr(bc, "ensure_chromium", lambda explicit: started.append(explicit))

    assert bc.main(["empty.ipynb"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("browser-check FAIL: empty.ipynb stores 0 Vega-Lite output(s)")
    assert bc.main(["missing.ipynb"]) == 1
    assert "FAIL: notebook not found: missing.ipynb" in capsys.readouterr().out
    assert started == []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_stop_also_ends_children_in_their_own_session(bc):
    # Like JupyterLab and its kernel: the child sits in a session of its own.
    starter = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen(['sleep', '60'], start_new_session=True)\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", starter], stdout=subprocess.PIPE, start_new_session=True, text=True
    )
    child = int(parent.stdout.readline())
    try:
        assert _alive(child)
        bc.stop(parent, "test parent")
        assert parent.poll() is not None
        deadline = time.monotonic() + 5
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        parent.stdout.close()
        if parent.poll() is None:
            parent.kill()
        parent.wait()
        if _alive(child):  # never leave our own sleeper behind when the test fails
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)

"""`toolkit build`, `toolkit status` and their promises: every table validated, byte-identical
re-runs, atomic writes, and errors that name the bad value."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from toolkit import cli
from toolkit import processed as store
from toolkit.contracts import validate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(ROOT / "data" / "raw" / "corpus", raw / "corpus")
    (raw / "actors").mkdir()
    return raw


@pytest.fixture(scope="module")
def built(raw, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    assert cli.main(["build", str(raw), "--out", str(out)]) == 0
    return out


def test_build_writes_every_table_valid(built):
    for name, contract in cli.BUILD_TABLES.items():
        table = pl.read_parquet(built / f"{name}.parquet")
        validate(table, contract)
    assert pl.read_parquet(built / "articles.parquet").height == 2
    assert pl.read_parquet(built / "mentions.parquet").height > 20
    assert pl.read_parquet(built / "edges.parquet").height > 5


def test_manifest_records_inputs_outputs_and_versions_without_timestamps(built, raw):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["path"] for entry in manifest["inputs"]] == ["corpus/000_ed958a227aa303b2.txt"]
    assert manifest["inputs"][0]["sha256"] == store.file_sha256(
        raw / "corpus" / "000_ed958a227aa303b2.txt"
    )
    assert set(manifest["tables"]) == set(cli.BUILD_TABLES)
    assert manifest["dependencies"]["polars"] == pl.__version__
    text = json.dumps(manifest)
    assert "2026-11" not in text and "T0" not in text  # no clock values
    for name, info in manifest["tables"].items():
        assert info["sha256"] == store.file_sha256(built / f"{name}.parquet")


def test_load_report_accounts_for_the_corpus_file(built):
    report = json.loads((built / "load_report.json").read_text(encoding="utf-8"))
    text = json.dumps(report)
    assert "000_ed958a227aa303b2.txt" in text
    assert "unregistered_candidates" in report


def test_second_build_is_byte_identical(raw, built, tmp_path):
    out = tmp_path / "again"
    assert cli.main(["build", str(raw), "--out", str(out)]) == 0
    first = sorted(p.name for p in built.iterdir())
    assert first == sorted(p.name for p in out.iterdir())
    for name in first:
        assert (built / name).read_bytes() == (out / name).read_bytes(), name


def test_crash_during_write_leaves_previous_table_intact(tmp_path, monkeypatch):
    path = tmp_path / "edges.parquet"
    store.write_table(pl.DataFrame({"a": [1]}), path)
    before = path.read_bytes()

    def crash(self, file, **kwargs):
        Path(file).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", crash)
    with pytest.raises(OSError, match="disk full"):
        store.write_table(pl.DataFrame({"a": [2]}), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["edges.parquet"]


def test_status_without_lists_syria_the_day_before_and_nobody_after(capsys, tmp_path):
    assert (
        cli.main(
            [
                "status",
                "KOR",
                "--as-of",
                "2025-04-09",
                "--without",
                "--format",
                "csv",
                "--processed",
                str(tmp_path),
            ]
        )
        == 0
    )
    rows = list(pl.read_csv(capsys.readouterr().out.encode()).iter_rows(named=True))
    assert [row["counterpart"] for row in rows] == ["SYR"]
    assert (
        cli.main(
            [
                "status",
                "KOR",
                "--as-of",
                "2025-04-11",
                "--without",
                "--format",
                "csv",
                "--processed",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert pl.read_csv(capsys.readouterr().out.encode()).height == 0


def test_status_uses_the_corpus_events_of_a_build(built, capsys):
    assert (
        cli.main(
            [
                "status",
                "KOR",
                "--as-of",
                "2025-04-11",
                "--processed",
                str(built),
                "--format",
                "json",
            ]
        )
        == 0
    )
    rows = {row["counterpart"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["SYR"]["status"] == "ties"
    assert rows["SYR"]["basis"] == "reference+corpus"
    assert rows["PRK"]["status"] == "not_applicable"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["build", "--window", "sentences"], "'sentences'"),
        (["build", "--window", "0"], "'0'"),
        (["status", "KOR", "--as-of", "01/04/2025"], "'01/04/2025'"),
    ],
)
def test_bad_arguments_are_named(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_corpus_directory_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["build", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "corpus" in capsys.readouterr().err


def test_python_dash_m_toolkit_runs():
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("toolkit ")


def test_figures_are_written_as_svg_and_png_identically_twice(built, tmp_path, capsys):
    first, second = tmp_path / "one", tmp_path / "two"
    assert cli.main(["figures", "--out", str(first), "--processed", str(built)]) == 0
    assert cli.main(["figures", "--out", str(second), "--processed", str(built)]) == 0
    names = sorted(p.name for p in first.iterdir())
    assert {Path(n).suffix for n in names} == {".svg", ".png"}
    assert "04-status-map.svg" in names and "03-network.png" in names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

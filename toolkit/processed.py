"""Reading and writing ``data/processed``: tables, the load report and the manifest.

``toolkit build`` writes every table as parquet next to a ``manifest.json`` that
records what went in (input file hashes), what came out (table hashes and row
counts) and which software made it (package and dependency versions). Nothing in
it depends on the clock or the machine, so two builds of the same inputs are
byte-identical. Writes are atomic: each file is written beside its target and
renamed over it, so a crash never leaves a half-written table.

Notebooks read the tables back with :func:`load_table` and print provenance
with :func:`provenance`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

import polars as pl

from toolkit._backend import to_backend

DEFAULT_PROCESSED = Path("data/processed")

#: Distributions whose versions change results; recorded in the manifest.
RECORDED_DISTRIBUTIONS = (
    "polars",
    "pandas",
    "pyarrow",
    "numpy",
    "networkx",
    "numba",
    "altair",
    "vl-convert-python",
)


def file_sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp creates files readable by the owner only; give the result the usual mode.
        tmp.chmod(0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_table(table: pl.DataFrame, path: Path) -> None:
    """Write a polars table to parquet atomically, with settings fixed for byte-stable output."""
    write_atomic(
        path,
        lambda tmp: table.write_parquet(
            tmp, compression="zstd", compression_level=3, statistics=True
        ),
    )


def write_text(text: str, path: Path) -> None:
    """Write UTF-8 text atomically (LF newlines)."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def write_json(payload: object, path: Path) -> None:
    """Write JSON atomically with sorted keys, so equal payloads give equal bytes."""
    write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n", path)


def dependency_versions(names: Iterable[str] = RECORDED_DISTRIBUTIONS) -> dict[str, str]:
    """Return installed versions of ``names`` ("not installed" where missing)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def input_files(root: Path) -> list[dict[str, object]]:
    """List every regular file below ``root`` (sorted, hidden files skipped) with size and hash."""
    root = Path(root)
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    return [
        {
            "path": p.relative_to(root).as_posix(),
            "bytes": p.stat().st_size,
            "sha256": file_sha256(p),
        }
        for p in files
    ]


def fingerprint(files: list[dict[str, object]]) -> str:
    """Return a short fingerprint of a corpus: a hash over its files' paths and hashes.

    Examples
    --------
    >>> fingerprint([{"path": "a.txt", "sha256": "00"}])
    '55b7f86c04e98608'
    """
    digest = hashlib.sha256()
    for entry in files:
        digest.update(f"{entry['path']}\0{entry['sha256']}\n".encode())
    return digest.hexdigest()[:16]


def load_manifest(processed: str | Path = DEFAULT_PROCESSED) -> dict:
    """Read ``manifest.json`` from a processed directory, with a clear error if absent."""
    path = Path(processed) / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `toolkit build` (or `make build`) first")
    return json.loads(path.read_text(encoding="utf-8"))


def load_table(name: str, processed: str | Path = DEFAULT_PROCESSED, *, backend: str = "polars"):
    """Read one table written by ``toolkit build`` (``name`` like "mentions").

    Raises
    ------
    FileNotFoundError
        Naming the missing file and the command that makes it.
    """
    path = Path(processed) / f"{name}.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `toolkit build` (or `make build`) first")
    return to_backend(pl.read_parquet(path), backend)


def provenance(processed: str | Path = DEFAULT_PROCESSED) -> str:
    """One line naming the package version and corpus fingerprint of a build, for notebooks."""
    manifest = load_manifest(processed)
    return (
        f"toolkit {manifest['toolkit_version']} · corpus {manifest['corpus_fingerprint']}"
        f" ({manifest['n_input_files']} files, {manifest['tables']['articles']['rows']} articles)"
    )

"""Faults during a dataset build: killed mid-write, out of file size, a read-only folder.

The writers' own fault tests (SIGKILL of a file and of a partitioned writer,
RLIMIT_FSIZE for every writer, a failure midway through a partitioned write)
are in tests/write/test_write_atomic.py and tests/write/test_write_dataset.py. Here the
same promises are checked one level up, on ``sahel-events build``, the command
that makes a release: whatever happens, ``events.parquet`` is the previous
release or the new one, whole.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sahel_events.testing import synthetic_events
from sahel_events.write import write_events

CLI = [sys.executable, "-m", "sahel_events"]


@pytest.fixture
def previous_release(tmp_path: Path) -> Path:
    """A release folder holding an earlier events.parquet (5 events, not the build's 12)."""
    folder = tmp_path / "release"
    write_events(synthetic_events(5, seed=9), folder / "events.parquet")
    return folder / "events.parquet"


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


KILLED_MID_WRITE = textwrap.dedent(
    """
    import os, sys, time
    import pyarrow.parquet as pq
    from sahel_events.coding.build import build

    def stalled_close(writer):
        # The row groups are on disk, the footer is not: stop here, half written.
        path = writer.where
        print("writing", os.path.basename(path), os.path.getsize(path), flush=True)
        time.sleep(600)

    pq.ParquetWriter.close = stalled_close
    build(None, None, sys.argv[1])
    """
)


def test_a_build_killed_while_writing_leaves_the_previous_release(
    previous_release: Path,
) -> None:
    before = previous_release.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_WRITE, str(previous_release.parent)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().split()
    # The new file was being written beside the release, not over it.
    assert line[0] == "writing" and line[1].startswith(".events.parquet.") and int(line[2]) > 0
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert previous_release.read_bytes() == before
    assert pq.read_table(previous_release).num_rows == 5
    # What a kill leaves is the hidden temporary file, never a partial events.parquet.
    leftovers = [name for name in _files(previous_release.parent) if name != "events.parquet"]
    assert all(name.startswith(".events.parquet.") for name in leftovers)


def _small_files() -> None:
    # Python ignores SIGXFSZ itself; a write past the limit fails with EFBIG.
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_a_build_over_the_file_size_limit_keeps_the_previous_release(
    previous_release: Path,
) -> None:
    before = previous_release.read_bytes()
    result = subprocess.run(
        [*CLI, "build", "--out", str(previous_release.parent)],
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=_small_files,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"error: {previous_release}: cannot write: file size limit reached; nothing was written"
    ]
    assert previous_release.read_bytes() == before
    assert _files(previous_release.parent) == ["events.parquet"]


def _without_root_override() -> None:
    """Drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: even root then obeys folder modes."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_build_into_a_read_only_folder_is_a_clear_error(previous_release: Path) -> None:
    folder = previous_release.parent
    before = previous_release.read_bytes()
    folder.chmod(0o555)
    try:
        result = subprocess.run(
            [*CLI, "build", "--out", str(folder)],
            capture_output=True,
            text=True,
            timeout=180,
            preexec_fn=_without_root_override,
        )
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"error: {folder}: the output folder is not writable"]
    assert "Traceback" not in result.stderr
    assert previous_release.read_bytes() == before
    assert _files(folder) == ["events.parquet"]

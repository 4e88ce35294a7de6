"""Atomic outputs: a failed, limited or killed write never leaves half a file."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sahel_events.exc import OutputError
from sahel_events.testing import synthetic_events
from sahel_events.write import write_csv, write_dataset, write_events, write_xlsx

WRITERS = {
    "parquet": write_events,
    "csv": write_csv,
    "xlsx": write_xlsx,
}


@pytest.fixture
def events() -> pd.DataFrame:
    return synthetic_events(50)


def test_a_writer_failing_midway_leaves_the_previous_file_and_no_temp_file(
    events: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write_events(events, tmp_path / "events.parquet")
    before = target.read_bytes()
    original = pq.ParquetWriter.write_table

    def write_then_fail(self: pq.ParquetWriter, table: object, *args: object, **kw: object) -> None:
        original(self, table, *args, **kw)  # real bytes reach the temporary file first
        raise RuntimeError("writer crashed")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", write_then_fail)
    with pytest.raises(RuntimeError, match="writer crashed"):
        write_events(synthetic_events(80, seed=2), target)
    assert target.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events.parquet"]


def test_disk_full_midway_is_an_output_error_naming_the_file(
    events: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write_events(events, tmp_path / "events.parquet")
    before = target.read_bytes()

    def disk_full(self: pq.ParquetWriter, *args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", disk_full)
    with pytest.raises(OutputError) as caught:
        write_events(synthetic_events(80, seed=2), target)
    assert str(caught.value) == f"{target}: cannot write: disk full; nothing was written"
    assert caught.value.exit_code == 2
    assert target.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["events.parquet"]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_path_under_a_regular_file_is_an_output_error(
    kind: str, events: pd.DataFrame, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="parent of the path is a file") as caught:
        WRITERS[kind](events, blocker / f"events.{kind}")
    assert caught.value.path == str(blocker / f"events.{kind}")
    assert blocker.read_text() == "x"


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_path_that_is_a_folder_is_an_output_error(
    kind: str, events: pd.DataFrame, tmp_path: Path
) -> None:
    with pytest.raises(OutputError, match="the path is a folder"):
        WRITERS[kind](events, tmp_path)


def test_missing_parent_folders_are_created(events: pd.DataFrame, tmp_path: Path) -> None:
    target = write_events(events, tmp_path / "a" / "b" / "events.parquet")
    assert pq.read_table(target).num_rows == len(events)


def test_a_new_file_gets_umask_permissions_not_0600(events: pd.DataFrame, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        target = write_events(events, tmp_path / "events.parquet")
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions"
)
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_an_unwritable_folder_is_an_output_error(
    kind: str, events: pd.DataFrame, tmp_path: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            WRITERS[kind](events, folder / f"events.{kind}")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


# --- Real limits and real kills, in subprocesses -------------------------------------

LIMITED_WRITER = textwrap.dedent(
    """
    import resource, signal, sys
    from sahel_events.testing import synthetic_events
    from sahel_events import write
    from sahel_events.exc import OutputError

    kind, target = sys.argv[1], sys.argv[2]
    frame = synthetic_events(20_000, seed=3)
    # Without this the kernel kills the process (SIGXFSZ) instead of failing write().
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))
    writer = {"parquet": write.write_events, "csv": write.write_csv,
              "xlsx": write.write_xlsx, "dataset": write.write_dataset}[kind]
    try:
        writer(frame, target)
    except OutputError as error:
        print(error, file=sys.stderr)
        sys.exit(error.exit_code)
    """
)


@pytest.mark.parametrize("kind", ["parquet", "csv", "xlsx", "dataset"])
def test_a_file_size_limit_gives_a_clear_error_and_no_partial_file(
    kind: str, tmp_path: Path
) -> None:
    small = synthetic_events(5)
    target = tmp_path / f"events.{kind}"
    if kind == "dataset":
        write_dataset(small, target)
        before = {path: path.read_bytes() for path in target.rglob("*.parquet")}
    else:
        WRITERS[kind](small, target)
        before = {target: target.read_bytes()}
    result = subprocess.run(
        [sys.executable, "-c", LIMITED_WRITER, kind, str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        f"{target}: cannot write: file size limit reached; nothing was written"
    )
    assert "Traceback" not in result.stderr
    after = (
        {path: path.read_bytes() for path in (target.rglob("*.parquet"))}
        if (kind == "dataset")
        else {target: target.read_bytes()}
    )
    assert after == before
    leftovers = [path.name for path in tmp_path.iterdir() if path.name.startswith(".")]
    assert leftovers == []


KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from sahel_events.testing import synthetic_events
    from sahel_events import write
    from sahel_events.exc import OutputError

    kind, target = sys.argv[1], sys.argv[2]
    frames = [synthetic_events(150_000, seed=seed) for seed in (1, 2)]
    print("ready", flush=True)
    round = 0
    while True:
        frame = frames[round % 2]
        if kind == "dataset":
            write.write_dataset(frame, target, metadata={"round": str(round)})
        else:
            write.write_events(frame, target, metadata={"round": str(round)})
        print(round, flush=True)
        round += 1
    """
)


def _start_writer(kind: str, target: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, kind, str(target)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.9, 1.7])
def test_a_killed_file_writer_leaves_no_file_or_a_complete_one(
    delay: float, tmp_path: Path
) -> None:
    target = tmp_path / "events.parquet"
    process = _start_writer("parquet", target)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    if target.exists():
        table = pq.read_table(target)
        assert table.num_rows == 150_000
        assert pq.read_metadata(target).metadata[b"round"].isdigit()


@pytest.mark.parametrize("delay", [0.2, 0.8, 1.6])
def test_a_killed_dataset_writer_leaves_the_previous_dataset_whole(
    delay: float, tmp_path: Path
) -> None:
    import pyarrow.dataset as ds

    root = tmp_path / "events"
    process = _start_writer("dataset", root)
    assert process.stdout is not None
    process.stdout.readline()  # one complete dataset exists from here on
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    dataset = ds.dataset(root, format="parquet", partitioning="hive")
    table = dataset.to_table()
    assert table.num_rows == 150_000
    rounds = {
        pq.read_metadata(fragment.path).metadata[b"round"] for fragment in dataset.get_fragments()
    }
    assert len(rounds) == 1  # every file from the same write, never a mix

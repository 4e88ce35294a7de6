"""Progress bars: drawn on a terminal's stderr only, never with --quiet or when piped."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.cli._progress import info, progress_bar, shows_progress
from sahel_events.testing import break_rows, synthetic_events
from sahel_events.validation import validate


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal, and keeps what is written to it."""

    def isatty(self) -> bool:
        return True


def test_silent_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert not shows_progress(quiet=False)  # pytest captures stderr: not a TTY
    with progress_bar("working", total=3) as advance:
        advance(1)
        advance(2)
    assert capsys.readouterr().err == ""


def test_drawn_on_a_terminal_unless_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert shows_progress(quiet=False)
    assert not shows_progress(quiet=True)
    with progress_bar("validating big.csv", total=None) as advance:
        advance(500_000)
    assert "validating big.csv" in terminal.getvalue()
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    with progress_bar("validating big.csv", quiet=True) as advance:
        advance(5)
    assert quiet.getvalue() == ""


def test_info_goes_to_stderr_unless_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    info("wrote x")
    info("not shown", quiet=True)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "wrote x\n")


def test_validate_reports_rows_per_chunk(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    synthetic_events(2_500, seed=111).to_csv(path, index=False)
    seen: list[int] = []
    report = validate(path, chunk_rows=1_000, progress=seen.append)
    assert seen == [1_000, 1_000, 500]
    assert report.n_rows == 2_500
    frame_seen: list[int] = []
    validate(synthetic_events(7, seed=112), progress=frame_seen.append)
    assert frame_seen == [7]


@pytest.mark.parametrize("quiet", [[], ["--quiet"]])
def test_validate_command_piped_prints_the_report_only(tmp_path: Path, quiet: list[str]) -> None:
    valid = tmp_path / "valid.csv"
    synthetic_events(50, seed=113).to_csv(valid, index=False)
    result = CliRunner().invoke(main, ["validate", str(valid), *quiet])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith(str(valid))
    invalid = tmp_path / "invalid.csv"
    break_rows(synthetic_events(50, seed=113), 0.2, seed=3).to_csv(invalid, index=False)
    result = CliRunner().invoke(main, ["validate", str(invalid), "--format", "json", *quiet])
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout.lstrip().startswith("{")

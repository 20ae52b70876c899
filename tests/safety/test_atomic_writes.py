"""Every write of the project is whole or not at all, with the usual file mode; a hung lock
holder is named and given up on; a trial copy left by a killed writer is swept."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from kcst_budget import ledgerio
from kcst_budget.ledgerio import AtomicFile, sweep_trials, write_atomic
from tests.entry.conftest import folder_digest
from tests.safety.conftest import tree_env

CONTRIBUTION = ("record", "contribution", "--partner", "KP", "--amount", "16000.00")


def test_a_safe_write_fsyncs_the_file_before_the_rename_and_the_folder_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "2019-20.beancount"
    target.write_text("old\n")
    calls: list[tuple[str, object]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file"
        calls.append(("fsync", kind))
        real_fsync(descriptor)

    def replace(source: str, destination: str) -> None:
        calls.append(("rename", Path(destination).name))
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_atomic(target, "new\n")
    assert calls == [("fsync", "file"), ("rename", "2019-20.beancount"), ("fsync", "folder")]
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["2019-20.beancount"]


def test_a_write_that_fails_midway_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"the old report")
    with pytest.raises(RuntimeError), AtomicFile(target, "wb") as handle:
        handle.write(b"half of the new rep")
        raise RuntimeError("the printer caught fire")
    assert target.read_bytes() == b"the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_temporary_left_by_a_dead_writer_is_swept_and_a_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "main.beancount"
    target.write_text("books\n")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".main.beancount.{int(dead.stdout)}-0badc0de.tmp"
    live = tmp_path / f".main.beancount.{os.getppid()}-0000beef.tmp"
    stale.write_text("half")
    live.write_text("being written")
    write_atomic(target, "books, more\n")
    assert not stale.exists() and live.exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_a_new_fy_file_gets_the_folders_usual_mode_not_0600(small_ledger: Path, run_kcst) -> None:
    small_ledger.parent.chmod(0o755)
    old = os.umask(0o022)
    try:
        run = run_kcst(*CONTRIBUTION, "--date", "2019-05-01", "--ledger", small_ledger)
    finally:
        os.umask(old)
    assert run.returncode == 0, run.stderr
    created = small_ledger.parent / "2019-20.beancount"
    assert stat.S_IMODE(created.stat().st_mode) == 0o644
    assert stat.S_IMODE(small_ledger.stat().st_mode) == 0o644


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from kcst_budget.ledgerlock import locked
    with locked(Path(sys.argv[1]), purpose="a hung import"):
        print("held", flush=True)
        time.sleep(120)
""")


def test_a_writer_names_a_hung_lock_holder_and_gives_up_after_the_stated_time(
        small_ledger: Path, run_kcst) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(small_ledger.parent)],
                              stdout=subprocess.PIPE, text=True, env=tree_env())
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        before = folder_digest(small_ledger.parent)
        started = time.monotonic()
        run = run_kcst(*CONTRIBUTION, "--date", "2019-05-01", "--ledger", small_ledger,
                       KCST_LOCK_TIMEOUT="1.5")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"waiting for the ledger lock of {small_ledger.parent}: held by process " \
           f"{holder.pid} (a hung import)" in run.stderr
    assert "giving up after 1.5 s" in run.stderr
    assert "is still locked after 1.5 s" in run.stderr and "nothing was written" in run.stderr
    assert 1.5 <= waited < 60
    assert folder_digest(small_ledger.parent) == before


def test_the_lock_is_free_again_once_its_holder_is_killed(small_ledger: Path, run_kcst) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(small_ledger.parent)],
                              stdout=subprocess.PIPE, text=True, env=tree_env())
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    run = run_kcst(*CONTRIBUTION, "--date", "2019-05-01", "--ledger", small_ledger,
                   KCST_LOCK_TIMEOUT="5")
    assert run.returncode == 0, run.stderr
    assert "waiting" not in run.stderr


def test_a_trial_copy_left_by_a_writer_killed_mid_load_is_swept_at_the_next_run(
        small_ledger: Path, tmp_path: Path, run_kcst) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    left: list[Path] = []
    for attempt in range(5):  # the kill must land while the copy exists: it nearly always does
        writer = subprocess.Popen(
            [sys.executable, "-m", "kcst_budget.cli", *CONTRIBUTION, "--date", "2019-05-01",
             "--ref", f"KILLED-{attempt}", "--ledger", str(small_ledger)],
            env=tree_env(TMPDIR=str(temporary)), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not (left := list(temporary.glob("kcst-trial-*"))) and writer.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.002)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        left = list(temporary.glob("kcst-trial-*"))
        if left:
            break
    assert left, "no trial copy was caught in five kills"
    assert all(f"kcst-trial-{writer.pid}-" in path.name for path in left)
    run = run_kcst(*CONTRIBUTION, "--date", "2019-05-02", "--ledger", small_ledger,
                   TMPDIR=str(temporary))
    assert run.returncode == 0, run.stderr
    assert list(temporary.glob("kcst-trial-*")) == []


def test_only_the_trial_copies_of_dead_processes_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    mine = Path(tempfile.mkdtemp(prefix=f"kcst-trial-{os.getpid()}-", dir=tmp_path))
    orphan = Path(tempfile.mkdtemp(prefix=f"kcst-trial-{int(dead.stdout)}-", dir=tmp_path))
    # named before pids were: perhaps another version of kcst loading it now, so swept only
    # once it is an hour old
    nameless = Path(tempfile.mkdtemp(prefix="kcst-trial-", dir=tmp_path))
    stale = Path(tempfile.mkdtemp(prefix="kcst-trial-", dir=tmp_path))
    hour_ago = time.time() - ledgerio.STRAY_TRIAL_SECONDS - 60
    os.utime(stale, (hour_ago, hour_ago))
    (orphan / "ledger").mkdir()
    assert sorted(sweep_trials(tmp_path)) == sorted([orphan, stale])
    assert mine.exists() and nameless.exists() and not orphan.exists() and not stale.exists()
    assert ledgerio.process_alive(os.getpid())

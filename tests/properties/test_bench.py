"""The benchmark's own parts: a child's time and memory, the report kept between markers."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.bench import BEGIN, END, books_of_size, main, measure_share, run_process, write_doc


def test_a_child_process_is_timed_with_its_own_cpu_and_peak_memory() -> None:
    # a child that holds ~60 MB and spins a little: its figures, not this process's
    run = run_process([sys.executable, "-c",
                       "b = bytearray(60 * 2**20); sum(range(3_000_000)); raise SystemExit(3)"])
    assert run.returncode == 3
    assert run.peak_kb > 60 * 1024
    assert 0 < run.cpu and run.wall > 0


def test_a_small_child_of_a_big_runner_is_measured_small() -> None:
    # Linux would count the memory of the process a child is forked from as the child's
    held = bytearray(300 * 2**20)
    held[::4096] = b"x" * len(held[::4096])  # touch every page: resident
    run = run_process([sys.executable, "-c", "pass"])
    assert run.returncode == 0
    assert run.peak_kb < 100 * 1024
    del held


def test_the_figures_replace_only_what_is_between_the_markers(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    write_doc(doc, "first figures\n")
    assert doc.read_text().count(BEGIN) == 1
    doc.write_text(doc.read_text().replace("# Performance", "# Performance\n\nWhy the floor.")
                   + "\nProfile notes.\n")
    write_doc(doc, "second figures\n")
    text = doc.read_text()
    assert "first figures" not in text and f"{BEGIN}\nsecond figures\n{END}" in text
    assert "Why the floor." in text and text.endswith("Profile notes.\n")


def test_bad_sizes_exit_2(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--sizes", "ten thousand", "--doc", "-"]) == 2
    assert "--sizes" in capsys.readouterr().err


def test_the_plugin_is_timed_inside_one_real_load(tmp_path: Path) -> None:
    books = books_of_size(tmp_path, "tiny", 300, lambda text: None)
    share = measure_share(books, 2, lambda text: None)
    assert len(share.load) == len(share.plugin) == 2
    assert all(0 < own < load for load, own in zip(share.load, share.plugin, strict=True))
    assert share.ratio > 1.0

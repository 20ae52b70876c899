"""``make bench``: kcst-budget measured against the Beancount stack under it, in one run.

On synthetic books (``tools.synthetic``) of 10k and 100k transactions, with
Beancount's cache off, each command runs as its own process and is timed (wall clock and
CPU, user + system) with its peak memory (the child's maximum resident set):

- ``bean-check`` on the same books without the plugin line: the floor, what Beancount
  alone costs;
- ``bean-check`` with the plugin; ``kcst audit``, ``kcst forecast``, ``kcst check`` and
  ``kcst record`` (one contribution, on a copy of the books).

Then one warm Fava server (``kcst dashboard``, the real app) on ~30k transactions: Fava's
``api/income_statement``, its income statement page and the KCST dashboard page, the pages
settled in headless chromium (load, then network idle; the time is the later of the load
event and the last response, from the page's own Performance API).

Each figure is shown as a ratio to its anchor, with the 10k -> 100k scaling, and written
between the markers of ``docs/performance.md`` with the machine's description. CPU time
is the figure the goals are judged on: the machine may be shared, and CPU time is what the
code costs whatever else runs (wall times are shown beside it).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.synthetic import MAIN, Shape

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FLOOR = "floor.beancount"  # the same books without the plugin line
ENV = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

#: The goals of issue 8.
PLUGIN_GOAL = 1.05  # bean-check with the plugin / without it
AUDIT_GOAL = 1.05  # kcst audit / bean-check without the plugin, at 100k
DASHBOARD_GOAL = 1.0  # dashboard page / Fava's income statement page
SCALING_GOAL = 11.0  # 100k / 10k for every command
RECORD_GOAL = 1.2  # kcst record / two loads of the same books (2 x bean-check + plugin)


# ---------------------------------------------------------------------------------------
# Measuring one process


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    peak_kb: int  # maximum resident set
    returncode: int
    stderr: str


@dataclass(frozen=True)
class Measured:
    """One command's runs on one size of books."""

    command: str
    size: str
    runs: tuple[Run, ...]

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        """The least CPU time of the runs: the run the machine's other work disturbed least.

        On a shared machine other work slows a run down (the same bean-check has taken
        from 17 to 23 s of CPU within minutes) and never speeds it up, so the least of
        interleaved runs is the closest figure to what the code itself costs, as ``timeit``
        advises; the median is shown beside it."""
        return min(r.cpu for r in self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_kb for r in self.runs) / 1024

    @property
    def ok(self) -> bool:
        return all(r.returncode == 0 for r in self.runs)


TIME = "/usr/bin/time"


def run_process(argv: Sequence[str]) -> Run:
    """Run ``argv`` to its end: wall time, CPU time and peak memory of that one command.

    The command runs under ``/usr/bin/time``: Linux counts into a child's maximum resident
    set the memory of the process it was forked from, so a child forked from this runner
    (which may hold big books in memory) would report the runner's memory as its own. The
    small ``time`` process forks the command instead and reads its own child's figures.
    """
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "time"
        errors = Path(folder) / "stderr"
        with errors.open("wb") as stderr:
            start = time.perf_counter()
            process = subprocess.run([TIME, "-f", "%U %S %M", "-o", str(figures), *argv],
                                     stdout=subprocess.DEVNULL, stderr=stderr, env=ENV)
            wall = time.perf_counter() - start
        text = errors.read_text("utf-8", "replace")
        user, system, peak = figures.read_text().split()[-3:]
    return Run(wall, float(user) + float(system), int(peak), process.returncode, text)


# ---------------------------------------------------------------------------------------
# The books


@dataclass(frozen=True)
class Books:
    size: str
    folder: Path
    as_of: datetime.date
    transactions: int

    @property
    def main(self) -> Path:
        return self.folder / MAIN

    @property
    def floor(self) -> Path:
        return self.folder / FLOOR


def books_of_size(out: Path, size: str, transactions: int, log: Callable[[str], None]) -> Books:
    """Generate the books (seed 0, two years, three partners, three posts) once; reuse them
    while the generator and the shape are unchanged."""
    shape = Shape(transactions=transactions)
    source = (Path(__file__).parent.parent / "tools" / "synthetic.py").read_bytes()
    stamp = hashlib.sha256(source + repr(shape).encode()).hexdigest()
    folder = out / size
    stamp_file = folder / "stamp"
    if not (stamp_file.exists() and stamp_file.read_text() == stamp):
        log(f"generating {size} books ({transactions} transactions) in {folder}")
        shutil.rmtree(folder, ignore_errors=True)
        # In a process of its own, so this runner stays small (see ``run_process``).
        subprocess.run([sys.executable, "-m", "tools.synthetic", "--transactions",
                        str(shape.transactions), "--seed", str(shape.seed), "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
        floor = "".join(line for line in (folder / MAIN).read_text().splitlines(keepends=True)
                        if not line.startswith("plugin "))
        (folder / FLOOR).write_text(floor, encoding="utf-8")
        stamp_file.write_text(stamp)
    as_of = datetime.date.fromisoformat(
        next(line for line in (folder / MAIN).read_text().splitlines()
             if line.startswith("plugin ")).split("as-of: ")[1].rstrip('"'))
    return Books(size, folder, as_of, transactions)


# ---------------------------------------------------------------------------------------
# The commands


def has_record() -> bool:
    """Whether ``kcst record`` exists in this build (it is written in parallel)."""
    from kcst_budget.cli import app

    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    names |= {g.name for g in app.registered_groups if g.name}
    return "record" in names


@dataclass(frozen=True)
class Command:
    name: str
    argv: Callable[[Books, int], list[str]]  # (books, run number) -> argv
    prepare: Callable[[Books, int], None] | None = None  # untimed set-up before each run


def _record_copy(books: Books, run: int) -> Path:
    return books.folder.parent / f"{books.size}-record-copy"


def _prepare_record(books: Books, run: int) -> None:
    copy = _record_copy(books, run)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(books.folder, copy)


COMMANDS: tuple[Command, ...] = (
    Command("bean-check (no plugin)", lambda b, n: [str(BIN / "bean-check"), "-C", str(b.floor)]),
    Command("bean-check + plugin", lambda b, n: [str(BIN / "bean-check"), "-C", str(b.main)]),
    Command("kcst audit", lambda b, n: [str(BIN / "kcst"), "audit", "--ledger", str(b.main)]),
    Command("kcst forecast", lambda b, n: [str(BIN / "kcst"), "forecast", "--ledger", str(b.main),
                                           "--as-of", str(b.as_of)]),
    Command("kcst check", lambda b, n: [str(BIN / "kcst"), "check", "--ledger", str(b.main)]),
    Command("kcst record", lambda b, n: [
        str(BIN / "kcst"), "record", "contribution", "--partner", "KCC", "--amount", "100.00",
        "--date", str(b.as_of), "--ref", f"BENCH-{n}",
        "--ledger", str(_record_copy(b, n) / MAIN)], _prepare_record),
)
ANCHORS = ("bean-check (no plugin)", "bean-check + plugin", "kcst audit")


def measure_size(books: Books, repeat: int, repeat_others: int, record: bool,
                 log: Callable[[str], None]) -> list[Measured]:
    """Every command on one size of books, the repetitions interleaved (round-robin) so a
    change in the machine's load falls on every command alike."""
    commands = [c for c in COMMANDS if record or c.name != "kcst record"]
    runs: dict[str, list[Run]] = {c.name: [] for c in commands}
    for number in range(max(repeat, repeat_others)):
        for command in commands:
            if number >= (repeat if command.name in ANCHORS else repeat_others):
                continue
            if command.prepare:
                command.prepare(books, number)
            result = run_process(command.argv(books, number))
            runs[command.name].append(result)
            log(f"{books.size:>5} {command.name:<24} run {number + 1}: {result.wall:6.2f} s wall "
                f"{result.cpu:6.2f} s CPU {result.peak_kb / 1024:7.1f} MB exit {result.returncode}")
    shutil.rmtree(_record_copy(books, 0), ignore_errors=True)
    return [Measured(name, books.size, tuple(found)) for name, found in runs.items()]


# ---------------------------------------------------------------------------------------
# Fava and the browser


@dataclass(frozen=True)
class PageTimes:
    api: list[float]  # seconds: GET api/income_statement (server only)
    income_html: list[float]  # seconds: GET of the income statement page's HTML
    dashboard_html: list[float]
    income_page: list[float]  # seconds: settled in chromium
    dashboard_page: list[float]
    server_peak_mb: float
    load_seconds: float  # from starting the server to its first answer
    transactions: int


SETTLED = """() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const ends = performance.getEntriesByType('resource').map(r => r.responseEnd);
  return Math.max(navigation.loadEventEnd, ...ends) - navigation.startTime;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return time.perf_counter() - start


def measure_fava(books: Books, repeat: int, log: Callable[[str], None]) -> PageTimes:
    """One warm ``kcst dashboard`` server; each page visited in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    server = subprocess.Popen([str(BIN / "kcst"), "dashboard", "--ledger", str(books.main),
                               "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=ENV)
    try:
        slug = _wait_for(base, server)
        load_seconds = time.perf_counter() - start
        income = f"{base}/{slug}/income_statement/"
        dashboard = f"{base}/{slug}/extension/KCSTDashboard/"
        api = f"{base}/{slug}/api/income_statement"
        for url in (api, income, dashboard):  # warm: every page served once first
            fetch(url)
        times: dict[str, list[float]] = {k: [] for k in ("api", "income_html", "dashboard_html",
                                                         "income_page", "dashboard_page")}
        for _ in range(repeat):
            times["api"].append(fetch(api))
            times["income_html"].append(fetch(income))
            times["dashboard_html"].append(fetch(dashboard))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for url in (income, dashboard):
                    _settle(browser, url)  # the browser's own first start is not timed
                for number in range(repeat):
                    for key, url in (("income_page", income), ("dashboard_page", dashboard)):
                        times[key].append(_settle(browser, url))
                        log(f"  fava {key:<15} run {number + 1}: {times[key][-1]:6.2f} s settled")
            finally:
                browser.close()
        peak = _peak_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return PageTimes(times["api"], times["income_html"], times["dashboard_html"],
                     times["income_page"], times["dashboard_page"], peak, load_seconds,
                     books.transactions)


def _wait_for(base: str, server: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 600
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=300) as response:
                return response.url.rstrip("/").split("/")[3]
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("kcst dashboard did not start") from None
            time.sleep(0.5)


def _settle(browser, url: str) -> float:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="load", timeout=600_000)
        if response is None or response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status if response else '?'}")
        page.wait_for_load_state("networkidle", timeout=600_000)
        return float(page.evaluate(SETTLED)) / 1000
    finally:
        context.close()


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------------------------------
# The plugin's share of one load, inside one process


@dataclass(frozen=True)
class Share:
    """The plugin's own CPU time and the whole load's, measured in the same process."""

    size: str
    load: tuple[float, ...]  # seconds of CPU: Beancount's whole load, the plugin included
    plugin: tuple[float, ...]  # seconds of CPU: the plugin function alone

    @property
    def load_cpu(self) -> float:
        """The median CPU time of the whole load."""
        return statistics.median(self.load)

    @property
    def plugin_cpu(self) -> float:
        """The median CPU time of the plugin function."""
        return statistics.median(self.plugin)

    @property
    def ratio(self) -> float:
        """The median of (load / load without the plugin) over the runs."""
        pairs = zip(self.load, self.plugin, strict=True)
        return statistics.median(ratio(load, load - own) for load, own in pairs)


SHARE = """\
import json, sys, time
from beancount import loader
import kcst_budget.plugin as plugin
own = []
judged = plugin.kcst_budget
def timed(*args, **kwargs):
    start = time.process_time()
    try:
        return judged(*args, **kwargs)
    finally:
        own.append(time.process_time() - start)
plugin.kcst_budget = timed  # the loader looks the plugin function up by name when it loads
start = time.process_time()
entries, errors, options = loader.load_file(sys.argv[1])
print(json.dumps({"load": time.process_time() - start, "plugin": sum(own), "calls": len(own)}))
"""


def measure_share(books: Books, repeat: int, log: Callable[[str], None]) -> Share:
    """Load the books ``repeat`` times, each in a fresh process, timing the plugin inside the
    load: a ratio no change in the machine's load between two processes can move."""
    loads, plugins = [], []
    for number in range(repeat):
        done = subprocess.run([sys.executable, "-c", SHARE, str(books.main)], env=ENV,
                              capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout)
        if figures["calls"] != 1:
            raise RuntimeError(f"the plugin ran {figures['calls']} times loading {books.main}")
        loads.append(figures["load"])
        plugins.append(figures["plugin"])
        log(f"{books.size:>5} plugin share           run {number + 1}: {figures['load']:6.2f} s "
            f"load, {figures['plugin']:6.3f} s of it the plugin")
    return Share(books.size, tuple(loads), tuple(plugins))


# ---------------------------------------------------------------------------------------
# The machine


def machine() -> list[tuple[str, str]]:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor() or "?")
    memory = next((line.split(":", 1)[1].strip() for line in _lines("/proc/meminfo")
                   if line.startswith("MemTotal")), "?")
    if memory.endswith(" kB"):
        memory = f"{int(memory.split()[0]) / 1024 / 1024:.1f} GiB"
    versions = ", ".join(f"{name} {_version(name)}" for name in
                         ("beancount", "fava", "kcst-budget", "playwright", "hypothesis"))
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                                  timeout=60).stdout.strip()
    except OSError:
        chromium = "not installed"
    return [("CPU", f"{cpu}, {os.cpu_count()} cores available"), ("Memory", memory),
            ("System", platform.platform()),
            ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
            ("Packages", versions), ("Browser", chromium)]


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


# ---------------------------------------------------------------------------------------
# The report


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def verdict(value: float, goal: float) -> str:
    return "met" if value <= goal else "**missed**"


def report(results: dict[str, list[Measured]], sizes: dict[str, int],
           fava: PageTimes | None, started: datetime.datetime, seconds: float,
           loads: tuple[tuple[float, ...], tuple[float, ...]],
           shares: Sequence[Share] = ()) -> str:
    cpu_total = sum(r.cpu for measured in results.values() for m in measured for r in m.runs)
    lines = [f"Measured {started:%Y-%m-%d %H:%M} UTC by `make bench` "
             f"(`python -m benchmarks.bench`) in {seconds / 60:.1f} minutes.", ""]
    lines += ["| Machine | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in machine()]
    lines.append(f"| Load average (1, 5, 15 min) | {_load(loads[0])} at the start, "
                 f"{_load(loads[1])} at the end |")
    lines += ["", f"Books: `tools.synthetic`, seed 0, two years (2018/19-2019/20), three "
              "partners, three posts, kept by construction (so every command should exit 0; see Exit); "
              "`BEANCOUNT_DISABLE_LOAD_CACHE=1` and `bean-check -C`. The runs of all commands are "
              "interleaved; CPU time is user + system; ratios are of the least CPU time of "
              "each command's runs (the run the machine's other work disturbed least; the "
              "median is shown beside it); peak memory is the process's maximum resident set. "
              f"All runs together took {cpu_total / 60:.1f} CPU minutes.", ""]
    header = "| Command | Books | Runs | Wall, median (s) | CPU, least (s) | CPU, median (s) | " \
             "Peak MB | CPU / floor | CPU / bean-check + plugin | Exit |"
    lines += [header, "|---|---|---|---|---|---|---|---|---|---|"]
    by: dict[tuple[str, str], Measured] = {}
    for size, measured in results.items():
        for m in measured:
            by[m.command, size] = m
        floor = next(m for m in measured if m.command == "bean-check (no plugin)")
        plugin = next(m for m in measured if m.command == "bean-check + plugin")
        for m in measured:
            exits = ",".join(str(r.returncode) for r in m.runs)
            lines.append(f"| {m.command} | {size} ({sizes[size]:,}) | {len(m.runs)} | "
                         f"{m.wall:.2f} | {m.cpu:.2f} | {m.cpu_median:.2f} | {m.peak_mb:.0f} | "
                         f"{ratio(m.cpu, floor.cpu):.3f} | {ratio(m.cpu, plugin.cpu):.3f} | "
                         f"{exits} |")
    lines.append("")
    names = [c.command for c in next(iter(results.values()))]
    small, large = [*results, None, None][:2]
    if small and large:
        lines += [f"Scaling {small} -> {large} ({sizes[large] // sizes[small]}x the "
                  "transactions):", "",
                  "| Command | CPU ratio (least) | CPU ratio (median) | Wall ratio (median) | "
                  "Peak MB ratio |", "|---|---|---|---|---|"]
        for name in names:
            a, b = by[name, small], by[name, large]
            lines.append(f"| {name} | {ratio(b.cpu, a.cpu):.2f} | "
                         f"{ratio(b.cpu_median, a.cpu_median):.2f} | {ratio(b.wall, a.wall):.2f} | "
                         f"{ratio(b.peak_mb, a.peak_mb):.2f} |")
        lines.append("")
    if shares:
        lines += ["The plugin inside one load (`loader.load_file` with the plugin function timed "
                  "in the same process, so no change in the machine's load between processes "
                  "moves the ratio; importing the package is not counted):", "",
                  "| Books | Runs | Load CPU (s) | Plugin CPU (s) | Plugin share | "
                  "Load / load without the plugin |", "|---|---|---|---|---|---|"]
        for share in shares:
            lines.append(f"| {share.size} ({sizes[share.size]:,}) | {len(share.load)} | "
                         f"{share.load_cpu:.2f} | {share.plugin_cpu:.3f} | "
                         f"{share.plugin_cpu / share.load_cpu:.1%} | {share.ratio:.3f} |")
        lines.append("")
    if fava is not None:
        med = statistics.median
        lines += [f"Fava (`kcst dashboard`, one warm server) on {fava.transactions:,} "
                  f"transactions: the server answered {fava.load_seconds:.1f} s after starting "
                  f"(loading the books); peak memory {fava.server_peak_mb:.0f} MB. Median of "
                  f"{len(fava.api)} runs, wall time.", "",
                  "| Request | Median (s) | Ratio |", "|---|---|---|",
                  f"| `api/income_statement` (HTTP) | {med(fava.api):.3f} | |",
                  f"| income statement page HTML (HTTP) | {med(fava.income_html):.3f} | 1.00 |",
                  f"| KCST dashboard page HTML (HTTP) | {med(fava.dashboard_html):.3f} | "
                  f"{ratio(med(fava.dashboard_html), med(fava.income_html)):.2f} |",
                  f"| income statement page, settled in chromium | {med(fava.income_page):.3f} "
                  "| 1.00 |",
                  f"| KCST dashboard page, settled in chromium | {med(fava.dashboard_page):.3f} | "
                  f"{ratio(med(fava.dashboard_page), med(fava.income_page)):.2f} |", ""]
    lines += ["Goals:", ""]
    goals = _goals(by, results, small, large, fava)
    goals[len(results):len(results)] = [
        (f"plugin inside one load: load / load without the plugin, {s.size}", s.ratio,
         PLUGIN_GOAL, f"; median of {len(s.load)} run(s)") for s in shares]
    lines += [f"- {text}: {value:.3f} (goal <= {goal}{note}) -- {verdict(value, goal)}"
              for text, value, goal, note in goals]
    return "\n".join(lines) + "\n"


def _goals(by: dict[tuple[str, str], Measured], results: dict[str, list[Measured]],
           small: str | None, large: str | None,
           fava: PageTimes | None) -> list[tuple[str, float, float, str]]:
    """(what, value, goal, note) of each goal: CPU ratios of the least runs, the ratio of
    the medians in the note."""
    def cpu(text: str, over: Measured, under: Measured, goal: float) -> tuple[str, float, float, str]:
        return (text, ratio(over.cpu, under.cpu), goal,
                f"; of the medians {ratio(over.cpu_median, under.cpu_median):.3f}")

    goals = []
    for size in results:
        goals.append(cpu(f"plugin: bean-check + plugin / bean-check, {size}",
                         by["bean-check + plugin", size], by["bean-check (no plugin)", size],
                         PLUGIN_GOAL))
    for size in results:
        if ("kcst record", size) in by:
            record, load = by["kcst record", size], by["bean-check + plugin", size]
            goals.append((f"kcst record / two loads of the same books (2 x bean-check + plugin), "
                          f"{size}", ratio(record.cpu, 2 * load.cpu), RECORD_GOAL,
                          f"; of the medians {ratio(record.cpu_median, 2 * load.cpu_median):.3f}"))
    top = large or small
    if top:
        goals.append(cpu(f"kcst audit / bean-check (no plugin), {top}", by["kcst audit", top],
                         by["bean-check (no plugin)", top], AUDIT_GOAL))
        goals.append(cpu(f"kcst audit / bean-check + plugin (the same books), {top}",
                         by["kcst audit", top], by["bean-check + plugin", top], AUDIT_GOAL))
    if fava is not None:
        goals.append(("dashboard page / income statement page, settled",
                      ratio(statistics.median(fava.dashboard_page),
                            statistics.median(fava.income_page)), DASHBOARD_GOAL, ""))
    if small and large:
        for m in results[small]:
            goals.append(cpu(f"{m.command}, {small} -> {large}", by[m.command, large], m,
                             SCALING_GOAL))
    return goals


def _load(values: Sequence[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def write_doc(doc: Path, text: str) -> None:
    """Put the figures between the markers, keeping everything written around them."""
    block = f"{BEGIN}\n{text}{END}"
    if doc.exists():
        current = doc.read_text(encoding="utf-8")
        if BEGIN in current and END in current:
            head, rest = current.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            doc.write_text(head + block + tail, encoding="utf-8")
            return
        doc.write_text(current.rstrip("\n") + "\n\n" + block + "\n", encoding="utf-8")
        return
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text("# Performance\n\nFigures of the last `make bench`:\n\n" + block + "\n",
                   encoding="utf-8")


# ---------------------------------------------------------------------------------------
# The command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__
                                     .split("\n\n")[0])
    parser.add_argument("--sizes", default="10k=10000,100k=100000",
                        help="books to measure, name=transactions,... (default 10k and 100k)")
    parser.add_argument("--fava", type=int, default=30000,
                        help="transactions of the books Fava serves (0: no Fava; default 30000)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of both bean-checks and kcst audit (default: 5 on the "
                        "smaller books, 3 on the largest)")
    parser.add_argument("--repeat-others", type=int, default=None,
                        help="runs of forecast, check and record (default: 3 on the smaller "
                        "books, 1 on the largest, to stay within ten minutes)")
    parser.add_argument("--out", type=Path, default=Path("bench-out"),
                        help="folder for the generated books (git-ignored)")
    parser.add_argument("--doc", type=Path, default=Path("docs/performance.md"),
                        help="where to write the figures ('-' for nowhere)")
    args = parser.parse_args(argv)
    try:
        sizes = {name: int(count) for name, count in
                 (item.split("=") for item in args.sizes.split(","))}
    except ValueError:
        print(f"benchmarks.bench: --sizes: {args.sizes!r} is not like 10k=10000,100k=100000",
              file=sys.stderr)
        return 2
    if (args.repeat is not None and args.repeat < 1) \
            or (args.repeat_others is not None and args.repeat_others < 1):
        print("benchmarks.bench: --repeat: at least 1", file=sys.stderr)
        return 2

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = datetime.datetime.now(datetime.UTC)
    clock = time.perf_counter()
    load_start = os.getloadavg()
    record = has_record()
    if not record:
        log("kcst record is not in this build: it is left out of the table")
    books = {name: books_of_size(args.out, name, count, log) for name, count in sizes.items()}
    fava_books = books_of_size(args.out, f"fava-{args.fava // 1000}k", args.fava, log) \
        if args.fava else None
    results: dict[str, list[Measured]] = {}
    largest = max(sizes, key=lambda n: sizes[n])
    shares: list[Share] = []
    for name, each in books.items():
        big = name == largest and len(sizes) > 1
        repeat = args.repeat or (3 if big else 5)
        others = args.repeat_others or (1 if big else 3)
        results[name] = measure_size(each, repeat, others, record, log)
        shares.append(measure_share(each, 1 if big else repeat, log))
    fava = measure_fava(fava_books, max(3, args.repeat or 3), log) if fava_books else None
    seconds = time.perf_counter() - clock
    text = report(results, sizes, fava, started, seconds, (load_start, os.getloadavg()), shares)
    print(text)
    if str(args.doc) != "-":
        write_doc(args.doc, text)
        log(f"wrote {args.doc}")
    (args.out / "last-run.json").write_text(json.dumps({
        "started": started.isoformat(), "seconds": seconds,
        "results": {size: [{"command": m.command, "wall": [r.wall for r in m.runs],
                            "cpu": [r.cpu for r in m.runs], "peak_kb": [r.peak_kb for r in m.runs],
                            "exit": [r.returncode for r in m.runs]} for m in measured]
                    for size, measured in results.items()},
        "shares": {s.size: {"load": s.load, "plugin": s.plugin} for s in shares},
        "fava": fava.__dict__ if fava else None}, indent=2))
    failed = [m for measured in results.values() for m in measured if not m.ok]
    for m in failed:
        log(f"{m.command} on {m.size} exited {[r.returncode for r in m.runs]}: "
            f"{m.runs[0].stderr[-2000:]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

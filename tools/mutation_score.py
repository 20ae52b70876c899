"""The mutation score of the last ``make mutate`` run, by part: rules/, money/, mou.py and
seal.py; each surviving mutant listed (``mutmut show NAME`` prints its diff).

    python -m tools.mutation_score [--survivors]

Reads mutmut's results under ``mutants/`` (mutmut 3.x). A mutant is killed when a test
failed (or timed out) with it in place; "no tests" means no selected test runs the
mutated function. The score is killed / (killed + survived + no tests).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

MUTANTS = Path("mutants")
PARTS = ("kcst_budget/rules/", "kcst_budget/money/", "kcst_budget/mou.py", "kcst_budget/seal.py")
KILLED = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout",
          152: "timeout", 255: "timeout", 37: "killed"}
OTHER = {0: "survived", 5: "no tests", 33: "no tests", None: "not checked", 34: "skipped"}


def outcome(code: int | None) -> str:
    return KILLED.get(code) or OTHER.get(code) or "suspicious"  # type: ignore[arg-type]


def results() -> dict[str, dict[str, str]]:
    """Part -> {mutant name: outcome}."""
    found: dict[str, dict[str, str]] = {part: {} for part in PARTS}
    for meta in sorted(MUTANTS.glob("kcst_budget/**/*.py.meta")):
        source = str(meta.relative_to(MUTANTS))[: -len(".meta")]
        part = next((p for p in PARTS if source.startswith(p)), None)
        if part is None:
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        found[part].update({name: outcome(code) for name, code in codes.items()})
    return found


def main(argv: list[str]) -> int:
    if not MUTANTS.is_dir():
        print("mutation_score: no mutants/ here: run `make mutate` first", file=sys.stderr)
        return 2
    by_part = results()
    print(f"{'part':<22}{'mutants':>8}{'killed':>8}{'survived':>10}{'no tests':>10}{'score':>8}")
    for part, outcomes in by_part.items():
        counts = Counter("killed" if o in ("killed", "timeout") else o for o in outcomes.values())
        judged = counts["killed"] + counts["survived"] + counts["no tests"]
        score = f"{100 * counts['killed'] / judged:.1f}%" if judged else "-"
        print(f"{part:<22}{len(outcomes):>8}{counts['killed']:>8}{counts['survived']:>10}"
              f"{counts['no tests']:>10}{score:>8}")
    if "--survivors" in argv:
        for outcomes in by_part.values():
            for name, result in sorted(outcomes.items()):
                if result not in ("killed", "timeout"):
                    print(f"{result:<10} {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

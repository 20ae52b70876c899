"""Re-seal the illustrative books after the seal's canonical form or their terms change.

    python -m tools.reseal ledger/main.beancount ledger/examples/lapses.beancount

Rewrites each ``kcst-year-end`` record's ``digest:`` to the digest of the books as they
stand now, in date order (a later seal covers the earlier records, digests and all, so
each is re-sealed after the one before it). A tool for the
project's own example books only: on real books this is exactly the change the seal
exists to catch, and ``kcst audit --since`` still shows it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kcst_budget.books import load_books


def reseal(main: Path) -> list[str]:
    """Bring every year-end digest of the books at ``main`` up to date; what changed."""
    changed = []
    for _ in range(100):
        books = load_books(main)
        stale = next((y for y in books.terms.year_ends
                      if y.digest is not None and y.digest != books.seal_now(y)), None)
        if stale is None:
            return changed
        path = Path(stale.source.filename)
        text = path.read_text(encoding="utf-8")
        if text.count(stale.digest) != 1:
            raise SystemExit(f"{stale.source}: its digest is not found once in {path}")
        path.write_text(text.replace(stale.digest, books.seal_now(stale)), encoding="utf-8")
        changed.append(f"{stale.source}: {stale.fy} re-sealed")
    raise SystemExit(f"{main}: the seals did not settle")


def main(argv: list[str]) -> int:
    for name in argv:
        for line in reseal(Path(name)):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

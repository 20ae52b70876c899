"""The seal of a closed period: the canonical form of the books' entries and its digest.

``kcst close-year 2018/19`` writes the year-end record with the digest of every entry
dated on or before the FY's last day (spec section 3)::

    2019-03-31 custom "kcst-year-end" "2018/19" -4890.00 GBP
      digest: "sha256:..."

The digest is a sha256 over every entry dated on or before the FY's last day, each in a
canonical form: its type, date and fields, metadata without ``filename``/``lineno`` (and
Beancount's internal ``__`` keys), numbers by value (``16000.0`` = ``16000.00``), tags and
links sorted; the entries' lines are sorted before hashing. So ``bean-format``, moving an
entry to another included file or reordering same-day entries changes nothing, while any
change of a date, amount, account, payee, narration, flag, tag, link, cost, price,
metadata (the entry's or a posting's) or ``kcst-`` directive does.

The seals form a chain: the earlier ``kcst-year-end`` records, digests and all, are
entries of the period like any other, so each digest covers the seals before it. Only
the record that carries a digest is left out of it (sealing must not change what it
seals): ``chain`` gives the digest each record must carry, leaving out that record alone.
The caller passes every entry that stands in a source file and nothing else (the books
know which entries the plugin generated, by identity: ``Reading.in_source``); nothing
written in a file, metadata included, takes an entry out.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

_SKIPPED_META = frozenset({"filename", "lineno"})


def canonical(entry: data.Directive) -> str:
    """One entry as one line of text, independent of its file, line and layout."""
    if type(entry) is data.Transaction:
        return _canon_transaction(entry)
    return f"{type(entry).__name__}|{_canon(entry._asdict())}"


def _canon_transaction(txn: data.Transaction) -> str:
    """``canonical`` of a transaction, the bulk of any ledger, without the generic walk:
    the same text as ``_canon(txn._asdict())`` (the fields in sorted order), built
    directly. ``test_canonical_fast_path_equals_the_generic_form`` holds them equal.

    Every load of sealed books serialises each sealed transaction (period-lock), so the
    usual posting -- a finite amount, no cost, price or flag, no metadata of its own -- is
    its account's and currency's fixed text (built once) and its number.
    """
    meta, date, flag, payee, narration, tags, links, txn_postings = txn
    postings = []
    append = postings.append
    plain = _PLAIN_POSTING
    for posting in txn_postings:
        account, units, cost, price, posting_flag, posting_meta = posting
        if (cost is None and price is None and posting_flag is None and type(units) is Amount
                and posting_meta is not None and len(posting_meta) == 2
                and "filename" in posting_meta and "lineno" in posting_meta):
            number = units.number
            if number is not None and number.is_finite():
                head = plain.get((account, units.currency))
                if head is None:
                    head = _plain_posting(account, units.currency)
                append(f"{head}{_number(number)}}})}})")
                continue
        append(_canon_posting(posting))
    return (f"Transaction|{{date={date.isoformat()},"
            f"flag={repr(flag) if type(flag) is str else _scalar(flag)},"
            f"links={'{}' if type(links) is frozenset and not links else _canon_set(links)},"
            f"meta={_canon_meta(meta)},"
            f"narration={repr(narration) if type(narration) is str else _scalar(narration)},"
            f"payee={repr(payee) if type(payee) is str else _scalar(payee)},"
            f"postings=[{','.join(postings)}],"
            f"tags={'{}' if type(tags) is frozenset and not tags else _canon_set(tags)}}}")


def _number(number: Decimal) -> str:
    """A finite number by value: ``format(number.normalize(), "f")``. A number written
    with no trailing zero, no exponent and fewer digits than the context's precision is
    already in that form (``290.03``), and is taken as written."""
    text = str(number)
    if len(text) < 28 and text[-1] != "0" and "E" not in text:
        return text
    return format(number.normalize(), "f")


#: (account, currency) -> the canonical text of a plain posting up to its number.
_PLAIN_POSTING: dict[tuple[str, str], str] = {}


def _plain_posting(account: str, currency: str) -> str:
    head = _PLAIN_POSTING[(account, currency)] = (
        _posting_head(account, "~", "~", "{}", "~") + _amount_head(currency))
    return head


def _canon_posting(p: data.Posting) -> str:
    units = p.units
    if type(units) is Amount and units.number is not None and units.number.is_finite():
        amount = f"{_amount_head(units.currency)}{_number(units.number)}}})"
    else:
        amount = _canon(units)
    head = _posting_head(p.account, "~" if p.cost is None else _canon(p.cost),
                         "~" if p.flag is None else _scalar(p.flag), _canon_meta(p.meta),
                         "~" if p.price is None else _canon(p.price))
    return f"{head}{amount}}})"


def _posting_head(account: str, cost: str, flag: str, meta: str, price: str) -> str:
    """A posting's canonical text up to its units (its fields in sorted order)."""
    return f"Posting({{account={account!r},cost={cost},flag={flag},meta={meta},price={price},units="


def _amount_head(currency: str) -> str:
    """An amount's canonical text up to its number."""
    return f"Amount({{currency={currency!r},number="


def _scalar(value: Any) -> str:
    if type(value) is str:
        return repr(value)
    return _canon(value)


def _canon_set(value: Any) -> str:
    return "{}" if type(value) is frozenset and not value else _canon(value)


def _canon_meta(meta: dict[str, Any] | None) -> str:
    if meta is None:
        return "~"
    keys = tuple(meta)
    kept = _META_KEPT.get(keys)
    if kept is None:
        kept = _META_KEPT[keys] = tuple(sorted(
            k for k in keys if k not in _SKIPPED_META and not str(k).startswith("__")))
    if not kept:
        return "{}"
    parts = []
    for key in kept:
        value = meta[key]
        parts.append(f"{key}={value!r}" if type(value) is str else f"{key}={_scalar(value)}")
    return "{" + ",".join(parts) + "}"


#: A metadata dict's keys, in its order -> the keys the canonical form keeps, sorted.
_META_KEPT: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def digest(entries: Iterable[data.Directive], through: datetime.date,
           own: data.Directive | None = None) -> str:
    """``sha256:<hex>`` of every entry dated on or before ``through``, except ``own`` (the
    year-end record that carries the digest, when it is among ``entries``)."""
    if own is None:
        return digests(entries, [through])[through]
    return chain(entries, [own])[0]


def digests(entries: Iterable[data.Directive],
            through_dates: Sequence[datetime.date]) -> dict[datetime.date, str]:
    """The digest of every entry dated on or before each of several dates, serialising
    every entry once."""
    lines = canonical_lines(entries)
    result: dict[datetime.date, str] = {}
    hasher = hashlib.sha256()
    index = 0
    for cutoff in sorted(set(through_dates)):
        while index < len(lines) and lines[index][0] <= cutoff:
            _feed(hasher, lines[index][1])
            index += 1
        result[cutoff] = "sha256:" + hasher.copy().hexdigest()
    return result


def chain(entries: Iterable[data.Directive], records: Sequence[data.Directive]) -> list[str]:
    """The digest each year-end record must carry, in the order given: every entry dated on
    or before the record's date except that record itself (spec section 3).

    Each record's own line is left out once: two records with the same canonical text
    (a copy) give the same digest whichever of them is left out.
    """
    lines = canonical_lines(entries)
    order = sorted(range(len(records)), key=lambda i: records[i].date)
    result = [""] * len(records)
    hasher = hashlib.sha256()  # every line dated before the current record's day
    index = 0
    for position in order:
        record = records[position]
        start = index
        while index < len(lines) and lines[index][0] < record.date:
            index += 1
        if index > start:  # the same bytes as line by line, in one update
            hasher.update("".join(text + "\n" for _, text in lines[start:index]).encode("utf-8"))
        own, skipped = canonical(record), False
        day = hasher.copy()
        for date, text in itertools.islice(lines, index, None):
            if date != record.date:
                break
            if text == own and not skipped:
                skipped = True
                continue
            _feed(day, text)
        result[position] = "sha256:" + day.hexdigest()
    return result


def _feed(hasher: Any, line: str) -> None:
    hasher.update(line.encode("utf-8"))
    hasher.update(b"\n")


def canonical_lines(entries: Iterable[data.Directive]) -> list[tuple[datetime.date, str]]:
    """(date, canonical text) of every entry, sorted by date then text.

    Entries come in date order from the loader: then only each day's lines need sorting
    (a fraction of the comparisons of one sort of them all); any other order is sorted
    whole.
    """
    lines: list[tuple[datetime.date, str]] = []
    day: list[str] = []
    current: datetime.date | None = None
    in_order = True
    transaction = data.Transaction
    for entry in entries:
        # transactions, the bulk, without the generic walk
        text = _canon_transaction(entry) if type(entry) is transaction else canonical(entry)
        date = entry.date
        if date != current:
            if current is not None and date < current:
                in_order = False
            lines.extend((current, line) for line in sorted(day))  # type: ignore[misc]
            day, current = [], date
        day.append(text)
    lines.extend((current, line) for line in sorted(day))  # type: ignore[misc]
    return lines if in_order else sorted(lines)


def _canon(value: Any) -> str:
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, str | int | datetime.date):
        return repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, dict):
        items = sorted((str(k), _canon(v)) for k, v in value.items()
                       if k not in _SKIPPED_META and not str(k).startswith("__"))
        return "{" + ",".join(f"{k}={v}" for k, v in items) + "}"
    if isinstance(value, frozenset | set):
        return "{" + ",".join(sorted(_canon(v) for v in value)) + "}"
    if isinstance(value, type):  # a custom value's dtype
        return value.__name__
    if hasattr(value, "_asdict"):
        return type(value).__name__ + "(" + _canon(value._asdict()) + ")"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canon(v) for v in value) + "]"
    return repr(value)



"""The seal, as a property: on books whose 2017/18 and 2018/19 are closed by ``kcst close-year``,

- any single change to any field of any entry dated in the sealed period -- its date,
  amount, account, payee, narration, flag, tags, links, metadata, a posting's flag or
  metadata, a cost, a price, a ``kcst-`` directive's values, the earlier year-end record --
  or adding an entry there, removing one, or taking one out of the included files, is a
  ``period-lock`` breach (the last year-end's own amount, which its digest does not cover,
  is a ``roll-forward`` breach);
- reordering the entries, moving them between included files, ``bean-format``, comments,
  blank lines and numbers written with other trailing zeros are not.

Each example renders the books from a small model, writes them to a fresh folder and loads
them with the real loader and plugin.
"""

from __future__ import annotations

import dataclasses
import datetime
import tempfile
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.scripts.format import align_beancount
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kcst_budget.books import Books, load_books
from kcst_budget.closing import close_year
from kcst_budget.periods import FinancialYear
from kcst_budget.rules import judge, rule
from kcst_budget.rules.period_lock import PreviousAudit, seals, since

from ..conftest import HEAD

D = datetime.date
SEALED_TO = D(2019, 3, 31)
AS_OF = D(2019, 6, 30)
#: HEAD opens the Expenses accounts on 1 January 2018, the rest on 1 April 2017.
EXPENSES_OPENED = D(2018, 1, 1)
ANY_DAY = (D(2017, 4, 2), AS_OF)
EXTRA_ACCOUNTS = """\
2017-04-01 commodity SHR
2017-04-01 open Assets:KFRS:Shares SHR
2017-04-01 open Assets:KFRS:Petty GBP
"""
#: Another open account of the same kind, for a posting moved to the wrong account.
OTHER_ACCOUNT = {
    "Income:Contributions:KCC": "Income:Contributions:KP",
    "Income:Contributions:KP": "Income:Contributions:KFRS",
    "Expenses:Accommodation:HotDesking": "Expenses:Staff:Other",
    "Expenses:Staff:Coordinator": "Expenses:Staff:Analyst",
    "Assets:KFRS:KCST-Pool": "Equity:Withdrawn:KFRS",
}
SETTINGS = settings(max_examples=100, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
#: Single changes are many kinds (about 25): more examples, so each kind comes up.
CHANGES = settings(SETTINGS, max_examples=400)


# ---- The model: entries as the finance officer writes them --------------------------------

@dataclass(frozen=True)
class Posting:
    account: str
    number: Decimal
    currency: str = "GBP"
    cost: Decimal | None = None
    price: Decimal | None = None
    flag: str | None = None
    meta: tuple[tuple[str, str], ...] = ()

    def text(self, zeros: int) -> str:
        number = f"{self.number:.{2 + zeros}f}"
        line = f"  {self.flag + ' ' if self.flag else ''}{self.account}  {number} {self.currency}"
        if self.cost is not None:
            line += f" {{{self.cost} GBP}}"
        if self.price is not None:
            line += f" @ {self.price} GBP"
        return "\n".join([line, *(f"    {k}: {v}" for k, v in self.meta)])


@dataclass(frozen=True)
class Txn:
    date: D
    payee: str
    narration: str
    postings: tuple[Posting, ...]
    flag: str = "*"
    tags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    earliest: D = EXPENSES_OPENED  # the last opening of its accounts

    def text(self, zeros: int = 0) -> str:
        head = f'{self.date} {self.flag} "{self.payee}" "{self.narration}"'
        head += "".join(f" #{t}" for t in self.tags) + "".join(f" ^{x}" for x in self.links)
        return "\n".join([head, *(f"  {k}: {v}" for k, v in self.meta),
                          *(p.text(zeros) for p in self.postings)])


@dataclass(frozen=True)
class Plain:
    """Any other directive: its date, the rest of its first line, its metadata, and the
    other ways it could be written (an amended value)."""

    date: D
    head: str
    meta: tuple[tuple[str, str], ...] = ()
    variants: tuple[str, ...] = ()
    meta_variants: tuple[tuple[str, str], ...] = ()  # (key, another value)
    dates: tuple[D, D] | None = ANY_DAY  # None: the date is fixed
    removable: bool = True
    extra_meta: bool = True  # whether a key of its own may be added

    def text(self, zeros: int = 0) -> str:
        return "\n".join([f"{self.date} {self.head}", *(f"  {k}: {v}" for k, v in self.meta)])


Entry = Txn | Plain


def contribution(date: D, partner: str, amount: str, ref: str) -> Txn:
    return Txn(date, partner, "Contribution", (
        Posting("Assets:KFRS:KCST-Pool", Decimal(amount)),
        Posting(f"Income:Contributions:{partner}", -Decimal(amount))),
        meta=(("ref", f'"{ref}"'),), earliest=D(2017, 4, 1))


SEALED: tuple[Entry, ...] = (
    Plain(D(2017, 4, 1), 'custom "kcst-partner" "KP" "Kent Police"', dates=None,
          variants=('custom "kcst-partner" "KP" "Kent Police Authority"',)),
    contribution(D(2018, 2, 15), "KCC", "10000.00", "KCC-1718"),
    contribution(D(2018, 3, 20), "KP", "10000.00", "KP-1718"),
    Txn(D(2017, 6, 1), "Broker", "Shares held for the pool", (
        Posting("Assets:KFRS:Shares", Decimal(2), "SHR", cost=Decimal("10.00"),
                price=Decimal("11.00"), meta=(("lot", '"A"'),)),
        Posting("Assets:KFRS:KCST-Pool", Decimal("-20.00"), flag="!")),
        flag="!", tags=("audit",), links=("inv-42",), meta=(("ref", '"BRK-1"'),),
        earliest=D(2017, 4, 1)),
    Plain(D(2018, 1, 10), 'note Assets:KFRS:KCST-Pool "Bank mandate signed"',
          variants=('note Assets:KFRS:KCST-Pool "Bank mandate revoked"',)),
    Plain(D(2018, 1, 11), 'event "location" "Maidstone"',
          variants=('event "location" "Rochester"',)),
    Plain(D(2018, 2, 1), "balance Assets:KFRS:Petty  0.00 GBP", meta=(("checked", '"FO"'),)),
    Plain(D(2018, 7, 1), "price SHR  12.00 GBP", variants=("price SHR  12.50 GBP",)),
    Plain(D(2018, 5, 10), 'custom "kcst-meeting" "SMT"',
          meta=(("kcc", '"present"'), ("kfrs", '"present"'), ("kp", '"deputy"'),
                ("budget-reviewed", "TRUE")),
          meta_variants=(("kp", '"present"'), ("kcc", '"apologies"'),
                         ("budget-reviewed", "FALSE")), extra_meta=False),
    Plain(D(2018, 5, 10), 'custom "kcst-decision" "D-2018-05-1" "Hot-desking works"',
          meta=(("limit", "8000.00 GBP"),),
          variants=('custom "kcst-decision" "D-2018-05-1" "Hot-desking works, Loose Road"',),
          meta_variants=(("limit", "9000.00 GBP"),)),
    contribution(D(2018, 4, 18), "KP", "16000.00", "KP-1819"),
    Txn(D(2018, 6, 14), "Office Interiors Ltd", "Hot-desk furniture", (
        Posting("Expenses:Accommodation:HotDesking", Decimal("5120.00")),
        Posting("Assets:KFRS:KCST-Pool", Decimal("-5120.00"))),
        meta=(("ref", '"PO-1806"'), ("decision", '"D-2018-05-1"'))),
    Txn(D(2019, 3, 31), "KFRS Payroll", "Coordinator, March 2019", (
        Posting("Expenses:Staff:Coordinator", Decimal("3750.00")),
        Posting("Assets:KFRS:KCST-Pool", Decimal("-3750.00")))),
)
OPEN_YEAR: tuple[Entry, ...] = (contribution(D(2019, 5, 2), "KCC", "16000.00", "KCC-1920"),)


@dataclass(frozen=True)
class Books_:
    """The entries, and how they are laid out in files."""

    entries: tuple[Entry, ...]
    in_extra: frozenset[int] = frozenset()  # indices written to the included extra file
    outside: frozenset[int] = frozenset()  # indices written to a file nothing includes
    comments: frozenset[int] = frozenset()  # a comment and blank lines before these
    zeros: int = 0  # extra trailing zeros on amounts
    formatted: bool = False  # bean-format each file

    def write(self, folder: Path) -> Path:
        main, extra, outside = [HEAD, EXTRA_ACCOUNTS, 'include "extra.beancount"\n'], [], []
        for index, entry in enumerate(self.entries):
            text = entry.text(self.zeros) + "\n"
            if index in self.comments:
                text = f"\n; entry {index}, checked by the finance officer\n\n" + text
            (outside if index in self.outside else extra if index in self.in_extra
             else main).append("\n" + text)
        for name, parts in (("main.beancount", main), ("extra.beancount", extra),
                            ("outside.beancount", outside)):
            text = "".join(parts)
            (folder / name).write_text(align_beancount(text) if self.formatted else text)
        return folder / "main.beancount"


def loaded(model: Books_) -> Books:
    with tempfile.TemporaryDirectory(prefix="kcst-seal-property-") as scratch:
        books = load_books(model.write(Path(scratch)))
    assert not books.errors, [e.message for e in books.errors]
    return books


def findings(books: Books, rule_id: str) -> tuple:
    return judge(books, AS_OF, [rule(rule_id)]).results[0].findings


@pytest.fixture(scope="module")
def sealed() -> Books_:
    """The model books with 2017/18 and 2018/19 closed by ``kcst close-year`` (the chain:
    2018/19's seal covers 2017/18's record)."""
    model = Books_(SEALED + OPEN_YEAR)
    for start_year in (2017, 2018):
        with tempfile.TemporaryDirectory(prefix="kcst-seal-property-") as scratch:
            main = model.write(Path(scratch))
            close_year(main, FinancialYear(start_year), today=AS_OF)
            record = load_books(main).terms.year_end(FinancialYear(start_year))
        model = replace(model, entries=(*model.entries, Plain(
            record.date, f'custom "kcst-year-end" "{record.fy}" {record.amount} GBP',
            meta=(("digest", f'"{record.digest}"'),), dates=None, removable=True,
            extra_meta=start_year == 2017)))
    books = loaded(model)
    assert len([y for y in books.terms.year_ends if y.digest]) == 2
    assert findings(books, "period-lock") == () and findings(books, "roll-forward") == ()
    return model


# ---- Single changes --------------------------------------------------------------------

def _words() -> st.SearchStrategy[str]:
    return st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)


def _amounts() -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)


def kinds_of(entry: Entry) -> list[str]:
    """The single changes that can be made to ``entry`` (the ledger staying valid)."""
    kinds = ["remove", "outside", "add", "add generated", "copy"]
    if isinstance(entry, Txn):
        kinds += ["date", "flag", "payee", "narration", "tag", "link", "meta", "generated",
                  "account", "posting flag", "posting meta"]
        kinds += ["amount"] if all(p.cost is None for p in entry.postings) else ["cost", "price"]
        if entry.tags or entry.links or entry.meta:
            kinds += ["drop tag, link or key"]
        return kinds
    kinds = [k for k in kinds if entry.removable or k not in ("remove", "outside")]
    kinds += ["date"] if entry.dates else []
    kinds += ["variant"] if entry.variants else []
    kinds += ["meta value"] if entry.meta_variants else []
    kinds += ["meta"] if entry.extra_meta else []
    if '"kcst-year-end"' in entry.head:
        kinds += ["year-end amount", "digest"]
    return kinds


@st.composite
def single_change(draw: st.DrawFn, model: Books_) -> tuple[Books_, str, str]:
    """One change to one entry dated in the sealed period: (books, what, the rule that must
    fail)."""
    entries = list(model.entries)
    options: dict[str, list[int]] = {}
    for at, candidate in enumerate(entries):
        if candidate.date <= SEALED_TO:
            for possible in kinds_of(candidate):
                options.setdefault(possible, []).append(at)
    kind = draw(st.sampled_from(sorted(options)))  # each kind as likely, whatever the entries
    index = draw(st.sampled_from(options[kind]))
    entry = entries[index]
    last_record = isinstance(entry, Plain) and '"kcst-year-end" "2018/19"' in entry.head
    must_fail = "period-lock"
    if last_record and kind == "year-end amount":
        must_fail = "roll-forward"  # the record's own amount is outside its own digest
    elif last_record and kind in ("remove", "outside"):
        must_fail = "since"  # no later seal covers it: an audit made before shows it
    changed: Entry | None = entry
    added: Entry | None = None
    layout = {}
    if kind == "remove":
        changed = None
    elif kind == "outside":
        layout = {"outside": model.outside | {index}}
    elif kind in ("add", "add generated"):
        added = contribution(draw(st.dates(D(2017, 4, 1), SEALED_TO)), "KFRS",
                             str(draw(_amounts())), "NEW-" + draw(_words()))
        if kind == "add generated":  # issue 13's first attack: only the plugin's are outside
            added = replace(added, meta=(*added.meta, ("kcst-generated", "TRUE")))
    elif kind == "copy":
        added = next(e for e in entries if isinstance(e, Txn) and e.date <= SEALED_TO)
    elif kind == "date":
        first, last = (entry.earliest, AS_OF) if isinstance(entry, Txn) else entry.dates
        day = draw(st.dates(first, last).filter(lambda d: d != entry.date))
        changed = replace(entry, date=day)
    elif kind == "flag":
        changed = replace(entry, flag="!" if entry.flag == "*" else "*")
    elif kind in ("payee", "narration"):
        changed = replace(entry, **{kind: getattr(entry, kind) + " " + draw(_words())})
    elif kind == "tag":
        changed = replace(entry, tags=(*entry.tags, "t" + draw(_words())))
    elif kind == "link":
        changed = replace(entry, links=(*entry.links, "l" + draw(_words())))
    elif kind == "meta":
        changed = replace(entry, meta=(*entry.meta, ("note" + draw(_words()),
                                                     f'"{draw(_words())}"')))
    elif kind == "generated":
        changed = replace(entry, meta=(*entry.meta, ("kcst-generated", "TRUE")))
    elif kind == "drop tag, link or key":
        field_name = draw(st.sampled_from([f for f in ("tags", "links", "meta")
                                           if getattr(entry, f)]))
        changed = replace(entry, **{field_name: getattr(entry, field_name)[1:]})
    elif kind in ("account", "posting flag", "posting meta", "amount", "cost", "price"):
        changed = _posting_change(draw, entry, kind)
    elif kind == "variant":
        changed = replace(entry, head=draw(st.sampled_from(entry.variants)))
    elif kind == "meta value":
        key, value = draw(st.sampled_from(entry.meta_variants))
        changed = replace(entry, meta=tuple((k, value if k == key else v) for k, v in entry.meta))
    elif kind == "year-end amount":
        words = entry.head.split()
        words[-2] = str(Decimal(words[-2]) + draw(_amounts()))
        changed = replace(entry, head=" ".join(words))
    elif kind == "digest":
        digest = dict(entry.meta)["digest"]
        digit = draw(st.sampled_from([c for c in "0123456789abcdef" if c != digest[-2]]))
        changed = replace(entry, meta=(("digest", digest[:-2] + digit + '"'),))
    if changed is None:
        entries.pop(index)
    else:
        entries[index] = changed
    if added is not None:
        entries.append(added)
    return replace(model, entries=tuple(entries), **layout), kind, must_fail


def _posting_change(draw: st.DrawFn, entry: Txn, kind: str) -> Txn:
    postings = list(entry.postings)
    if kind == "account":
        at = draw(st.sampled_from([i for i, p in enumerate(postings)
                                   if p.account in OTHER_ACCOUNT]))
        postings[at] = replace(postings[at], account=OTHER_ACCOUNT[postings[at].account])
    elif kind == "posting flag":
        at = draw(st.sampled_from(range(len(postings))))
        postings[at] = replace(postings[at], flag=None if postings[at].flag else "!")
    elif kind == "posting meta":
        at = draw(st.sampled_from(range(len(postings))))
        postings[at] = replace(postings[at], meta=(*postings[at].meta,
                                                   ("memo", f'"{draw(_words())}"')))
    elif kind == "amount":
        delta = draw(_amounts())
        postings = [replace(postings[0], number=postings[0].number + delta),
                    replace(postings[1], number=postings[1].number - delta)]
    elif kind == "cost":
        cost = draw(_amounts().filter(lambda c: c != postings[0].cost))
        postings = [replace(postings[0], cost=cost),
                    replace(postings[1], number=-(postings[0].number * cost))]
    elif kind == "price":
        postings[0] = replace(postings[0],
                              price=draw(_amounts().filter(lambda p: p != postings[0].price)))
    return replace(entry, postings=tuple(postings))


@CHANGES
@given(data=st.data())
def test_any_single_change_in_a_sealed_period_is_a_breach(sealed: Books_,
                                                          data: st.DataObject) -> None:
    model, kind, must_fail = data.draw(single_change(sealed), label="change")
    event(kind)
    event(f"judged by {must_fail}")
    books = loaded(model)
    if must_fail == "since":
        before = PreviousAudit("audit-before.json", AS_OF, seals(loaded(sealed), AS_OF))
        found = list(since(books, AS_OF, before))
    else:
        found = [f for f in findings(books, must_fail) if f.severity == "breach"]
    assert found, f"{kind}: no {must_fail} breach"
    if must_fail == "roll-forward":
        assert any("year-end record carries forward" in f.message for f in found)


# ---- What is not a change -------------------------------------------------------------

@st.composite
def relaid(draw: st.DrawFn, model: Books_) -> Books_:
    count = len(model.entries)
    order = draw(st.permutations(range(count)))
    return replace(model, entries=tuple(model.entries[i] for i in order),
                   in_extra=frozenset(draw(st.sets(st.sampled_from(range(count))))),
                   comments=frozenset(draw(st.sets(st.sampled_from(range(count))))),
                   zeros=draw(st.integers(0, 2)), formatted=draw(st.booleans()))


@SETTINGS
@given(data=st.data())
def test_reordering_moving_between_files_formatting_and_comments_change_nothing(
        sealed: Books_, data: st.DataObject) -> None:
    books = loaded(data.draw(relaid(sealed), label="relaid"))
    assert findings(books, "period-lock") == ()
    assert findings(books, "roll-forward") == ()


def test_the_model_covers_every_kind_of_field() -> None:
    """The entries the property changes hold every field the brief names."""
    txns = [e for e in SEALED if isinstance(e, Txn)]
    postings = [p for t in txns for p in t.postings]
    assert any(t.tags for t in txns) and any(t.links for t in txns)
    assert any(t.flag == "!" for t in txns) and any(p.flag for p in postings)
    assert any(p.cost for p in postings) and any(p.price for p in postings)
    assert any(p.meta for p in postings)
    kinds = {e.head.split()[0] if isinstance(e, Plain) else "txn" for e in SEALED}
    assert kinds >= {"txn", "note", "event", "balance", "price", "custom"}
    assert {f.name for f in dataclasses.fields(Txn)} >= {
        "date", "payee", "narration", "postings", "flag", "tags", "links", "meta"}

"""Fava's writers keep out of sealed periods (spec section 7): its editor, entry editor,
add-entry form, import page and document links refuse any change dated on or before the
last year-end with an HTTP error naming the sealed FY, before anything is written; a change
of the open year still saves. Through Fava's real API on a copy of the bundled ledger
(sealed to 31 March 2020)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from beancount.core import data
from fava.beans.funcs import hash_entry
from flask.testing import FlaskClient
from typer.testing import CliRunner

from kcst_budget.cli import app as kcst_app
from kcst_budget.dashboard.server import make_app

from ..conftest import BUNDLED, year_end_line

FY_2019_20 = "2019-20.beancount"
SEALED_MESSAGE = ("which is sealed (the 2019/20 year-end at {where} covers every entry dated on "
                  "or before 31 March 2020): a sealed period is never changed; record a "
                  "correction in the current FY")


def folder_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".kcst.lock")}  # the lock, not the books


@dataclass
class Fava:
    client: FlaskClient
    api: str
    ledger: Any  # Fava's FavaLedger
    main: Path

    @property
    def folder(self) -> Path:
        return self.main.parent

    def source(self, name: str) -> dict[str, str]:
        response = self.client.get(f"{self.api}/source",
                                   query_string={"filename": str(self.folder / name)})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]

    def save(self, name: str, text: str) -> Any:
        shown = self.source(name)
        return self.client.put(f"{self.api}/source", json={
            "file_path": str(self.folder / name), "source": text,
            "sha256sum": shown["sha256sum"]})

    def entry(self, narration: str) -> data.Directive:
        self.ledger.changed()
        return next(e for e in self.ledger.all_entries
                    if getattr(e, "narration", None) == narration)

    def sealed_record(self) -> str:
        return f"{self.folder / FY_2019_20}:{year_end_line(self.folder / FY_2019_20, '2019/20')}"


@pytest.fixture
def main(tmp_path: Path) -> Path:
    """The main file of a copy of the bundled ledger."""
    folder = tmp_path / "ledger"
    shutil.copytree(BUNDLED.parent, folder, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return folder / "main.beancount"


def open_fava(main: Path) -> Fava:
    app = make_app(main)
    slug = app.config["LEDGERS"].first_slug()
    client = app.test_client()
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"  # a write from Fava's own page
    return Fava(client, f"/{slug}/api", app.config["LEDGERS"][slug], main)


@pytest.fixture
def fava(main: Path) -> Iterator[Fava]:
    yield open_fava(main)


def refused(response: Any, fava: Fava) -> str:
    """The error of a refused write: HTTP 409 and the reason, naming the sealed FY."""
    assert response.status_code == 409, response.get_json()
    message = response.get_json()["error"]
    assert SEALED_MESSAGE.format(where=fava.sealed_record()) in message
    assert message.endswith("nothing was written")
    return message


TOP_UP = '"Top-up 2019/20 agreed at the January 2019 review"'


def test_the_editor_refuses_an_edit_of_a_sealed_entry(fava: Fava) -> None:
    before = folder_digest(fava.folder)
    text = fava.source(FY_2019_20)["source"]
    legs = ("  Assets:KFRS:KCST-Pool                     20420.00 GBP\n"
            "  Income:Contributions:KFRS                -20420.00 GBP\n")
    assert text.count(legs) == 1
    message = refused(fava.save(FY_2019_20, text.replace(legs, legs.replace("204", "205"))), fava)
    assert message.startswith(f"kcst: the edit of {fava.folder / FY_2019_20} adds, changes or "
                              "removes an entry dated 18 April 2019, in 2019/20, which is sealed")
    assert folder_digest(fava.folder) == before


@pytest.mark.parametrize(("what", "old", "new"), [
    ("a narration", TOP_UP, TOP_UP[:-1] + ' (amended)"'),
    ("metadata", '  ref: "KFRS-AR-1920-002"\n', '  ref: "KFRS-AR-1920-002"\n  kcst-generated: TRUE\n'),
    ("the last year-end record", '"2019/20" 370.00 GBP', '"2019/20" 470.00 GBP'),
    ("the seal itself", '  digest: "sha256:', '  ; digest: "sha256:'),
])
def test_the_editor_refuses_any_change_in_the_sealed_period(fava: Fava, what: str, old: str,
                                                            new: str) -> None:
    before = folder_digest(fava.folder)
    text = fava.source(FY_2019_20)["source"]
    assert old in text, what
    refused(fava.save(FY_2019_20, text.replace(old, new, 1)), fava)
    assert folder_digest(fava.folder) == before, what


def test_the_editor_refuses_removing_the_include_of_a_sealed_year(fava: Fava) -> None:
    """Attack 5 through Fava: the year's entries would leave the books."""
    before = folder_digest(fava.folder)
    text = fava.source("main.beancount")["source"]
    message = refused(fava.save("main.beancount",
                                text.replace('include "2019-20.beancount"\n', "")), fava)
    assert "the edit of" in message and "main.beancount adds, changes or removes an entry" in message
    assert folder_digest(fava.folder) == before


def test_the_editor_saves_layout_comments_and_entries_of_the_open_year(fava: Fava) -> None:
    text = fava.source(FY_2019_20)["source"]
    relaid = text.replace("  Assets:KFRS:KCST-Pool", "    Assets:KFRS:KCST-Pool")
    edited = ("; reviewed by the auditor\n" + relaid
              + '\n2020-04-20 * "Kent Police" "Contribution 2020/21, on account"\n'
              "  Assets:KFRS:KCST-Pool   500.00 GBP\n  Income:Contributions:KP  -500.00 GBP\n")
    response = fava.save(FY_2019_20, edited)
    assert response.status_code == 200, response.get_json()
    assert (fava.folder / FY_2019_20).read_text() == edited
    # and an edit of that open-year entry saves too
    response = fava.save(FY_2019_20, edited.replace("   500.00 GBP", "   600.00 GBP")
                         .replace("  -500.00 GBP", "  -600.00 GBP"))
    assert response.status_code == 200, response.get_json()
    assert "-600.00 GBP" in (fava.folder / FY_2019_20).read_text()


def contribution(date: str, narration: str, **meta: Any) -> dict[str, Any]:
    return {"t": "Transaction", "date": date, "flag": "*", "payee": "Kent Police",
            "narration": narration, "tags": [], "links": [], "meta": meta,
            "postings": [{"account": "Assets:KFRS:KCST-Pool", "amount": "16000.00 GBP"},
                         {"account": "Income:Contributions:KP", "amount": "-16000.00 GBP"}]}


def test_the_add_entry_form_refuses_an_entry_dated_in_a_sealed_fy(fava: Fava) -> None:
    """Attack 1 through Fava: two contributions of June 2019 marked as generated."""
    before = folder_digest(fava.folder)
    entries = [contribution("2019-06-10", "Extra", **{"kcst-generated": True}),
               contribution("2019-06-11", "Extra again", **{"kcst-generated": True})]
    message = refused(fava.client.put(f"{fava.api}/add_entries", json={"entries": entries}), fava)
    assert message.startswith("kcst: the new entry is dated 10 June 2019, in 2019/20")
    assert folder_digest(fava.folder) == before


def test_the_add_entry_form_adds_an_entry_of_the_open_year(fava: Fava) -> None:
    response = fava.client.put(f"{fava.api}/add_entries",
                               json={"entries": [contribution("2020-04-21", "Entered in Fava")]})
    assert response.status_code == 200, response.get_json()
    assert '"Entered in Fava"' in fava.main.read_text()


def test_the_entry_editor_refuses_editing_or_deleting_a_sealed_entry(fava: Fava) -> None:
    before = folder_digest(fava.folder)
    entry_hash = hash_entry(fava.entry(TOP_UP.strip('"')))
    shown = fava.client.get(f"{fava.api}/source_slice",
                            query_string={"entry_hash": entry_hash}).get_json()["data"]
    refused(fava.client.put(f"{fava.api}/source_slice", json={
        "entry_hash": entry_hash, "source": shown["slice"].replace("2019-04-18", "2020-04-18"),
        "sha256sum": shown["sha256sum"]}), fava)
    refused(fava.client.delete(f"{fava.api}/source_slice", query_string={
        "entry_hash": entry_hash, "sha256sum": shown["sha256sum"]}), fava)
    refused(fava.client.put(f"{fava.api}/attach_document", json={
        "filename": "receipt.pdf", "entry_hash": entry_hash}), fava)
    assert folder_digest(fava.folder) == before


def test_the_entry_editor_refuses_moving_an_open_year_entry_into_a_sealed_year(fava: Fava) -> None:
    assert fava.client.put(f"{fava.api}/add_entries", json={
        "entries": [contribution("2020-04-21", "Entered in Fava")]}).status_code == 200
    before = folder_digest(fava.folder)
    entry_hash = hash_entry(fava.entry("Entered in Fava"))
    shown = fava.client.get(f"{fava.api}/source_slice",
                            query_string={"entry_hash": entry_hash}).get_json()["data"]
    response = fava.client.put(f"{fava.api}/source_slice", json={
        "entry_hash": entry_hash, "source": shown["slice"].replace("2020-04-21", "2020-03-21"),
        "sha256sum": shown["sha256sum"]})
    assert "dated 21 March 2020, in 2019/20" in refused(response, fava)
    assert folder_digest(fava.folder) == before
    response = fava.client.put(f"{fava.api}/source_slice", json={
        "entry_hash": entry_hash, "source": shown["slice"].replace("Entered", "Typed"),
        "sha256sum": shown["sha256sum"]})
    assert response.status_code == 200, response.get_json()
    assert '"Typed in Fava"' in fava.main.read_text()


def test_the_import_page_refuses_rows_dated_in_a_sealed_fy(main: Path) -> None:
    """Fava's import page extracts the host's export, then adds the rows with add_entries."""
    main.write_text(main.read_text()
                    + '2020-04-01 custom "fava-option" "import-config" "import_config.py"\n'
                    + '2020-04-01 custom "fava-option" "import-dirs" "import"\n')
    fava = open_fava(main)
    export = fava.folder / "import" / "late.csv"
    export.write_text("Transaction Date,Cost Centre,Subjective,Description,Supplier/Customer,"
                      "Amount,Transaction Ref\n"
                      "31/03/2020,KC4413,0101,Late salary adjustment,KFRS Payroll,12.00,PY2003-ADJ\n"
                      "21/04/2020,KC4413,0101,Salary KCST Coordinator Apr 2020,KFRS Payroll,"
                      "100.00,PY2004-X\n")
    extracted = fava.client.get(f"{fava.api}/extract", query_string={
        "filename": str(export), "importer": "kcst.KfrsLedgerImporter"})
    assert extracted.status_code == 200, extracted.get_json()
    entries = extracted.get_json()["data"]
    assert [e["date"] for e in entries] == ["2020-03-31", "2020-04-21"]
    before = folder_digest(fava.folder)
    message = refused(fava.client.put(f"{fava.api}/add_entries", json={"entries": entries}), fava)
    assert "dated 31 March 2020, in 2019/20" in message
    assert folder_digest(fava.folder) == before
    response = fava.client.put(f"{fava.api}/add_entries", json={"entries": entries[1:]})
    assert response.status_code == 200, response.get_json()


def test_a_read_only_dashboard_still_refuses_first_with_401(main: Path) -> None:
    app = make_app(main, read_only=True)
    api = f"/{app.config['LEDGERS'].first_slug()}/api"
    response = app.test_client().put(f"{api}/add_entries",
                                     json={"entries": [contribution("2019-06-10", "Extra")]})
    assert response.status_code == 401


def test_kcst_record_still_refuses_a_sealed_date(fava: Fava) -> None:
    """The same lock in kcst record (spec section 7), whatever Fava has loaded."""
    before = folder_digest(fava.folder)
    result = CliRunner().invoke(kcst_app, ["record", "contribution", "--partner", "KP",
                                           "--amount", "16000.00", "--date", "2019-06-01",
                                           "--ledger", str(fava.main)])
    assert result.exit_code == 2
    assert "2019/20, which is closed" in result.output
    assert folder_digest(fava.folder) == before

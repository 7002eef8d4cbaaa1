"""A closed year archived (PostgreSQL: `manage.py ledger_partitions detach`, then `drop` once dumped) leaves each
account's sums of that year in the live ledger (`contributions.archive`): the member's home page, balance page,
per-year breakdown, statement and API, and `reconcile_ledger`, still add up to every balance to the rupiah, with
the year's lines gone; attaching the year again brings its lines back and deletes its sums; a year is dropped only
once a dump holds it, the claims paid since are still checked against the ledger, and the dump restored attaches
again."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.audit.models import AuditEvent
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.tests.test_partitioned_claim_entries import _claim_key_validated
from jaminanku.contributions import archive, partitions
from jaminanku.contributions.models import ArchivedYearTotal, Contribution, JhtEntry
from jaminanku.member.selectors import breakdown_total, statement, yearly_breakdown
from jaminanku.member.selectors_hot import yearly_breakdowns
from jaminanku.member.tests.test_balances_add_up import _balance, _check_years_table, check_home_and_api_add_up
from jaminanku.member.tests.test_pages import _pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def _as_committed() -> None:
    """The fixture's writes checked as their commit would have: the test's transaction still holds their deferred
    key checks, and PostgreSQL alters no table with checks pending (the command runs in a transaction of its own)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _statement_rows(membership, year=None):
    return [(line.value_date, line.amount, line.balance) for line in statement(membership, year=year).lines]


def _live_lines(year: int) -> int:
    return (
        JhtEntry.objects.filter(value_date__year=year).count() + Contribution.objects.filter(period__year=year).count()
    )


def test_an_archived_year_adds_up_everywhere_and_attaches_back(client, claimant, capsys, tmp_path):
    user, working, left = claimant
    memberships = [working, left]
    years = {m.pk: yearly_breakdown(m) for m in memberships}
    statements = {m.pk: _statement_rows(m) for m in memberships}
    year_2026 = _statement_rows(working, year=2026)
    assert _live_lines(2025) == 13 and _live_lines(2024) == 7  # 12 months and a development; 6 months and a claim
    _as_committed()

    call_command("ledger_partitions", "detach", "2025")
    assert "1 accounts' sums kept" in capsys.readouterr().out  # `working` only: `left` has no 2025 line
    call_command("ledger_partitions", "detach", "2024")
    assert _live_lines(2025) == _live_lines(2024) == 0
    assert ArchivedYearTotal.objects.get(year=2025).amount == statements[working.pk][12][2]
    assert ArchivedYearTotal.objects.get(year=2024).lines == 7

    assert {m.pk: yearly_breakdown(m) for m in memberships} == years
    assert yearly_breakdowns(memberships) == years
    for membership in memberships:
        assert breakdown_total(years[membership.pk]).net == _balance(membership)
        full = statement(membership)
        assert full.closing == _balance(membership)
    assert _statement_rows(working)[-1] == statements[working.pk][-1]  # 2026's claim, on the same balance
    assert _statement_rows(working, year=2026) == year_2026  # its opening counts the archived years
    assert [line.kind for line in statement(left).lines] == ["archived"]  # six months and the claim of them all
    archived = statement(working, year=2025)
    assert [line.kind for line in archived.lines] == ["archived"]
    assert archived.lines[0].value_date == date(2025, 12, 31) and "13 mutasi" in archived.lines[0].note
    assert archived.closing == statements[working.pk][12][2]  # the balance after 2025's development

    client.force_login(user)
    check_home_and_api_add_up(client, claimant)
    page = lxml.html.fromstring(client.get(f"/saldo/{working.kpj}/").content)
    _parts, total = _check_years_table(page.xpath('//table[@class="years"]')[0])
    assert total == _balance(working)
    assert "ringkasan tahun diarsipkan" in client.get(f"/saldo/{working.kpj}/?tahun=2025").content.decode()
    pdf = client.get(f"/saldo/{working.kpj}/rincian-saldo.pdf?tahun=2025")
    assert "ringkasan tahun diarsipkan" in _pdf_text(tmp_path, pdf.content)
    headers = {"Authorization": f"Bearer {issue_api_token(user=user, label='test')}"}
    body = client.get(f"/api/v1/me/kpj/{working.kpj}/statement", {"year": 2025}, headers=headers).json()
    assert [(line["kind"], line["amount"]) for line in body["lines"]] == [("archived", archived.lines[0].amount)]
    assert (body["opening"], body["closing"]) == (archived.opening, archived.closing)

    call_command("reconcile_ledger")
    assert "Semua rekening JHT cocok" in capsys.readouterr().out

    call_command("ledger_partitions", "attach", "2025")
    assert _live_lines(2025) == 13
    assert not ArchivedYearTotal.objects.filter(year=2025).exists()
    assert {m.pk: _statement_rows(m) for m in memberships} != statements  # 2024 still one line of sums
    call_command("ledger_partitions", "attach", "2024")
    assert {m.pk: _statement_rows(m) for m in memberships} == statements
    assert not ArchivedYearTotal.objects.exists()
    call_command("reconcile_ledger")
    actions = list(
        AuditEvent.objects.filter(object_type="ledger_year").order_by("pk").values_list("action", "object_id")
    )
    assert actions == [
        ("ledger_year_detached", "2025"),
        ("ledger_year_detached", "2024"),
        ("ledger_year_attached", "2025"),
        ("ledger_year_attached", "2024"),
    ]


def _pg_dump(path: Path, *tables: str) -> Path:
    """The tables dumped as an operator would, in pg_dump's custom format, from the test database."""
    connection.ensure_connection()
    db = connection.connection.info  # where the test database is, its private socket
    subprocess.run(
        ["pg_dump", "-Fc", "-h", db.host, "-p", str(db.port), "-U", db.user, "-d", db.dbname, "-f", path]
        + [f"--table={table}" for table in tables],
        check=True,
    )
    return path


def _pg_restore(dump: Path) -> None:
    db = connection.connection.info
    subprocess.run(["pg_restore", "-h", db.host, "-p", str(db.port), "-U", db.user, "-d", db.dbname, dump], check=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reload_reference_data")
def test_a_dropped_year_stays_as_its_sums_and_comes_back_from_its_dump(client, claimant, capsys, tmp_path):
    """Committed (a transactional test): the dump is made by pg_dump, another session, which sees only what is
    committed."""
    user, working, left = claimant
    years = {m.pk: yearly_breakdown(m) for m in (working, left)}
    statements = {m.pk: _statement_rows(m) for m in (working, left)}
    entries, contributions = "contributions_jhtentry_y2024", "contributions_contribution_y2024"
    with pytest.raises(CommandError, match="2024 is attached already"):
        call_command("ledger_partitions", "drop", "2024", "--dump", tmp_path / "none")  # detached and dumped first
    call_command("ledger_partitions", "detach", "2024")
    try:
        with pytest.raises(CommandError, match="drop needs --dump"):
            call_command("ledger_partitions", "drop", "2024")
        with pytest.raises(CommandError, match="tidak terbaca"):
            call_command("ledger_partitions", "drop", "2024", "--dump", tmp_path / "none")
        half = _pg_dump(tmp_path / "half.dump", contributions)
        with pytest.raises(CommandError, match=f"tidak memuat seluruh 1 baris {entries}"):
            call_command("ledger_partitions", "drop", "2024", "--dump", half)
        with connection.cursor() as cursor:
            assert partitions.detached_years(cursor) == [2024]  # nothing dropped
        whole = _pg_dump(tmp_path / "2024.dump", contributions, entries)
        call_command("ledger_partitions", "drop", "2024", "--dump", whole)
        assert "Dropped 2024" in capsys.readouterr().out
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s), to_regclass(%s)", [entries, contributions])
            assert cursor.fetchone() == (None, None)
        event = AuditEvent.objects.get(action="ledger_year_dropped")
        assert event.after == {
            "dump": str(whole),
            "sha256": hashlib.sha256(whole.read_bytes()).hexdigest(),
            "rows": {entries: 1, contributions: 6},
        }
        with pytest.raises(CommandError, match="Tahun 2024 tidak sedang dilepas"):
            call_command("ledger_partitions", "attach", "2024")  # … until its dump is restored (below)
        with pytest.raises(CommandError, match="2024 is archived"):
            call_command("ledger_partitions", "create", "--year", "2024")  # nor made again beside its sums

        assert {m.pk: yearly_breakdown(m) for m in (working, left)} == years
        assert statement(left).closing == _balance(left) == 0
        call_command("reconcile_ledger")
        client.force_login(user)
        check_home_and_api_add_up(client, claimant)

        # the claim of 2024 keeps its entry's id; a claim paid from now on is still checked against the ledger
        claim = JhtClaim.objects.get(membership=left)
        assert claim.entry_id is not None and not JhtEntry.objects.filter(pk=claim.entry_id).exists()
        with pytest.raises(IntegrityError, match="claims_jhtclaim_entry_paid_on_fk"), transaction.atomic():
            JhtClaim.objects.filter(membership=working).update(entry_id=10**12)
        # attaching another year keeps that key unvalidated: 2024's claim still points into the dropped year
        call_command("ledger_partitions", "detach", "2025")
        call_command("ledger_partitions", "attach", "2025")
        call_command("reconcile_ledger")
        assert not _claim_key_validated()

        # the dump restored, the year attaches again: its lines are back, its sums gone, the claims' key valid
        _pg_restore(whole)
        call_command("ledger_partitions", "attach", "2024")
        assert {m.pk: _statement_rows(m) for m in (working, left)} == statements
        assert not ArchivedYearTotal.objects.exists()
        assert _claim_key_validated()
        call_command("reconcile_ledger")
    finally:  # the next tests find the layout `migrate` makes
        with transaction.atomic(), connection.cursor() as cursor:
            if 2024 in partitions.detached_years(cursor):
                archive.attach_year(cursor, 2024)
            else:
                partitions.create_year(cursor, 2024)
        with transaction.atomic(), connection.cursor() as cursor:
            archive.validate_claims_key(cursor)

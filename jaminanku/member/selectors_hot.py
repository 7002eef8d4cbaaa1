"""The member's hottest read, GET /api/v1/me/balance with a bearer token, in one SQL statement: the token (with
its expiry, idle and active-user checks), the member's profile and person, every KPJ with its JHT account's
running totals, its last employer's name and its latest employment, and the pension-age table.

Why raw SQL and not the ORM: the read is what millions of members ask on payday (issue 27), and building and
compiling the ORM's queries was 80 % of its CPU (bench/README.md, reads). One statement, written once per
process, is both the fewest round trips and no query compilation per request. It answers exactly what
`member_overview` answers for the same person (jaminanku/member/tests/test_hot_reads.py holds them equal); the
status rules stay in `contributions.selectors.status_from_facts`, fed with the facts read here.

The pension-age table (a dozen rows) comes in the same statement as rows of their own (`UNION ALL`, kind 1), so
that no second statement and no cache is needed. The cost does not depend on the length of the member's history:
it reads the running totals on each account and one index entry per KPJ for its latest employment.

The web home page reads the same statement by the session's user id (`overview_for_user`), and every KPJ's
per-year breakdown in one more (`yearly_breakdowns`, equal to `member.selectors.yearly_breakdown` of each).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from jaminanku.accounts.access import TokenRead
from jaminanku.accounts.login.tokens import idle_cutoff, touch_cutoff
from jaminanku.accounts.models import ApiToken, MemberProfile
from jaminanku.contributions.models import Account, ArchivedYearTotal, Contribution, JhtEntry, PensionAge
from jaminanku.contributions.rates import PensionAges
from jaminanku.contributions.selectors import EmploymentDates, status_from_facts
from jaminanku.member.selectors import BalanceParts, KpjSummary, MemberOverview, YearBreakdown
from jaminanku.registry.models import Employer, Employment, Membership, Person

_MEMBERSHIP_FIELDS = ["id", "kpj", "person_id", "segment", "registered_on", "jht_opted"]
_PERSON_FIELDS = ["id", "full_name", "date_of_birth"]


def _by_key(table: str, alias: str, columns: list[str], condition: str) -> str:
    """A left join to at most one row by a unique key. On PostgreSQL a LATERAL subquery with LIMIT, which the
    planner cannot merge into the join, so the row is always one index probe: as a plain join, with a few dozen
    member profiles whose statistics were of low person ids, the planner chose a merge join that walked the
    persons' primary key from its first row up to the member's, 25 ms at 1,000,000 persons and growing with the
    person's id (bench/README.md, 2026-12-07). The subquery names the `columns` the statement reads: `SELECT *`
    would form every column of the row (a person's address, identity numbers and the rest) for each read."""
    if connection.vendor == "postgresql":
        selected = ", ".join(f"{alias}.{column}" for column in columns)
        return f"LEFT JOIN LATERAL (SELECT {selected} FROM {table} {alias} WHERE {condition} LIMIT 1) {alias} ON TRUE"  # noqa: S608
    return f"LEFT JOIN {table} {alias} ON {condition}"


@cache
def _sql(by_token: bool = True) -> str:
    """The statement, from the models' own table and column names (written once per process). By token: the
    bearer token's checks and its user; otherwise the user by id (a web session's, whose login the session
    middleware checked), with the token's two columns empty."""
    q = connection.ops.quote_name

    def t(model: Any) -> str:
        return q(model._meta.db_table)

    def c(model: Any, name: str) -> str:
        return q(model._meta.get_field(name).column)

    def n(model: Any, *names: str) -> dict[str, str]:
        return {name: c(model, name) for name in names}

    # only table and column names from the models' metadata go into the text (noqa S608); values are parameters
    tk, u, mp = (
        n(ApiToken, "user", "key_hash", "last_used_at", "created_at", "expires_at"),
        n(User, "username", "is_active"),
        n(MemberProfile, "user", "person"),
    )
    p, m = (
        n(Person, "full_name", "date_of_birth"),
        n(Membership, "person", "kpj", "segment", "registered_on", "jht_opted"),
    )
    a = n(
        Account,
        "membership",
        "balance",
        "employer_total",
        "worker_total",
        "development_total",
        "claims_total",
        "last_paid_period",
        "paid_since",
        "last_employer",
    )
    e, pa, id_ = n(Employment, "membership", "start", "end"), n(PensionAge, "effective_from", "age"), q("id")
    latest = f"""(SELECT e.{{col}} FROM {t(Employment)} e WHERE e.{e["membership"]} = m.{id_}
        ORDER BY e.{e["start"]} DESC, e.{id_} DESC LIMIT 1)"""  # noqa: S608
    if by_token:
        token_columns = f"""tk.{id_}, CASE WHEN tk.{tk["last_used_at"]} IS NULL OR tk.{tk["last_used_at"]} < %s
            THEN 1 ELSE 0 END"""
        source = f"""FROM {t(ApiToken)} tk
        JOIN {t(User)} u ON u.{id_} = tk.{tk["user"]} AND u.{u["is_active"]}"""
        where = f"""WHERE tk.{tk["key_hash"]} = %s AND tk.{tk["expires_at"]} > %s
            AND COALESCE(tk.{tk["last_used_at"]}, tk.{tk["created_at"]}) >= %s"""
    else:
        token_columns, source, where = "NULL, 0", f"FROM {t(User)} u", f"WHERE u.{id_} = %s"
    # kind 0: one row per KPJ (or one row with the KPJ's columns empty for a person without one, and the
    # person's too for a login without member data); kind 1: the pension-age table, its date in the
    # registration's column and its age in the balance's; the KPJs in member_overview's order
    return f"""
        SELECT 0, u.{id_}, u.{u["username"]}, mp.{id_}, p.{id_}, p.{p["full_name"]}, p.{p["date_of_birth"]},
            m.{id_}, m.{m["kpj"]}, m.{m["segment"]}, m.{m["registered_on"]}, m.{m["jht_opted"]},
            a.{id_}, a.{a["balance"]}, a.{a["employer_total"]}, a.{a["worker_total"]}, a.{a["development_total"]},
            a.{a["claims_total"]}, a.{a["last_paid_period"]}, a.{a["paid_since"]}, er.{c(Employer, "name")},
            {latest.format(col=e["start"])}, {latest.format(col=e["end"])},
            {token_columns}
        {source}
        {_by_key(t(MemberProfile), "mp", [id_, mp["person"]], f"mp.{mp['user']} = u.{id_}")}
        {_by_key(t(Person), "p", [id_, p["full_name"], p["date_of_birth"]], f"p.{id_} = mp.{mp['person']}")}
        LEFT JOIN {t(Membership)} m ON m.{m["person"]} = p.{id_}
        LEFT JOIN {t(Account)} a ON a.{a["membership"]} = m.{id_}
        LEFT JOIN {t(Employer)} er ON er.{id_} = a.{a["last_employer"]}
        {where}
        UNION ALL
        SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, pa.{pa["effective_from"]}, NULL,
            NULL, pa.{pa["age"]}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM {t(PensionAge)} pa
        ORDER BY 1, 11 DESC, 9
    """  # noqa: S608


@cache
def _prepared_cursor_class() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):  # type: ignore[misc, valid-type]
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            return super().execute(query, params, prepare=True)  # type: ignore[misc]

    return PreparedCursor


def _cursor(db: Any = None) -> Any:
    """On PostgreSQL a cursor that binds on the server and prepares the statement: planning this statement
    (seven joins, two subqueries, a union) costs more than running it (EXPLAIN: 0.55-1.2 ms against 0.13-0.4
    ms), and a prepared statement is planned once per connection, as the benchmark's baseline (psycopg's own
    default) does. Django's project-wide cursors bind on the client and never prepare. The cursor is wrapped
    like any of Django's, so query logging, execute wrappers and error translation see it as usual. Not behind
    PgBouncer in transaction mode (settings.DATABASE_PREPARED_STATEMENTS off): the next transaction may run on a
    server connection that never saw the statement. `db`: the default database's wrapper, when the caller has
    it already."""
    db = db or connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return db.cursor()
    db.ensure_connection()
    with db.wrap_database_errors:
        return db._prepare_cursor(_prepared_cursor_class()(db.connection))


def _day(value: Any) -> date | None:
    """A date column: SQLite hands over the text of a date read through a subquery or a UNION."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def overview_for_token(key_hash: str, now: datetime) -> TokenRead | None:
    """The token's user and the member's overview (as `member_overview` gives it) in one statement, or None
    for a token that is unknown, expired, idle too long or whose user is inactive."""
    # the wrapper once, not `connection` (a proxy that looks the thread's wrapper up again on every attribute)
    db = connections[DEFAULT_DB_ALIAS]
    adapt = db.ops.adapt_datetimefield_value
    with _cursor(db) as cursor:
        cursor.execute(_sql(), [adapt(touch_cutoff(now)), key_hash, adapt(now), adapt(idle_cutoff(now))])
        rows = cursor.fetchall()
    members = [r for r in rows if r[0] == 0]
    if not members:
        return None
    first = members[0]
    user = User.from_db(DEFAULT_DB_ALIAS, ["id", "username", "is_active"], [first[1], first[2], True])
    overview = _overview(rows, user)
    return TokenRead(user=user, token_id=first[23], touch_due=bool(first[24]), data=overview)


def overview_for_user(user: User) -> MemberOverview | None:
    """A signed-in member's overview (as `member_overview(person_for(user))` gives it) in the same one statement,
    by the user's id: the web home page's read. None for a login without member data (staff)."""
    with _cursor() as cursor:
        cursor.execute(_sql(by_token=False), [user.pk])
        rows = cursor.fetchall()
    if not any(r[0] == 0 for r in rows):
        return None
    return _overview(rows, user)


def _overview(rows: list[tuple[Any, ...]], user: User) -> MemberOverview | None:
    """The overview from the statement's rows; the user gets its member profile (and person) cached, or None
    cached for a login without member data, for which there is no overview."""
    members = [r for r in rows if r[0] == 0]
    first = members[0]
    if first[4] is None:  # a login without member data (staff): the endpoint refuses it
        User.member_profile.related.set_cached_value(user, None)
        return None
    ages = PensionAges(
        (r[10] if isinstance(r[10], date) else date.fromisoformat(r[10]), r[13]) for r in rows if r[0] == 1
    )
    person = Person.from_db(DEFAULT_DB_ALIAS, _PERSON_FIELDS, [first[4], first[5], _day(first[6])])
    profile = MemberProfile.from_db(DEFAULT_DB_ALIAS, ["id", "user_id", "person_id"], [first[3], user.pk, person.pk])
    profile.person = person
    User.member_profile.related.set_cached_value(user, profile)
    today = timezone.localdate()
    kpjs = [_kpj(row, person, ages, today) for row in members if row[7] is not None]
    return MemberOverview(person=person, kpjs=kpjs, as_of=today)


def _kpj(row: tuple[Any, ...], person: Person, ages: PensionAges, today: date) -> KpjSummary:
    membership = Membership.from_db(
        DEFAULT_DB_ALIAS, _MEMBERSHIP_FIELDS, [row[7], row[8], person.pk, row[9], _day(row[10]), bool(row[11])]
    )
    membership.person = person
    start = _day(row[21])
    latest = EmploymentDates(start, _day(row[22])) if start else None
    has_account = row[12] is not None
    return KpjSummary(
        membership=membership,
        balance=int(row[13]) if has_account else 0,
        employer_total=int(row[14]) if has_account else 0,
        worker_total=int(row[15]) if has_account else 0,
        development_total=int(row[16]) if has_account else 0,
        claims_total=int(row[17]) if has_account else 0,
        last_period=_day(row[18]),
        last_employer=row[20] or "",
        status=status_from_facts(
            membership,
            today=today,
            latest=latest,
            paid=(_day(row[18]), _day(row[19])) if has_account else None,
            pension_ages=ages,
        ),
    )


@cache
def _years_sql(kpjs: int) -> tuple[str, tuple[Any, ...], tuple[Any, ...]]:
    """Both halves of the JHT ledger of `kpjs` KPJs summed by KPJ and year, in one statement: the ledger's
    entries (kind 0), its contributions with a JHT part (kind 1) and the sums of archived years (kind 2), as
    `yearly_breakdown` reads them; with the
    parameters of each half's year (SQLite's takes the field's name as one)."""
    q = connection.ops.quote_name

    def c(model: Any, name: str) -> str:
        return q(model._meta.get_field(name).column)

    entry_year, entry_params = connection.ops.date_extract_sql("year", f"e.{c(JhtEntry, 'value_date')}", ())
    contribution_year, contribution_params = connection.ops.date_extract_sql(
        "year", f"c.{c(Contribution, 'period')}", ()
    )
    ids = ", ".join(["%s"] * kpjs)
    employer, worker = c(Contribution, "jht_employer"), c(Contribution, "jht_worker")
    # only table and column names from the models' metadata go into the text (noqa S608); values are parameters
    sql = f"""
        SELECT 0, a.{c(Account, "membership")}, {entry_year}, SUM(e.{c(JhtEntry, "employer_amount")}),
            SUM(e.{c(JhtEntry, "worker_amount")}), SUM(e.{c(JhtEntry, "development_amount")}),
            SUM(e.{c(JhtEntry, "claim_amount")})
        FROM {q(JhtEntry._meta.db_table)} e
        JOIN {q(Account._meta.db_table)} a ON a.{q("id")} = e.{c(JhtEntry, "account")}
        WHERE a.{c(Account, "membership")} IN ({ids})
        GROUP BY 2, 3
        UNION ALL
        SELECT 1, c.{c(Contribution, "membership")}, {contribution_year}, SUM(c.{employer}), SUM(c.{worker}), 0, 0
        FROM {q(Contribution._meta.db_table)} c
        WHERE c.{c(Contribution, "membership")} IN ({ids}) AND NOT (c.{employer} = 0 AND c.{worker} = 0)
        GROUP BY 2, 3
        UNION ALL
        SELECT 2, a.{c(Account, "membership")}, t.{c(ArchivedYearTotal, "year")},
            t.{c(ArchivedYearTotal, "employer_amount")}, t.{c(ArchivedYearTotal, "worker_amount")},
            t.{c(ArchivedYearTotal, "development_amount")}, t.{c(ArchivedYearTotal, "claim_amount")}
        FROM {q(ArchivedYearTotal._meta.db_table)} t
        JOIN {q(Account._meta.db_table)} a ON a.{q("id")} = t.{c(ArchivedYearTotal, "account")}
        WHERE a.{c(Account, "membership")} IN ({ids})
    """  # noqa: S608
    return sql, tuple(entry_params), tuple(contribution_params)


def yearly_breakdowns(memberships: list[Membership]) -> dict[int, list[YearBreakdown]]:
    """`yearly_breakdown` of each of these KPJs (by membership id) in one statement: the home page shows every
    KPJ's years, and the ORM's two grouped queries per KPJ were a fifth of the page's CPU.

    The statement runs prepared (`_cursor`, as the balance read): on PostgreSQL planning it (two grouped scans over
    every yearly partition of the ledger's two tables) cost 1.5 ms against 0.3 ms to run it (EXPLAIN ANALYZE at
    3,000 persons), a sixth of the home page's server time. Its plan does not depend on the values: the partitions
    are by date and the statement filters by KPJ, so every partition is scanned whatever the KPJs."""
    ids = [m.pk for m in memberships]
    years: dict[int, dict[int, list[int]]] = {pk: {} for pk in ids}  # KPJ -> year -> [employer, worker, ...]
    if ids:
        sql, entry_params, contribution_params = _years_sql(len(ids))
        with _cursor() as cursor:
            cursor.execute(sql, [*entry_params, *ids, *contribution_params, *ids, *ids])
            rows = cursor.fetchall()
        for _kind, membership_id, year, employer, worker, development, claims in rows:
            sums = years[membership_id].setdefault(int(year), [0, 0, 0, 0])
            for index, value in enumerate((employer, worker, development, claims)):
                sums[index] += int(value or 0)
    return {
        pk: [YearBreakdown.of(year, BalanceParts(*parts)) for year, parts in sorted(by_year.items(), reverse=True)]
        for pk, by_year in years.items()
    }

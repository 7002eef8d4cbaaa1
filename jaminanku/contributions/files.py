"""Reading wage-report files (CSV or XLSX) into WageLines, streamed, and importing them as one employer's report.

Columns (header row, any order, any case): npp, period (YYYY-MM), kpj, nik, name, wage; optional
employment_start, employment_end (dd/mm/yyyy or yyyy-mm-dd) and end_reason. CSV may be comma-, semicolon- or
tab-separated, UTF-8 (with or without BOM). Row numbers are the file's own line/row numbers (header = 1). The
report's NPP and period are those of the first data row; rows naming another NPP or period are refused.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
from collections.abc import Generator, Iterator
from datetime import date
from itertools import chain
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from jaminanku.contributions.imports import WageLine, import_wage_lines
from jaminanku.contributions.periods import parse_period
from jaminanku.contributions.reportbook import ImportResult
from jaminanku.core.errors import DomainError

REQUIRED = ("npp", "period", "kpj", "nik", "name", "wage")
OPTIONAL = ("employment_start", "employment_end", "end_reason")
# Spreadsheets drop leading zeros of numeric cells; identifiers have a fixed length, so put them back.
DIGITS = {"npp": 8, "kpj": 11, "nik": 16}


def _normalise_header(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(column: str, value: Any) -> Any:
    if column in DIGITS and isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return str(value)
        return str(int(value)).zfill(DIGITS[column])
    if isinstance(value, str):
        return value.strip()
    return value


def _columns(header: list[Any]) -> dict[str, int]:
    positions = {}
    for index, name in enumerate(header):
        key = _normalise_header(name)
        if key in REQUIRED + OPTIONAL and key not in positions:
            positions[key] = index
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise DomainError(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}, code="missing_columns"
        )
    return positions


def _lines(rows: Iterator[tuple[int, list[Any]]]) -> Generator[WageLine, None, None]:
    positions: dict[str, int] | None = None
    for number, values in rows:
        if not any(v not in (None, "") for v in values):
            continue
        if positions is None:
            positions = _columns(values)
            continue
        get = {name: _cell(name, values[i]) if i < len(values) else None for name, i in positions.items()}
        yield WageLine(
            npp=get["npp"],
            period=get["period"],
            kpj=get["kpj"],
            nik=get["nik"],
            name=get["name"],
            wage=get["wage"],
            employment_start=get.get("employment_start"),
            employment_end=get.get("employment_end"),
            end_reason=get.get("end_reason") or "",
            row_number=number,
        )
    if positions is None:
        raise DomainError(_("Berkas kosong."), code="empty_file")


def _csv_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        delimiter = max([",", ";", "\t"], key=first.count)
        reader = csv.reader(chain([first], text), delimiter=delimiter)
        for values in reader:
            yield reader.line_num, values
    except UnicodeDecodeError as exc:
        raise DomainError(_("Berkas CSV harus berenkode UTF-8."), code="bad_encoding") from exc
    finally:
        # Leave the binary handle open: its owner closes it.
        with contextlib.suppress(ValueError):
            text.detach()


def _xlsx_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged file
        raise DomainError(_("Berkas XLSX tidak dapat dibaca."), code="bad_xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _open(path_or_file: Any) -> tuple[IO[bytes], str, bool]:
    if isinstance(path_or_file, (str, os.PathLike)):
        return open(path_or_file, "rb"), Path(path_or_file).name, True  # noqa: SIM115 - closed by the caller
    handle = getattr(path_or_file, "file", path_or_file)  # Django's UploadedFile wraps the real file
    if not handle.seekable():
        handle = io.BytesIO(handle.read())
    return handle, getattr(path_or_file, "name", "") or "", False


def _sha256(handle: IO[bytes]) -> str:
    handle.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


def read_wage_lines(handle: IO[bytes], filename: str) -> Generator[WageLine, None, None]:
    """The WageLines of a CSV or XLSX file (XLSX by extension or by its zip signature)."""
    start = handle.read(4)
    handle.seek(0)
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or start == b"PK\x03\x04"
    return _lines(_xlsx_rows(handle) if is_xlsx else _csv_rows(handle))


def import_wage_report_file(
    *, path_or_file: Any, filename: str = "", actor: Any = None, audit: bool = False, paid_on: date | None = None
) -> ImportResult:
    """Imports one wage-report file (a path or an open/uploaded file) as one employer's report for one month,
    paid on `paid_on` (today when None)."""
    handle, name, owned = _open(path_or_file)
    filename = filename or name
    lines: Generator[WageLine, None, None] | None = None
    try:
        sha256 = _sha256(handle)
        lines = read_wage_lines(handle, filename)
        head: list[WageLine] = []
        for line in lines:
            head.append(line)
            if str(line.npp or "").strip() and parse_period(line.period):
                break
        else:
            raise DomainError(_("Tidak ada baris data dengan NPP dan periode yang valid."), code="no_data")
        first = head[-1]
        period = parse_period(first.period)
        assert period is not None
        return import_wage_lines(
            npp=str(first.npp),
            period=period,
            lines=chain(head, lines),
            filename=filename,
            actor=actor,
            sha256=sha256,
            audit=audit,
            paid_on=paid_on,
        )
    finally:
        if lines is not None:
            lines.close()  # finish the reader before its file closes
        if owned:
            handle.close()

"""Register imports as jobs: queued by the upload page, run by a task, progress on the page.

`create` keeps the file in a `RegisterImport` row; `run` (the task `coverage.import_register`)
imports it with the ordinary importer. Run twice, it changes nothing more: a finished job is
left alone, and a job whose worker died half-way had nothing committed (the entries and the
"done" mark are one transaction), so it starts over. Only the uploader and platform staff may
read a job (`for_user`).
"""

import logging

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from marketplace.access import is_platform_staff
from marketplace.coverage.errors import CoverageError
from marketplace.coverage.importers import ImportReport, import_register
from marketplace.coverage.models import ImportStatus, RegisterImport
from marketplace.errors import DomainError

log = logging.getLogger(__name__)


def create(user, data: bytes, filename: str, *, as_of, skip_invalid: bool) -> RegisterImport:
    return RegisterImport.objects.create(
        uploaded_by=user,
        data=data,
        filename=filename[:255],
        as_of=as_of,
        skip_invalid=skip_invalid,
        language=translation.get_language() or "vi",
    )


def for_user(user, job_id: int) -> RegisterImport:
    """The job, if `user` uploaded it or is platform staff; NOT_FOUND otherwise (no hint that
    someone else's job exists)."""
    job = RegisterImport.objects.defer("data").filter(pk=job_id).first()
    if job is None or not (job.uploaded_by_id == user.pk or is_platform_staff(user)):
        raise DomainError(CoverageError.NOT_FOUND, gettext("Không có lần nhập này."), "job")
    return job


def _finish(job_id: int, report: ImportReport) -> None:
    RegisterImport.objects.filter(pk=job_id).update(
        status=ImportStatus.DONE,
        written=report.written,
        summary=report.summary(),
        errors=[*report.file_errors, *(str(r) for r in report.rows if r.errors)],
        rows=[str(r) for r in report.rows if not r.errors],
        data=b"",
        finished_at=timezone.now(),
    )


def run(job_id: int) -> str:
    """Import the job's file; returns its status. Idempotent (see the module's docstring)."""
    job = RegisterImport.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return job.status if job else "missing"
    RegisterImport.objects.filter(pk=job_id).update(
        status=ImportStatus.RUNNING, attempts=F("attempts") + 1, rows_checked=0
    )

    def progress(checked: int, total: int) -> None:
        RegisterImport.objects.filter(pk=job_id).update(rows_checked=checked, rows_total=total)

    with translation.override(job.language):
        try:
            report = import_register(
                bytes(job.data),
                job.filename,
                as_of=job.as_of,
                skip_invalid=job.skip_invalid,
                progress=progress,
                on_written=lambda report: _finish(job_id, report),
            )
            if not report.written:  # refused: nothing to commit with it
                _finish(job_id, report)
        except Exception:
            log.exception("register import %s failed", job_id)
            RegisterImport.objects.filter(pk=job_id).update(
                status=ImportStatus.FAILED,
                summary=gettext("Không nhập được tệp vì lỗi hệ thống; xin thử lại sau."),
                finished_at=timezone.now(),
            )
            raise
    return ImportStatus.DONE

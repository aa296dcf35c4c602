"""The trade office's pages: dashboard, exports, register upload, review queue. Thin: the
figures come from services, the rules from importers and linking."""

import datetime

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.celery import enqueue
from config.guards import requires
from marketplace.access import Permission
from marketplace.addresses.centres import ward_centre
from marketplace.addresses.models import Ward
from marketplace.addresses.units import HOME_PROVINCE_CODE
from marketplace.coverage import charts, exports, linking, register_jobs, sales, services, tasks
from marketplace.coverage.importers import import_external_listings
from marketplace.errors import DomainError

# Anonymous → the office's sign-in page; signed in without the office permission → 403.
office_staff_required = requires(Permission.OFFICE, login_url="coverage:login")

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _as_of(request) -> tuple[datetime.date, str | None]:
    text = request.GET.get("ngay", "").strip()
    if not text:
        return services.today(), None
    try:
        return datetime.date.fromisoformat(text), None
    except ValueError:
        return services.today(), _("Ngày '%(text)s' không hợp lệ; đang xem hôm nay.") % {
            "text": text
        }


def _sales(request) -> tuple[sales.OcopSales, list[str]]:
    """The sales figures for ?tu=…&den=… (ISO dates); bad input falls back to the default."""
    warnings, days = [], []
    for name in ("tu", "den"):
        text = request.GET.get(name, "").strip()
        try:
            days.append(datetime.date.fromisoformat(text) if text else None)
        except ValueError:
            warnings.append(
                _("Ngày '%(text)s' không hợp lệ; đang xem 12 tháng gần nhất.") % {"text": text}
            )
            days = [None, None]
            break
    try:
        return sales.compute_sales(*days), warnings
    except DomainError as exc:
        return sales.compute_sales(), [*warnings, exc.message]


def _not_online_filter(request) -> services.NotOnlineFilter:
    return services.NotOnlineFilter(
        ward_code=request.GET.get("xa", "").strip(),
        group=request.GET.get("nhom", "").strip(),
        stars=request.GET.get("sao", "").strip(),
    )


def _coverage(request, as_of):
    coverage = services.compute_coverage(as_of, with_not_online=True)
    coverage.not_online = _not_online_filter(request).apply(coverage.not_online)
    return coverage


def _ward_map(coverage: services.Coverage):
    rows = {r.key: r for r in coverage.by_ward}
    points = []
    for ward in Ward.objects.filter(province_id=HOME_PROVINCE_CODE):
        centre = ward_centre(ward)
        if centre is None:
            continue
        row = rows.get(ward.code)
        points.append(
            charts.MapPoint(
                ward.code,
                ward.name,
                *centre,
                row.ratio if row else None,
                f"({row.online}/{row.certified})" if row else "",
            )
        )
    if not points:
        return None
    return charts.ward_map(points, services.TARGET_SHARE, _("Bản đồ tỷ lệ theo xã/phường"))


def _bars(rows: list[services.CoverageRow]) -> list[charts.Bar]:
    return [charts.Bar(r.label, r.ratio, f"{r.online}/{r.certified}") for r in rows]


def _sales_charts(figures: sales.OcopSales) -> dict:
    def amounts(rows: list[sales.SalesRow]) -> list[charts.Amount]:
        detail = _("%(orders)s đơn · %(units)s sản phẩm")
        return [
            charts.Amount(r.label, r.revenue, detail % {"orders": r.orders, "units": r.units})
            for r in rows
        ]

    return {
        "sales_month_chart": charts.amount_columns(
            amounts(figures.by_month), _("Doanh thu OCOP theo tháng")
        ),
        "sales_group_chart": charts.amount_bars(
            amounts(figures.by_group), _("Doanh thu OCOP theo nhóm sản phẩm")
        ),
        "sales_ward_chart": charts.amount_bars(
            amounts(figures.by_ward), _("Doanh thu OCOP theo xã/phường")
        ),
    }


@office_staff_required
def dashboard(request):
    as_of, date_error = _as_of(request)
    if date_error:
        messages.warning(request, date_error)
    coverage = _coverage(request, as_of)
    figures, sales_warnings = _sales(request)
    for warning in sales_warnings:
        messages.warning(request, warning)
    trend = services.trend()
    target = services.TARGET_SHARE
    context = {
        "coverage": coverage,
        "as_of": as_of,
        "trend": trend,
        "ward_chart": charts.bar_chart(
            _bars(sorted(coverage.by_ward, key=lambda r: (r.ratio, r.label))),
            target,
            _("Tỷ lệ theo xã/phường"),
        ),
        "group_chart": charts.bar_chart(
            _bars(coverage.by_group), target, _("Tỷ lệ theo nhóm sản phẩm")
        ),
        "stars_chart": charts.bar_chart(_bars(coverage.by_stars), target, _("Tỷ lệ theo số sao")),
        "trend_chart": charts.trend_line(
            [(p.month, p.ratio) for p in trend], target, _("Tỷ lệ theo tháng")
        ),
        "ward_map": _ward_map(coverage),
        "map_legend": charts.legend(target),
        "sales": figures,
        **_sales_charts(figures),
        "pending_reviews": linking.review_queue().count(),
        "filters": _not_online_filter(request),
        "query": request.GET.urlencode(),
        # keyed for the template, which cannot read "-" in a name
        "tables": {
            slug.replace("-", "_"): table
            for slug, table in {
                **exports.coverage_tables(coverage, trend),
                **exports.sales_tables(figures),
            }.items()
        },
    }
    return render(request, "coverage/dashboard.html", context)


@office_staff_required
def export(request, slug: str, fmt: str):
    as_of, _error = _as_of(request)
    tables, stem = {}, f"ocop-truc-tuyen-{as_of:%Y-%m-%d}-{slug}"
    # Only what the file holds is computed: coverage, sales, or both for "tat-ca".
    if not slug.startswith("doanh-so"):
        tables.update(exports.coverage_tables(_coverage(request, as_of), services.trend()))
    if slug.startswith("doanh-so") or slug == "tat-ca":
        figures, _warnings = _sales(request)
        tables.update(exports.sales_tables(figures))
        if slug != "tat-ca":
            stem = f"ocop-{slug}-{figures.date_from:%Y-%m-%d}-{figures.date_to:%Y-%m-%d}"
    if slug == "tat-ca" and fmt == "xlsx":
        chosen = list(tables.values())
    elif slug in tables:
        chosen = [tables[slug]]
    else:
        raise Http404(_("Không có bảng này."))
    if fmt == "csv" and len(chosen) == 1:
        dialect = exports.CSV_DIALECTS.get(request.GET.get("phan_cach", ""))
        if dialect is None:
            raise Http404(_("Không có kiểu phân cách này."))
        response = HttpResponse(
            exports.to_csv(chosen[0], dialect), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(chosen),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(_("Không có định dạng này."))
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.{fmt}")
    return response


@office_staff_required
def upload(request):
    report = None
    if request.method == "POST":
        upload_file = request.FILES.get("tep")
        kind = request.POST.get("loai", "so")
        if upload_file is None:
            messages.error(request, _("Chọn một tệp .csv hoặc .xlsx."))
        elif upload_file.size > MAX_UPLOAD_BYTES:
            messages.error(request, _("Tệp lớn hơn 20 MB."))
        elif kind == "san-khac":
            report = import_external_listings(upload_file.read(), upload_file.name)
        else:
            as_of = None
            if request.POST.get("ngay"):
                try:
                    as_of = datetime.date.fromisoformat(request.POST["ngay"])
                except ValueError:
                    messages.error(request, _("Ngày của sổ không hợp lệ."))
                    return render(request, "coverage/upload.html", {}, status=400)
            job = register_jobs.create(
                request.user,
                upload_file.read(),
                upload_file.name,
                as_of=as_of,
                skip_invalid=bool(request.POST.get("bo_qua_loi")),
            )
            # A worker takes it (at once, in this request, without one: REDIS_URL unset).
            transaction.on_commit(lambda: enqueue(tasks.import_register, job.pk))
            return redirect("coverage:upload_job", job_id=job.pk)
        if report is not None:
            (messages.success if report.written else messages.error)(request, report.lines()[-1])
    status = 400 if report is not None and not report.written else 200
    return render(request, "coverage/upload.html", {"report": report}, status=status)


def _job_or_404(request, job_id: int):
    try:
        return register_jobs.for_user(request.user, job_id)
    except DomainError as exc:
        raise Http404(exc.message)


@office_staff_required
def upload_job(request, job_id: int):
    """One register upload: its progress while it runs (static/coverage/progress.js polls
    `upload_progress`), then its report."""
    job = _job_or_404(request, job_id)
    status = 400 if job.finished and not job.written else 200
    return render(request, "coverage/upload_job.html", {"job": job}, status=status)


@office_staff_required
def upload_progress(request, job_id: int):
    job = _job_or_404(request, job_id)
    response = JsonResponse(
        {
            "status": job.status,
            "statusLabel": job.get_status_display(),
            "rowsChecked": job.rows_checked,
            "rowsTotal": job.rows_total,
            "percent": job.percent,
            "finished": job.finished,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@office_staff_required
def review(request):
    return render(request, "coverage/review.html", {"links": linking.review_queue()})


@require_POST
@office_staff_required
def review_decide(request, link_id: int):
    accept = request.POST.get("quyet_dinh") == "dong-y"
    try:
        linking.review_link(link_id, accept=accept, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xác nhận liên kết.") if accept else _("Đã bác bỏ."))
    return redirect("coverage:review")

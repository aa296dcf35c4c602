"""Portal pages "Đối soát": the producer's settlement statements, one statement's figures and
per-line section, and its XLSX and PDF.

Thin: marketplace.settlements holds the figures; members see only their producers' statements
(statement_selectors.statements_for scopes them), others get 404.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace.settlements import statement_files, statement_selectors
from producers.portal.downloads import attachment
from producers.portal.views import member_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@member_required
def statement_list(request):
    statements = statement_selectors.statements_for(request.user)
    return render(
        request,
        "portal/statements.html",
        {
            "producer": request.portal_producer,
            "statements": list(statements[: statement_selectors.LIST_SIZE]),
        },
    )


def _own_statement(request, pk):
    statement = statement_selectors.statements_for(request.user).filter(pk=pk).first()
    if statement is None:
        raise Http404(_("Không tìm thấy bảng đối soát."))
    return statement


@require_safe
@member_required
def statement_detail(request, pk):
    statement = _own_statement(request, pk)
    return render(
        request,
        "portal/statement.html",
        {
            "statement": statement,
            "summary": statement_files.figure_rows(statement),
            "lines": list(statement_selectors.lines_of(statement)),
        },
    )


@require_safe
@member_required
def statement_xlsx(request, pk):
    statement = _own_statement(request, pk)
    body = statement_files.to_xlsx(statement, statement_selectors.lines_of(statement))
    return attachment(body, XLSX, f"{statement.number}.xlsx")


@require_safe
@member_required
def statement_pdf(request, pk):
    statement = _own_statement(request, pk)
    body = statement_files.to_pdf(statement, statement_selectors.lines_of(statement))
    return attachment(body, "application/pdf", f"{statement.number}.pdf")

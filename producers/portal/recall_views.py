"""Portal recall page: a reason and the lot(s); producers.recalls does the rest."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from producers import recalls
from producers.errors import ProducerError
from producers.portal.views import member_required

MAX_LOTS = 200


@member_required
def recall(request):
    lots = list(recalls.recallable_lots(request.user).order_by("-created_at")[:MAX_LOTS])
    chosen = {int(v) for v in request.GET.getlist("lo") if v.isdigit()}
    error, reason = "", ""
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("lots") if v.isdigit()}
        reason = request.POST.get("reason", "")
        if request.POST.get("confirm") != "1":
            error = _("Hãy đánh dấu ô xác nhận: thu hồi không thể hoàn tác.")
        else:
            try:
                result = recalls.recall_lots(request.user, sorted(chosen), reason)
            except DomainError as exc:
                if exc.code == ProducerError.NOT_FOUND:
                    raise
                error = exc.message
            else:
                codes = ", ".join(b.lot for b in result.lots)
                messages.success(
                    request,
                    _("Đã thu hồi lô %(lots)s; %(n)s người mua sẽ được báo qua email và SMS.")
                    % {"lots": codes, "n": result.buyers},
                )
                return redirect("portal:lot", pk=result.lots[0].pk)
    return render(
        request,
        "portal/recall.html",
        {"lots": lots, "chosen": chosen, "error": error, "reason": reason},
        status=400 if error else 200,
    )

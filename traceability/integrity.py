"""What the trace page, the JSON-LD and the API say about a lot's history, and the full audit.

INTACT_ANCHORED: the chain recomputes and extends every head signed for the lot, and its last
event is covered by a valid signed tree head. INTACT_UNANCHORED: the same, but events were
recorded after the last head (or none covers the lot yet). BROKEN: anything else — an event
edited, deleted or reordered, a signed head the chain no longer holds, a forged head.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traceability import checkpoints
from traceability.checkpoints import LogStatus, Problem
from traceability.models import TreeLeaf
from traceability.selectors import gtin14
from traceability.verification import Trace, verify_all

INTACT_ANCHORED = "INTACT_ANCHORED"
INTACT_UNANCHORED = "INTACT_UNANCHORED"
BROKEN = "BROKEN"

CHAIN_PROBLEMS = {
    "content_changed": "edited",
    "missing_event": "deleted",
    "broken_link": "reordered",
}
PROBLEM_LABELS = {
    "edited": _("một sự kiện đã bị sửa"),
    "deleted": _("sự kiện đã ghi bị xóa"),
    "reordered": _("thứ tự sự kiện bị đảo hoặc có sự kiện bị xóa"),
    "missing": _("lô hàng đã được neo nhưng không còn"),
    "forged_checkpoint": _("có điểm neo giả mạo"),
    "log_rewritten": _("sổ điểm neo đã bị sửa"),
}


@dataclass(frozen=True)
class Integrity:
    status: str
    anchored_at: datetime.datetime | None = None  # time of the signed head that proves it
    unanchored_since: datetime.datetime | None = None  # record time of the first later event
    anchored_events: int = 0
    tree_size: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def chain_valid(self) -> bool:
        return self.status != BROKEN

    @property
    def problem_codes(self) -> list[str]:
        return list(dict.fromkeys(p.code for p in self.problems))

    @property
    def problem_labels(self) -> list[str]:
        return [str(PROBLEM_LABELS.get(code, code)) for code in self.problem_codes]

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "chainValid": self.chain_valid,
            "anchoredAt": _iso(self.anchored_at),
            "unanchoredSince": _iso(self.unanchored_since),
            "anchoredEvents": self.anchored_events,
            "treeSize": self.tree_size,
            "problems": [{"code": p.code, "detail": p.detail} for p in self.problems],
        }


def _iso(moment):
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _lot_problems(status, leaves, name: str) -> list[Problem]:
    problems = []
    if not status.valid:
        code = CHAIN_PROBLEMS.get(status.reason, "edited")
        problems.append(Problem(code, f"{name}: event #{status.broken_at} ({status.reason})"))
    for leaf in leaves:
        if leaf.events > status.checked:
            if status.valid:  # a shorter chain that verifies: anchored events were removed
                problems.append(
                    Problem(
                        "deleted",
                        f"{name}: {leaf.events} events were signed (leaf #{leaf.index}), "
                        f"{status.checked} remain",
                    )
                )
        elif status.digests[leaf.events - 1] != leaf.head:
            problems.append(
                Problem(
                    "edited",
                    f"{name}: the first {leaf.events} events differ from those signed "
                    f"(leaf #{leaf.index}): history rewritten",
                )
            )
    return problems


def evaluate(
    trace: Trace, log: LogStatus | None = None, now: datetime.datetime | None = None
) -> Integrity:
    log = log or checkpoints.verify_log(now)
    batch = trace.batch
    gtin = gtin14(batch.product)
    # The lot's own leaves are read fresh and must be the very leaves of the tree.
    leaves = []
    if log.anchored_size:
        leaves = list(
            TreeLeaf.objects.filter(gtin=gtin, lot=batch.lot, index__lt=log.anchored_size).order_by(
                "index"
            )
        )
    forged = [
        leaf for leaf in leaves if log.tree.levels[0][leaf.index] != checkpoints.leaf_hash_of(leaf)
    ]
    if forged and log.reused:
        return evaluate(trace, checkpoints.verify_log(now, fresh=True), now)
    problems = list(log.problems) + [
        Problem("log_rewritten", f"{gtin}/{batch.lot}: leaf #{leaf.index} is not the one signed")
        for leaf in forged
    ]
    leaves = [leaf for leaf in leaves if leaf not in forged]
    problems += _lot_problems(trace.status, leaves, f"{gtin}/{batch.lot}")
    anchored = max((leaf.events for leaf in leaves), default=0)
    latest = log.valid_heads[-1] if log.valid_heads else None
    since = None
    if len(trace.events) > anchored:
        since = trace.events[anchored].record_time
    elif not trace.events:
        since = batch.created_at
    if problems:
        status = BROKEN
    elif anchored and since is None:
        status = INTACT_ANCHORED
    else:
        status = INTACT_UNANCHORED
    return Integrity(
        status=status,
        anchored_at=latest.signed_at if (latest and anchored) else None,
        unanchored_since=since,
        anchored_events=anchored,
        tree_size=log.anchored_size,
        problems=problems,
    )


def of(trace: Trace) -> Integrity:
    """The trace's integrity, computed once per trace object (a page or an API response)."""
    cached = getattr(trace, "_integrity", None)
    if cached is None:
        cached = evaluate(trace)
        object.__setattr__(trace, "_integrity", cached)
    return cached


@dataclass
class Audit:
    """What `verify_trace_chains` reports: every lot, every head, every lot gone missing."""

    lots: int = 0
    events: int = 0
    problems: list[Problem] = field(default_factory=list)


def audit(now: datetime.datetime | None = None) -> Audit:
    now = now or timezone.now()
    log = checkpoints.verify_log(now, fresh=True)
    report = Audit(problems=list(log.problems))
    by_lot: dict[tuple[str, str], list] = {}
    for leaf in log.leaves[: log.anchored_size]:
        by_lot.setdefault((leaf.gtin, leaf.lot), []).append(leaf)
    for batch, status in verify_all():
        report.lots += 1
        report.events += status.checked
        key = (gtin14(batch.product), batch.lot)
        report.problems += _lot_problems(status, by_lot.pop(key, []), f"{key[0]}/{key[1]}")
    for (gtin, lot), leaves in by_lot.items():
        report.problems.append(
            Problem(
                "missing",
                f"{gtin}/{lot}: signed with {leaves[-1].events} events (leaf "
                f"#{leaves[-1].index}) but no longer in the database",
            )
        )
    return report

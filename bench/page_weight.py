"""Page weight in a real Chromium at 360 × 740: bytes transferred before the shopper scrolls.

Budgets (issue 14): home ≤ 60 KB, product ≤ 40 KB, trace ≤ 15 KB. The page is served by the
app over HTTP (gzip for HTML, WhiteNoise's pre-compressed static files, the sample photos),
loaded with an empty cache, and every response the browser received until the network was
idle is counted at its transferred size (headers and compressed body), images below the fold
excluded by their loading="lazy". Fails when a page is over its budget.
"""

import os
import socketserver
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

BUDGETS_KB = {"home": 60, "product": 40, "trace": 15}
KB = 1000


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _pages() -> dict[str, str]:
    from marketplace.catalog.models import Product
    from traceability.digital_link import path_for
    from traceability.models import Batch

    product = (
        Product.objects.published().filter(images__isnull=False, batches__isnull=False).first()
    )
    batch = Batch.objects.filter(product=product).order_by("-packed_on").first()
    return {"home": "/", "product": f"/san-pham/{product.slug}/", "trace": path_for(batch)}


def _weigh(page, url: str) -> tuple[int, dict[str, int]]:
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    sizes: dict[str, int] = {}
    for request in finished:  # sizes asked after the load, never inside the event handler
        measured = request.sizes()
        kind = request.resource_type
        sizes[kind] = (
            sizes.get(kind, 0) + measured["responseBodySize"] + measured["responseHeadersSize"]
        )
    return sum(sizes.values()), sizes


def run() -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("page weight: skipped (no playwright)")
        return
    if not os.path.exists(chromium):
        print(f"page weight: skipped (no Chromium at {chromium})")
        return
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), _ThreadingServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    over = []
    pages = _pages()  # before Playwright's event loop runs in this thread
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for name, path in pages.items():
                context = browser.new_context(
                    viewport={"width": 360, "height": 740}, is_mobile=True, locale="vi-VN"
                )
                total, by_kind = _weigh(context.new_page(), base + path)
                context.close()
                budget = BUDGETS_KB[name]
                parts = ", ".join(f"{k} {v / KB:.1f}" for k, v in sorted(by_kind.items()))
                verdict = "ok" if total <= budget * KB else "OVER BUDGET"
                print(
                    f"{name + ' ' + path:<58} {total / KB:6.1f} KB of {budget} KB  {verdict}"
                    f"   ({parts})"
                )
                if total > budget * KB:
                    over.append(name)
            browser.close()
    finally:
        server.shutdown()
    if over:
        raise SystemExit(f"page weight over budget: {', '.join(over)}")

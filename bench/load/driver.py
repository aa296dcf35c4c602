"""The load driver: shopper threads on loopback drive a mix of requests and time each one.

Python threads with http.client rather than wrk + Lua: a checkout is a stateful walk (cart POST
with a CSRF token from a cookie, the checkout form, the confirmation page) whose answers must
be checked and whose order numbers are compared with the database afterwards, and the kill test
needs to know which requests were in flight when a node died. The driver runs in its own
process, apart from the web nodes; at the request rates two cores give Django it is not the
bottleneck (it reports its own CPU share).
"""

import http.client
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

# Shares of the mix: browse 70 %, search 20 %, trace scans 8 %, checkout 2 %.
MIX = {"browse": 70, "search": 20, "trace": 8, "checkout": 2}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCHES = [
    "nuoc mam",
    "mắm cá linh",
    "tiêu phú quốc",
    "khô cá lóc",
    "bánh pía",
    "thot not",
    "đường thốt nốt",
    "tra ca",
    "gạo",
    "quà tri tôn",
]


@dataclass
class Catalogue:
    """What shoppers ask for (read from the database before the run)."""

    paths: list[str]  # product, producer and category pages, the home page, listing pages
    trace_paths: list[str]
    buy: list[tuple[str, str]]  # (sku, page) of products with stock enough for every checkout


@dataclass
class Outcome:
    kind: str
    started: float
    ended: float
    ok: bool
    detail: str = ""


@dataclass
class Results:
    outcomes: list[Outcome] = field(default_factory=list)
    placed: dict[str, str] = field(default_factory=dict)  # checkout email → order number
    attempted: list[str] = field(default_factory=list)  # checkout emails tried
    own_order_missing: int = 0  # confirmation page that did not show the order just placed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


class Shopper:
    """One keep-alive connection and one cookie jar; a new address for every browse."""

    def __init__(self, host: str, port: int, rng: random.Random):
        self.host, self.port, self.rng = host, port, rng
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.address = self.new_address()

    def new_address(self) -> str:
        return (
            f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        )

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-For": self.address,  # nginx appends its own peer (127.0.0.1)
            "Accept-Language": "vi",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a fresh connection
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "max-age=0" in value.lower() or not cookie_value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = cookie_value
        return response.status, response.getheader("Location", ""), content

    def post_form(self, path: str, data: dict):
        return self.request(
            "POST",
            path,
            urlencode(data).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )


def _checkout(shopper: Shopper, catalogue: Catalogue, email: str, results: Results) -> str:
    """Cart → checkout form → order page; the order number, or raise AssertionError."""
    shopper.cookies.clear()
    shopper.address = shopper.new_address()
    sku, product_page = shopper.rng.choice(catalogue.buy)
    status, _, page = shopper.request("GET", product_page)
    assert status == 200, f"product page {status}"
    token = CSRF_FIELD.search(page.decode())
    assert token, "no CSRF token on the product page"
    data = {"csrfmiddlewaretoken": token.group(1), "sku": sku, "quantity": 1}
    status, _, _ = shopper.post_form("/gio-hang/them/", data)
    assert status == 302, f"cart add {status}"
    status, _, page = shopper.request("GET", "/thanh-toan/")
    assert status == 200, f"checkout page {status}"
    token = CSRF_FIELD.search(page.decode()).group(1)
    form = {
        "csrfmiddlewaretoken": token,
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "email": email,
        "province_code": "01",
        "ward_code": "00004",
        "street_address": "12 Phố Điện Biên Phủ",
        "postal_code": "",
        "vpostcode": "",
        "note": "",
        "payment_method": "vietqr",
    }
    with results.lock:
        results.attempted.append(email)
    status, location, _ = shopper.post_form("/thanh-toan/", form)
    assert status == 302 and "/don-hang/" in location, f"checkout {status} {location}"
    number = location.rstrip("/").rsplit("/", 1)[-1]
    with results.lock:
        results.placed[email] = number
    # Read-your-writes: the confirmation right after placing must show the order.
    status, _, page = shopper.request("GET", location)
    if status != 200 or number not in page.decode():
        with results.lock:
            results.own_order_missing += 1
        raise AssertionError(f"own order page {status}")
    return number


def _one(kind: str, shopper: Shopper, catalogue: Catalogue, run_id: str, seq: int, results):
    rng = shopper.rng
    if kind == "checkout":
        _checkout(shopper, catalogue, f"load-{run_id}-{seq}@example.vn", results)
        return
    shopper.cookies.clear()  # anonymous readers: no session, no pin
    shopper.address = shopper.new_address()
    if kind == "browse":
        path = rng.choice(catalogue.paths)
    elif kind == "search":
        path = "/san-pham/?" + urlencode({"q": rng.choice(SEARCHES)})
    else:
        path = rng.choice(catalogue.trace_paths)
    status, _, _ = shopper.request("GET", path)
    assert status == 200, f"{path} {status}"


def drive(
    host: str,
    port: int,
    catalogue: Catalogue,
    seconds: float,
    threads: int,
    run_id: str,
    seed: int = 7,
    plan: list[str] | None = None,
) -> Results:
    """Run the mix from `threads` shoppers for `seconds` (or, given a `plan`, each shopper
    makes exactly those requests); every request's outcome is kept."""
    results = Results()
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    deadline = time.monotonic() + seconds
    counter = iter(range(10**9))
    counter_lock = threading.Lock()

    def shop(index: int) -> None:
        shopper = Shopper(host, port, random.Random(seed * 1000 + index))
        planned = iter(plan) if plan is not None else None
        while planned is not None or time.monotonic() < deadline:
            if planned is None:
                kind = shopper.rng.choices(kinds, weights)[0]
            elif (kind := next(planned, None)) is None:
                break
            with counter_lock:
                seq = next(counter)
            started = time.monotonic()
            try:
                _one(kind, shopper, catalogue, run_id, seq, results)
                results.add(Outcome(kind, started, time.monotonic(), True))
            except (AssertionError, OSError, http.client.HTTPException) as exc:
                results.add(Outcome(kind, started, time.monotonic(), False, str(exc)[:200]))
        shopper.connection.close()

    workers = [threading.Thread(target=shop, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 120)
    return results


def probe_rate_limit(host: str, port: int, attempts: int, seconds: float) -> list[tuple[int, bool]]:
    """`attempts` order lookups from one address spread over `seconds`, each on a fresh
    connection (so nginx spreads them over the nodes): (limit window start, allowed?) each."""
    query = json.dumps(
        {"query": '{ order(number: "ZZ0000000000", phone: "0900000000") { number } }'}
    ).encode()
    outcomes = []
    for _ in range(attempts):
        connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            connection.request(
                "POST",
                "/graphql/",
                body=query,
                headers={
                    "Host": "127.0.0.1",
                    "Content-Type": "application/json",
                    "X-Forwarded-For": "192.0.2.77",
                },
            )
            response = connection.getresponse()
            answer = json.loads(response.read() or b"{}")
            codes = {e.get("extensions", {}).get("code") for e in answer.get("errors", [])}
            outcomes.append((int(time.time()), "RATE_LIMITED" not in codes))
        except (OSError, http.client.HTTPException, ValueError):
            pass  # lost in the kill: neither allowed nor refused
        finally:
            connection.close()
        time.sleep(seconds / attempts)
    return outcomes

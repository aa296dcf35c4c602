"""Domain error messages are translated when they are raised, so English users read English.

Services hand a domain error (`DomainError(code, message, field)` and the errors built like it)
a gettext call, never a bare string or an f-string: `gettext("Lô %(lot)s …") % {"lot": lot}`.
Vietnamese stays the source (the msgid); the English is in the catalogues, which
tests/locale/test_catalogue.py keeps complete. The walk reads every module of the apps, like
tests/marketplace/test_error_codes.py does for codes, and also fails on an error built once at
import time (its message would stay in the language of whoever imported the module first).
"""

import ast
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from marketplace import access
from marketplace.errors import DomainError
from producers import onetime
from producers.listings import parse_quantity
from tests.marketplace.test_error_codes import ROOT, _modules, _raises_error

TRANSLATED = {"_", "gettext", "ngettext", "pgettext", "npgettext"}


def _name(call: ast.Call) -> str:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", "")


def _message(call: ast.Call):
    if len(call.args) > 1:
        return call.args[1]
    return next((k.value for k in call.keywords if k.arg == "message"), None)


def _is_literal(node) -> bool:
    """A message written out in place: "…", f"…", "…" + x, "…" % x."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_literal(node.left) or _is_literal(node.right)
    return False


def message_helpers(source: str) -> set[str]:
    """Functions that hand their `message` parameter to an error (`_reject(code, message)`)."""
    helpers = set()
    for function in ast.walk(ast.parse(source)):
        if isinstance(function, ast.FunctionDef) and "message" in {
            a.arg for a in function.args.args + function.args.kwonlyargs
        }:
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and _raises_error(node):
                    message = _message(node)
                    if isinstance(message, ast.Name) and message.id == "message":
                        helpers.add(function.name)
    return helpers


def _translated_at_import(tree: ast.Module) -> list[int]:
    """Errors with a gettext message built by a module's or class's own statements."""
    found = []
    statements = list(tree.body)
    statements += [s for c in tree.body if isinstance(c, ast.ClassDef) for s in c.body]
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and _raises_error(node):
                message = _message(node)
                inner = message.left if isinstance(message, ast.BinOp) else message
                if isinstance(inner, ast.Call) and _name(inner) in TRANSLATED:
                    found.append(node.lineno)
    return found


def untranslated(source: str, helpers: frozenset[str] = frozenset()) -> list[int]:
    """Lines where a domain error gets a message that gettext does not translate at raise."""
    tree = ast.parse(source)
    found = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (_raises_error(node) or _name(node) in helpers)
        and _is_literal(_message(node))
    ]
    return sorted(found + _translated_at_import(tree))


def test_no_domain_error_message_is_a_bare_string():
    sources = {path: path.read_text() for path in _modules()}
    assert len(sources) > 150
    helpers = frozenset(name for source in sources.values() for name in message_helpers(source))
    assert "_reject" in helpers  # marketplace.catalog.images: the photo checks
    bare = [
        f"{path.relative_to(ROOT)}:{line}"
        for path, source in sources.items()
        for line in untranslated(source, helpers)
    ]
    assert not bare, "messages not translated with gettext when raised: " + ", ".join(bare)


def test_the_walk_sees_an_untranslated_message():
    probes = [
        'raise DomainError(CatalogError.REQUIRED, "Cần tên.", "name")',
        'raise DomainError(CatalogError.TOO_LONG, f"Tối đa {n} ký tự.", "name")',
        'raise DomainError(CatalogError.TOO_LONG, "Tối đa %s ký tự." % n, "name")',
        'errors.append(ValidationFailed([DomainError(X.Y, message="Sai.")]))',
        'def f():\n    raise AccessDenied(AccessError.FORBIDDEN, "Không được.")',
        'LINK_INVALID = DomainError(ProducerError.LINK_INVALID, gettext("Hết hạn."), "token")',
    ]
    for probe in probes:
        assert untranslated(probe), probe
    assert untranslated('raise _reject(CatalogError.EMPTY_FILE, "Trống.")', frozenset({"_reject"}))
    helper = "def _reject(code, message):\n    return DomainError(code, message, 'image')\n"
    assert message_helpers(helper) == {"_reject"}
    for fine in [
        'def f():\n    raise DomainError(CatalogError.REQUIRED, gettext("Cần tên."), "name")',
        'def f():\n    raise DomainError(X.Y, _("Tối đa %(n)s.") % {"n": n}, "name")',
        "def f(exc):\n    raise DomainError(exc.code, exc.message, exc.field)",
        'RULE = Rule(AccessError.FORBIDDEN, gettext_noop("Không được."))',
    ]:
        assert untranslated(fine) == [], fine


def test_a_domain_error_is_in_the_language_active_when_raised():
    def message(call) -> str:
        with pytest.raises(DomainError) as caught:
            call()
        return caught.value.message

    def expired():
        raise onetime.code_expired()

    def denied():
        access.require(AnonymousUser(), access.Permission.PORTAL)

    with translation.override("en"):
        assert message(lambda: parse_quantity("-5")) == "The stock quantity must not be negative."
        assert message(lambda: parse_quantity("năm")) == (
            "The stock quantity must be a whole number ≥ 0."
        )
        assert message(expired).startswith("The code has expired")
        assert message(denied) == "Please sign in with a shop member account."
    with translation.override("vi"):
        assert message(lambda: parse_quantity("-5")) == "Số lượng tồn kho không được âm."
        assert message(expired).startswith("Mã đã hết hạn")
        assert message(denied) == "Cần đăng nhập bằng tài khoản thành viên gian hàng."


COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(checkoutId: $id, paymentMethod: COD) {
    order { number }
    errors { field code message }
  }
}"""


@pytest.mark.django_db
def test_graphql_errors_answer_in_the_language_asked_with_the_same_code_and_field(graphql):
    missing = {"id": str(uuid.uuid4())}
    english = graphql(COMPLETE, missing, HTTP_ACCEPT_LANGUAGE="en")["data"]["checkoutComplete"]
    vietnamese = graphql(COMPLETE, missing, HTTP_ACCEPT_LANGUAGE="vi")["data"]["checkoutComplete"]
    assert english["errors"] == [
        {"field": "checkoutId", "code": "NOT_FOUND", "message": "Checkout not found."}
    ]
    assert vietnamese["errors"] == [
        {"field": "checkoutId", "code": "NOT_FOUND", "message": "Không tìm thấy phiên thanh toán."}
    ]

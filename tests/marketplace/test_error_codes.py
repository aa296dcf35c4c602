"""Error codes are members of their domain's StrEnum, and the schema says which a mutation has.

The walk reads every module of the apps (not the tests) and fails on a code written as a bare
string where a domain error is raised, compared or sent (`DomainError("X", …)`,
`exc.code == "X"`, `{"code": "X"}`): new codes go into the domain's `errors.py`. The autouse
fixture `_mutation_codes_are_declared` (tests/conftest.py) checks, in every test, that what a
mutation answers is one of the codes its schema description lists.
"""

import ast
import importlib
import pathlib
import re
from enum import StrEnum

from config.schema import schema
from marketplace.errors import AccessError, DomainError
from marketplace.graphql.mutations import DomainMutation

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ("config", "fixtures", "marketplace", "producers", "storefront", "traceability")
CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")


def _is_code(node) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(CODE.match(node.value))
    )


def _raises_error(node) -> bool:
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
    return name.endswith(("Error", "Denied", "Failed")) or name == "Rule"


def code_helpers(source: str) -> set[str]:
    """Functions that hand their `code` parameter to an error (`def _reject(code, message):
    return DomainError(code, message, "image")`): a literal given to them is a bare code too."""
    helpers = set()
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef):
            continue
        if "code" not in {a.arg for a in function.args.args + function.args.kwonlyargs}:
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and node.args and _raises_error(node):
                if isinstance(node.args[0], ast.Name) and node.args[0].id == "code":
                    helpers.add(function.name)
    return helpers


def bare_codes(source: str, helpers: frozenset[str] = frozenset()) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if (_raises_error(node) or name in helpers) and _is_code(node.args[0]):
                found.append(node.args[0].value)
        elif isinstance(node, ast.Compare) and getattr(node.left, "attr", None) == "code":
            for right in node.comparators:
                items = right.elts if isinstance(right, (ast.Tuple, ast.Set, ast.List)) else [right]
                found += [item.value for item in items if _is_code(item)]
        elif isinstance(node, ast.Dict):
            found += [
                value.value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == "code" and _is_code(value)
            ]
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.IfExp):
            if any(getattr(target, "id", None) == "code" for target in node.targets):
                found += [e.value for e in (node.value.body, node.value.orelse) if _is_code(e)]
    return found


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_error_code_is_a_bare_string():
    modules = list(_modules())
    assert len(modules) > 150
    sources = {path: path.read_text() for path in modules}
    helpers = frozenset(name for source in sources.values() for name in code_helpers(source))
    assert "_reject" in helpers  # marketplace.catalog.images: the photo checks
    bare = {
        f"{path.relative_to(ROOT)}: {code}"
        for path, source in sources.items()
        for code in bare_codes(source, helpers)
    }
    assert not bare, "codes outside their domain's errors.py StrEnum: " + ", ".join(sorted(bare))


def test_the_walk_sees_a_bare_code():
    source = (
        'raise DomainError("NEW_CODE", "x")\nif exc.code == "OTHER": pass\nd = {"code": "THIRD"}'
    )
    assert bare_codes(source) == ["NEW_CODE", "OTHER", "THIRD"]
    assert bare_codes('raise DomainError(CatalogError.SKU_TAKEN, "x")') == []
    helper = 'def _reject(code, message):\n    return DomainError(code, message, "image")\n'
    assert code_helpers(helper) == {"_reject"}
    assert bare_codes(helper + 'raise _reject("EMPTY_FILE", "x")', frozenset({"_reject"})) == [
        "EMPTY_FILE"
    ]


def _domain_enums():
    for path in sorted(ROOT.glob("*/**/errors.py")) + [ROOT / "config" / "api_errors.py"]:
        if ".venv" in path.parts or not path.exists():
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
                yield value


def test_every_domain_lists_its_codes_as_a_str_enum():
    enums = set(_domain_enums())
    names = {enum.__name__ for enum in enums}
    assert {"CatalogError", "CheckoutError", "ProducerError", "TraceError", "AccessError"} <= names
    for enum in enums:
        for member in enum:
            assert member.value == member.name, f"{enum.__name__}.{member.name}"
    # The codes the contract and its clients rely on keep their spelling.
    from marketplace.checkout.errors import CheckoutError

    assert CheckoutError.OUT_OF_STOCK == "OUT_OF_STOCK"
    assert {"UNAUTHENTICATED", "PERMISSION_DENIED", "FORBIDDEN"} == set(AccessError)


def _mutations():
    for name, field in schema.graphql_schema.mutation_type.fields.items():
        yield name, field, getattr(field.resolve, "__self__", None)


def test_every_mutation_maps_its_errors_through_domain_mutation_and_documents_its_codes():
    mutations = list(_mutations())
    assert len(mutations) > 10
    for name, field, mutation in mutations:
        assert isinstance(mutation, type) and issubclass(mutation, DomainMutation), name
        assert mutation.error_codes, f"{name} declares no error_codes"
        documented = re.search(r"Error codes: ([A-Z0-9_, ]+)\.", field.description or "")
        assert documented, f"{name}: its description lists no codes"
        assert set(documented.group(1).split(", ")) == set(mutation.codes()), name


def test_an_undeclared_code_is_noticed():
    from marketplace.checkout.errors import CheckoutError
    from marketplace.checkout.graphql.schema import CartLineRemove

    # Public cart mutations never refuse access: FORBIDDEN is not one of their codes.
    refused = DomainError(AccessError.FORBIDDEN, "x")
    assert CartLineRemove.undeclared(refused) == ["FORBIDDEN"]
    assert CartLineRemove.undeclared(DomainError(CheckoutError.NOT_FOUND, "x")) == []

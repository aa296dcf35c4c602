"""The elasticsearch backend against a live node (CI starts one; skipped without SEARCH_URL)."""

import pytest

from marketplace.catalog.listing import ProductFilter
from marketplace.catalog.models import Product, ProductStatus
from marketplace.search import services
from marketplace.search.analysis import plan_query
from marketplace.search.backends import database
from marketplace.search.facets import database_facets
from marketplace.search.services import browse_products
from tests.marketplace.search import relevance

pytestmark = pytest.mark.django_db


def skus(page):
    return [p.sku for p in page.items]


def test_relevance_bar_on_the_engine(engine):
    pages = {}

    def search(query):
        pages[query] = browse_products(first=10, search=query)
        return skus(pages[query])

    judged = relevance.judge(search)
    precision, first = relevance.summary(judged)
    print(relevance.table(judged))
    assert {p.backend for p in pages.values()} == {"elasticsearch"}
    assert precision >= 0.90, relevance.table(judged)
    assert first >= 0.95, relevance.table(judged)


def test_extended_relevance_bar_on_the_engine(engine):
    """The project's queries plus how shoppers really type (issue 17), each kind reported."""
    pages = {}

    def search(query):
        pages[query] = browse_products(first=10, search=query)
        return skus(pages[query])

    judged = relevance.judge(search, relevance.ALL_QUERIES)
    precision, first = relevance.summary(judged)
    print(relevance.table(judged[len(relevance.QUERIES) :]))
    print(relevance.by_kind(judged))
    assert {p.backend for p in pages.values()} == {"elasticsearch"}
    assert precision >= 0.95, relevance.table(judged)
    assert first >= 0.95, relevance.table(judged)


def test_engine_filters_and_facets_agree_with_the_database(engine):
    flt = ProductFilter(groups=[1], in_stock=True)
    page = browse_products(first=100, search="phu quoc", flt=flt)
    assert page.backend == "elasticsearch" and page.items
    for product in page.items:
        assert product.product_set.group_id == 1 and product.stock_quantity > 0
    plan = plan_query("phu quoc", database.SearchVocabulary())
    published = ProductFilter(groups=[1], in_stock=True)
    from marketplace.catalog.listing import apply_filter

    expected = database_facets(
        database.matching(apply_filter(Product.objects.published(), published), plan)
    )
    assert page.facets() == expected
    assert page.total_count == sum(v.count for v in expected.product_sets)


def test_engine_pages_with_search_after(engine):
    whole = skus(browse_products(first=100, search="kho"))
    seen, after = [], None
    while True:
        page = browse_products(first=4, search="kho", after=after)
        seen += skus(page)
        if not page.has_next:
            break
        after = page.cursor(page.items[-1])
    assert seen == whole and len(set(seen)) == len(seen) > 10


def test_engine_follows_changes_after_commit(engine, django_capture_on_commit_callbacks):
    product = Product.objects.get(sku="AG0087-01")
    with django_capture_on_commit_callbacks(execute=True):
        product.name = "Xoài keo Tịnh Biên"
        product.save()
    engine.client().indices.refresh(index=engine.alias())
    assert skus(browse_products(first=3, search="xoai tinh bien"))[0] == "AG0087-01"

    with django_capture_on_commit_callbacks(execute=True):
        product.status = ProductStatus.HIDDEN
        product.save()
    engine.client().indices.refresh(index=engine.alias())
    assert not engine.client().exists(index=engine.alias(), id=product.pk)
    assert "AG0087-01" not in skus(browse_products(first=50, search="xoai"))


def test_reindex_swaps_the_alias_to_a_new_index(engine):
    es = engine.client()
    (before,) = es.indices.get_alias(name=engine.alias()).keys()
    report = services.reindex(engine=True)
    (after,) = es.indices.get_alias(name=engine.alias()).keys()
    assert after != before and after == report["engine_index"]
    assert not es.indices.exists(index=before)
    assert report["engine_documents"] == Product.objects.published().count()


def test_healthz_reports_the_engine(engine, client):
    assert client.get("/healthz").json()["search"] == "elasticsearch"


def test_the_engines_synonym_filter_is_built_from_the_synonym_files():
    """The index settings' synonym_graph rules are the synonym files' (both backends' source)."""
    from marketplace.search import synonyms
    from marketplace.search.backends import engine as backend

    definition = backend._synonym_analyzer().get_analysis_definition()
    rules = definition["filter"]["ocop_synonym_rules"]
    assert rules["type"] == "synonym_graph"
    assert rules["synonyms"] == list(synonyms.engine_rules())
    assert "fish sauce => nuoc mam" in rules["synonyms"] and "khom, thom, dua" in rules["synonyms"]
    assert definition["analyzer"][backend.SYNONYM_ANALYZER]["tokenizer"] == "whitespace"


def test_the_node_expands_the_synonym_files_in_the_query(engine):
    """The node itself applies the rules: "fish sauce" and "thom" become the catalogue's words
    through the index's own analyzer, not through Python."""
    from marketplace.search.backends import engine as backend

    def analysed(text):
        found = backend.client().indices.analyze(
            index=backend.alias(), analyzer=backend.SYNONYM_ANALYZER, text=text
        )
        return {token["token"] for token in found["tokens"]}

    assert {"nuoc", "mam"} <= analysed("fish sauce")
    assert {"khom", "dua"} <= analysed("thom")
    assert analysed("mam ruoc") == {"mam", "ruoc"}  # no rule, no change

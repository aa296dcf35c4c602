"""The scale backend: an Elasticsearch node, through elasticsearch-dsl.

Text is folded in Python (marketplace.text.fold) before indexing and querying and split on white
space, so the node's core "whitespace" analyzer indexes it. Synonyms
(marketplace/search/synonyms/*.txt) are a synonym_graph filter in the index settings, applied
at query time with a lower weight than the words typed, so a changed file needs a
`search_reindex`. That filter and the whitespace tokenizer come from the analysis-common module
of a full distribution (CI's integ-test node gets them from .ci/services/es-synonym-graph). The
database backend expands the same rules in the query. Indices are versioned
(`<alias>-<timestamp>`) behind one alias; a full reindex builds a new index and swaps the alias
in one atomic request, so searches never see a half index.
"""

import functools
import time

from django.conf import settings
from elasticsearch import Elasticsearch, helpers
from elasticsearch_dsl import (
    A,
    Boolean,
    Document,
    Integer,
    Keyword,
    Long,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from marketplace.catalog.listing import ProductFilter
from marketplace.search import synonyms
from marketplace.search.analysis import FUZZY_MIN_LENGTH, Term
from marketplace.search.documents import FIELD_WEIGHTS
from marketplace.search.facets import PRICE_BANDS, band_key

EXACT, FUZZY, SYNONYM, PREFIX = 10, 7, 6, 5
FIELDS = [f"{name}^{weight}" for name, weight in FIELD_WEIGHTS.items()]
# A relaxed search (no product has every word) does not look in descriptions, as the database.
RELAXED_FIELDS = [f for f in FIELDS if not f.startswith("description^")]
# The same rules the database backend expands with, applied by the node at query time.
SYNONYM_ANALYZER = "ocop_synonyms"


def _synonym_analyzer():
    rules = token_filter(
        "ocop_synonym_rules", "synonym_graph", synonyms=list(synonyms.engine_rules())
    )
    return analyzer(SYNONYM_ANALYZER, tokenizer="whitespace", filter=[rules])


# "One edit on words of 4+ letters" in Elasticsearch's words.
FUZZINESS = f"AUTO:{FUZZY_MIN_LENGTH},100"


class ProductDocument(Document):
    pk = Long()
    sku = Keyword()
    name = Text(analyzer="whitespace")
    producer = Text(analyzer="whitespace")
    place = Text(analyzer="whitespace")
    product_set = Text(analyzer="whitespace")
    description = Text(analyzer="whitespace")
    name_original = Keyword(index=False)
    name_length = Integer()
    product_set_code = Keyword()
    group = Integer()
    stars = Integer()
    ward_code = Keyword()
    producer_code = Keyword()
    price = Long()
    in_stock = Boolean()


def alias() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-products"


def hosts(url: str) -> list[str]:
    """SEARCH_URL names one node, or several separated by commas (one cluster)."""
    return [host.strip() for host in url.split(",") if host.strip()]


@functools.cache
def _client(url: str, timeout: float) -> Elasticsearch:
    # A node that refuses the connection is set aside and the request goes to the next one;
    # with one node (or all away) the caller falls back to the database at once. A slow node
    # is not retried: its timeout already spent the request's budget.
    nodes = hosts(url)
    return Elasticsearch(
        nodes, request_timeout=timeout, max_retries=len(nodes) - 1, retry_on_timeout=False
    )


def client() -> Elasticsearch:
    return _client(settings.SEARCH_URL, settings.SEARCH_TIMEOUT)


def admin_client() -> Elasticsearch:
    """For creating and filling indexes: a busy node may take seconds to create one, which
    must not fail a reindex; shoppers' queries keep the short timeout of client()."""
    return _client(settings.SEARCH_URL, settings.SEARCH_ADMIN_TIMEOUT)


def ping() -> bool:
    # Cluster health, not "GET /": the minimal distribution CI runs has no root endpoint.
    try:
        return client().cluster.health()["status"] in ("green", "yellow")
    except Exception:  # noqa: BLE001 - any failure to answer means "down"
        return False


def _create_index(name: str) -> None:
    index = ProductDocument._index.clone(name)
    # Replicas need as many more nodes: SEARCH_REPLICAS=1 on a cluster of two or more.
    index.settings(
        number_of_shards=1, number_of_replicas=settings.SEARCH_REPLICAS, refresh_interval="1s"
    )
    index.analyzer(_synonym_analyzer())
    index.create(using=admin_client())


def ensure_index() -> None:
    """Create a first versioned index behind the alias if there is none yet."""
    es = admin_client()
    if es.indices.exists_alias(name=alias()):
        return
    name = f"{alias()}-{time.time_ns() // 1_000_000}"
    _create_index(name)
    es.indices.put_alias(index=name, name=alias())


def rebuild(documents) -> tuple[str, int]:
    """Index all documents into a new index, then swap the alias to it atomically."""
    es = admin_client()
    name = f"{alias()}-{time.time_ns() // 1_000_000}"
    _create_index(name)
    actions = ({"_index": name, "_id": d["pk"], "_source": d} for d in documents)
    count, _ = helpers.bulk(es, actions, chunk_size=1000, refresh=False)
    es.indices.refresh(index=name)
    old = (
        list(es.indices.get_alias(name=alias()).keys())
        if es.indices.exists_alias(name=alias())
        else []
    )
    swaps = [{"remove": {"index": o, "alias": alias()}} for o in old]
    es.indices.update_aliases(actions=[*swaps, {"add": {"index": name, "alias": alias()}}])
    for stale in old:
        es.indices.delete(index=stale, ignore_unavailable=True)
    return name, count


def upsert(documents, delete_ids, *, refresh: bool = False) -> None:
    """Incremental update through the alias: index searchable products, delete the others."""
    ensure_index()
    actions = [{"_index": alias(), "_id": d["pk"], "_source": d} for d in documents]
    actions += [{"_op_type": "delete", "_index": alias(), "_id": pk} for pk in delete_ids]
    if actions:
        helpers.bulk(client(), actions, refresh=refresh, raise_on_error=False)


def _fields(term: Term, every: bool) -> list[str]:
    fields = FIELDS if every else RELAXED_FIELDS
    if term.place:  # a place named in the query: its products as high as the name says it
        fields = [f"place^{FIELD_WEIGHTS['name']}" if f.startswith("place^") else f for f in fields]
    return fields


def _term_query(term: Term, every: bool):
    fields = _fields(term, every)
    if term.size > 1:
        options = [Q("multi_match", query=term.word, fields=fields, type="phrase", boost=EXACT)]
    else:
        options = [Q("multi_match", query=term.word, fields=fields, boost=EXACT)]
        if len(term.word) >= FUZZY_MIN_LENGTH:
            options.append(
                Q("multi_match", query=term.word, fields=fields, fuzziness=FUZZINESS, boost=FUZZY)
            )
        if term.prefix:
            options.append(
                Q("multi_match", query=term.word, fields=fields, type="phrase_prefix", boost=PREFIX)
            )
    if term.rule:  # the node's synonym_graph filter expands the rule's own words
        options.append(
            Q(
                "multi_match",
                query=term.rule,
                fields=fields,
                type="phrase",
                analyzer=SYNONYM_ANALYZER,
                boost=SYNONYM,
            )
        )
    for other in (*term.alternatives, *term.wards):
        options.append(Q("multi_match", query=other, fields=fields, type="phrase", boost=SYNONYM))
    return Q("dis_max", queries=options)


def _filters(flt: ProductFilter) -> list:
    found = []
    for field, values in (
        ("product_set_code", flt.ocop_sets),
        ("group", flt.groups),
        ("stars", flt.stars),
        ("ward_code", flt.ward_codes),
        ("producer_code", flt.producer_codes),
    ):
        if values:
            found.append(Q("terms", **{field: list(values)}))
    price = {}
    if flt.price_min is not None:
        price["gte"] = flt.price_min
    if flt.price_max is not None:
        price["lte"] = flt.price_max
    if price:
        found.append(Q("range", price=price))
    if flt.in_stock is not None:
        found.append(Q("term", in_stock=flt.in_stock))
    return found


def _search(terms: list[Term], flt: ProductFilter, every: bool) -> Search:
    clauses = [_term_query(t, every) for t in terms]
    phrase = " ".join(t.word for t in terms)
    should = [Q("match_phrase", name={"query": phrase, "boost": EXACT})]
    if every:
        query = Q("bool", must=clauses, should=should)
    else:
        query = Q("bool", should=clauses + should, minimum_should_match=1)
    found = Search(using=client(), index=alias()).query(query)
    filters = _filters(flt)
    return found.filter(Q("bool", filter=filters)) if filters else found


def search(terms: list[Term], flt: ProductFilter, first: int, after: list | None):
    """(pks with their sort keys, total, the Search used, relaxed) in relevance order.

    Every term must match; only when nothing does is any term enough, outside descriptions
    (relaxed, one more request)."""
    for every in (True, False) if len(terms) > 1 else (True,):
        found = _search(terms, flt, every)
        page = found.sort({"_score": "desc"}, {"name_length": "asc"}, {"pk": "asc"}).extra(
            size=first + 1, track_total_hits=True, _source=False
        )
        if after:
            page = page.extra(search_after=after)
        response = page.execute()
        total = response.hits.total.value
        if total:
            break
    hits = [(int(hit.meta.id), list(hit.meta.sort)) for hit in response.hits]
    return hits, total, found, not every


def facet_counts(base: Search):
    """Aggregations over the whole result set: the same four facets as the database."""
    query = base.extra(size=0)
    query.aggs.bucket("sets", A("terms", field="product_set_code", size=200))
    query.aggs.bucket("stars", A("terms", field="stars", size=10))
    query.aggs.bucket("wards", A("terms", field="ward_code", size=500))
    ranges = [
        {
            "key": band_key(low, high),
            **({"from": low} if low else {}),
            **({"to": high} if high else {}),
        }
        for low, high in PRICE_BANDS
    ]
    query.aggs.bucket("prices", A("range", field="price", ranges=ranges))
    aggs = query.execute().aggregations
    return (
        {b.key: b.doc_count for b in aggs.sets.buckets},
        {int(b.key): b.doc_count for b in aggs.stars.buckets},
        {b.key: b.doc_count for b in aggs.wards.buckets},
        {b.key: b.doc_count for b in aggs.prices.buckets},
    )


def drop_all() -> None:
    """Tests and benchmarks: remove the alias and every index behind it."""
    es = client()
    # By name: nodes refuse wildcard deletes by default (action.destructive_requires_name).
    for name in es.indices.get(index=f"{alias()}-*", allow_no_indices=True):
        es.indices.delete(index=name)

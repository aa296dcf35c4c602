"""docs/ARCHITECTURE.md's import graph is the one the code has (regenerate: `make diagram`)."""

from tools import import_graph


def test_the_committed_diagram_matches_the_code():
    committed = import_graph.embedded(import_graph.DOC.read_text(encoding="utf-8"))
    current = import_graph.mermaid(import_graph.app_edges(import_graph.build()))
    assert committed == current, "docs/ARCHITECTURE.md's import graph is stale: run `make diagram`"


def test_the_diagram_shows_the_apps_and_their_edges():
    edges = import_graph.app_edges(import_graph.build())
    # Both taxonomy users point at it; it points at no app (its admin uses config's mixin).
    assert ("producers", "marketplace.taxonomy") in edges
    assert ("marketplace.catalog", "marketplace.taxonomy") in edges
    assert not {target for source, target in edges if source == "marketplace.taxonomy"} - {"config"}
    # The browse entry: search builds on catalog's listing, never the other way in the domain.
    assert ("marketplace.search", "marketplace.catalog") in edges
    assert "marketplace_search --> marketplace_catalog" in import_graph.mermaid(edges)


def test_a_stale_diagram_is_told_apart():
    text = import_graph.DOC.read_text(encoding="utf-8")
    stale = text.replace("marketplace_search --> marketplace_catalog\n", "")
    assert import_graph.embedded(stale) != import_graph.embedded(text)

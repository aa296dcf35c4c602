"""The GraphQL root schema: each app contributes its queries and mutations."""

import graphene

from marketplace.catalog.graphql.schema import CatalogQueries
from marketplace.coverage.graphql.schema import Queries as CoverageQueries
from traceability.graphql.schema import Queries as TraceabilityQueries


class Query(CatalogQueries, CoverageQueries, TraceabilityQueries, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query)

"""The GraphQL root schema: each app contributes its queries and mutations."""

import graphene

from marketplace.catalog.graphql.schema import CatalogQueries


class Query(CatalogQueries, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query)

"""The GraphQL root schema: each app contributes a `Queries` and a `Mutations` mixin."""

import graphene

from marketplace.catalog.graphql.schema import CatalogQueries
from marketplace.checkout.graphql import schema as checkout
from marketplace.coverage.graphql.schema import Queries as CoverageQueries
from marketplace.reviews.graphql import schema as reviews
from producers.graphql import schema as producers
from traceability.graphql import schema as traceability


class Query(
    CatalogQueries,
    CoverageQueries,
    traceability.Queries,
    checkout.Queries,
    producers.Queries,
    graphene.ObjectType,
):
    pass


def _mutation_root():
    """Only the apps that define mutations take part: GraphQL forbids an empty type."""
    mixins = [
        m
        for m in (
            traceability.Mutations,
            checkout.Mutations,
            producers.Mutations,
            reviews.Mutations,
        )
        if m._meta.fields
    ]
    return type("Mutation", (*mixins, graphene.ObjectType), {}) if mixins else None


schema = graphene.Schema(query=Query, mutation=_mutation_root())

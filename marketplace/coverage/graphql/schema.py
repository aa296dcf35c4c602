"""ocopCoverage(asOf:): the share of certified OCOP products online, as the contract defines."""

import graphene

from marketplace.coverage import services


class CoverageRow(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    certified = graphene.Int(required=True)
    online = graphene.Int(required=True)
    share = graphene.Float(required=True)


class OcopCoverage(graphene.ObjectType):
    as_of = graphene.Date(required=True)
    certified = graphene.Int(required=True)
    online = graphene.Int(required=True)
    share = graphene.Float(required=True)
    target = graphene.Float(required=True, description="Mục tiêu của tỉnh (0.8).")
    by_ward = graphene.List(graphene.NonNull(CoverageRow), required=True)
    by_group = graphene.List(graphene.NonNull(CoverageRow), required=True)
    by_stars = graphene.List(graphene.NonNull(CoverageRow), required=True)
    by_producer_kind = graphene.List(graphene.NonNull(CoverageRow), required=True)


class Queries(graphene.ObjectType):
    ocop_coverage = graphene.Field(
        OcopCoverage,
        as_of=graphene.Date(description="Mặc định: hôm nay (giờ Việt Nam)."),
        required=True,
    )

    @staticmethod
    def resolve_ocop_coverage(root, info, as_of=None):
        return services.compute_coverage(as_of)

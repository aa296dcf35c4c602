"""ocopCoverage(asOf:): the share of certified OCOP products online, as the contract defines;
ocopSales(dateFrom:, dateTo:): OCOP orders and revenue on this marketplace (office staff only)."""

import graphene

from marketplace.access import Permission, public
from marketplace.coverage import sales, services
from marketplace.errors import DomainError
from marketplace.graphql.core import Money, query_error, requires


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


class SalesRow(graphene.ObjectType):
    key = graphene.String(required=True, description="Mã xã/phường, số nhóm, hoặc tháng YYYY-MM.")
    label = graphene.String(required=True)
    orders = graphene.Int(required=True, description="Số đơn có sản phẩm OCOP được tính.")
    units = graphene.Int(required=True)
    revenue = graphene.Field(Money, required=True, description="Tiền hàng, không tính phí giao.")

    @staticmethod
    def resolve_revenue(row, info):
        return Money.vnd(row.revenue)


class OcopSales(graphene.ObjectType):
    date_from = graphene.Date(required=True)
    date_to = graphene.Date(required=True)
    orders = graphene.Int(required=True)
    units = graphene.Int(required=True)
    revenue = graphene.Field(Money, required=True)
    by_ward = graphene.List(graphene.NonNull(SalesRow), required=True)
    by_group = graphene.List(graphene.NonNull(SalesRow), required=True)
    by_month = graphene.List(graphene.NonNull(SalesRow), required=True)

    @staticmethod
    def resolve_revenue(figures, info):
        return Money.vnd(figures.revenue)


class Queries(graphene.ObjectType):
    ocop_coverage = graphene.Field(
        OcopCoverage,
        as_of=graphene.Date(description="Mặc định: hôm nay (giờ Việt Nam)."),
        required=True,
    )

    @staticmethod
    @public("provincial figures the trade office publishes (the contract's ocopCoverage)")
    def resolve_ocop_coverage(root, info, as_of=None):
        return services.compute_coverage(as_of)

    ocop_sales = graphene.Field(
        OcopSales,
        date_from=graphene.Date(description="Mặc định: đầu tháng, 11 tháng trước dateTo."),
        date_to=graphene.Date(description="Mặc định: hôm nay (giờ Việt Nam)."),
        required=True,
        description="Đơn hàng và doanh thu sản phẩm OCOP trên sàn; chỉ cán bộ Sở Công Thương.",
    )

    @staticmethod
    @requires(Permission.OFFICE)
    def resolve_ocop_sales(root, info, date_from=None, date_to=None):
        try:
            return sales.compute_sales(date_from, date_to)
        except DomainError as exc:
            raise query_error(exc) from exc

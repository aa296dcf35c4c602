"""Rebuild the search index: every database document, and a fresh engine index behind the alias."""

from django.core.management.base import BaseCommand

from marketplace.search.services import configured_backend, reindex


class Command(BaseCommand):
    help = (
        "Xây lại chỉ mục tìm kiếm. Với Elasticsearch: tạo chỉ mục mới rồi chuyển alias sang "
        "(không gián đoạn tìm kiếm)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-only", action="store_true", help="Không đụng tới Elasticsearch."
        )

    def handle(self, *args, database_only=False, **options):
        report = reindex(engine=False if database_only else None)
        self.stdout.write(
            f"database: {report['database_documents']} tài liệu trong "
            f"{report['database_seconds']} s (backend: {configured_backend()})"
        )
        if "engine_index" in report:
            self.stdout.write(
                f"elasticsearch: {report['engine_documents']} tài liệu vào "
                f"{report['engine_index']} trong {report['engine_seconds']} s; "
                f"{report['failures_repaired']} lỗi cập nhật đã sửa"
            )

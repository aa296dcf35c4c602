from django.core.management.base import BaseCommand, CommandError

from marketplace.errors import DomainError
from producers.invitations import create_office_user
from producers.management.commands._invite_output import report


class Command(BaseCommand):
    help = (
        "Tạo tài khoản cán bộ Sở Công Thương (nhóm trade_office) và in đường dẫn đặt mật khẩu "
        "dùng một lần (72 giờ); tài khoản đã có thì nhận lời mời, không có đường dẫn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--phone", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args, phone, email, **options):
        try:
            invitation = create_office_user(phone=phone, email=email)
        except DomainError as exc:
            raise CommandError(exc.message)
        report(self, invitation, "cán bộ Sở Công Thương")

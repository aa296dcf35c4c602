from django.core.management.base import BaseCommand, CommandError

from marketplace.errors import DomainError
from producers.invitations import create_producer_owner
from producers.management.commands._invite_output import report


class Command(BaseCommand):
    help = (
        "Tạo chủ tài khoản của một chủ thể và in đường dẫn đặt mật khẩu dùng một lần (72 giờ); "
        "tài khoản đã có thì nhận lời mời, không có đường dẫn."
    )

    def add_arguments(self, parser):
        parser.add_argument("producer_code", metavar="PRODUCER_CODE")
        parser.add_argument("--phone", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args, producer_code, phone, email, **options):
        try:
            invitation = create_producer_owner(producer_code, phone=phone, email=email)
        except DomainError as exc:
            raise CommandError(exc.message)
        report(self, invitation, f"chủ tài khoản {producer_code.upper()}")

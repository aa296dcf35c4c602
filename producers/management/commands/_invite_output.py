"""What the account commands print: the path alone on stdout for a new account (so a script can
read it), the explanation on stderr; for an existing account a request and no path at all."""

from producers.invitations import Invitation


def report(command, invitation: Invitation, what: str) -> None:
    user = invitation.user.get_username()
    if invitation.is_request:
        command.stdout.write(
            f"{user} đã có tài khoản: đã gửi lời mời làm {what}; họ đăng nhập và nhận lời tại "
            "/portal/loi-moi/. Không có đường dẫn đặt mật khẩu cho tài khoản đã có."
        )
        return
    command.stderr.write(
        f"Đã tạo tài khoản {user} ({what}). Đường dẫn đặt mật khẩu, dùng một lần, hết hạn sau "
        "72 giờ (đã gửi qua SMS/email nếu có):"
    )
    command.stdout.write(invitation.link_path)

"""The link a commenter follows to confirm their e-mail (comments/trust.py).

A GET only shows the address and a button: mail scanners open every link in a
message, so following it confirms nothing; the reader's POST does.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import trust
from .views import allow_methods

BAD_LINK_MESSAGE = "Liên kết xác nhận không đúng hoặc đã hết hạn."
BAD_LINK_HINT = (
    f"Liên kết chỉ dùng được trong {trust.LINK_MAX_AGE.days} ngày. Hãy gửi một ý kiến mới "
    "với địa chỉ e-mail của bạn để nhận liên kết khác."
)


@never_cache  # the page carries the reader's own CSRF token
@allow_methods("GET", "HEAD", "POST")
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the address and a "Xác nhận" button; POST: the address is confirmed
    (a thank-you page); 400 for a forged, altered or expired link."""
    address = trust.address_from_token(token)
    if address is None:
        context = {"message": BAD_LINK_MESSAGE, "hint": BAD_LINK_HINT}
        return render(request, "comments/confirm_email.html", context, status=400)
    if request.method == "POST":
        trust.confirm(address, timezone.now())
        return render(request, "comments/email_confirmed.html", {"email": address})
    return render(request, "comments/confirm_email.html", {"email": address, "token": token})

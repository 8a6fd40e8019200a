"""Trusted commenters: whose comments are approved without waiting (COMMENTS_TRUST).

A commenter is trusted while their e-mail is confirmed (through the link mailed
to it, ``comments:confirm_email``) and, over the last COMMENTS_TRUST_DAYS days,
COMMENTS_TRUST_APPROVED of their comments were approved by a moderator and none
was rejected or marked spam. Nothing is stored about it: it is computed at each
post, so one rejection revokes it at once. Only moderators' approvals count, so
trust is earned from people, never from the site's own approvals.

This module decides; ``services.post_comment`` acts (it imports this module,
never the other way round), approving through ``services.moderate`` so the
count, the log line and the readers' list stay in one place.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Comment, CommenterEmail

logger = logging.getLogger(__name__)

LINK_MAX_AGE = timedelta(days=7)
# One confirmation mail per address at most this often: a form filled in with
# someone else's address cannot flood their inbox.
RESEND_AFTER = timedelta(hours=24)
_SALT = "comments.trust.confirm_email"


normalized = CommenterEmail.normalized  # an address as it is kept


def is_confirmed(email: str) -> bool:
    return CommenterEmail.objects.filter(
        email=normalized(email), confirmed_at__isnull=False
    ).exists()


def record(email: str, now: datetime) -> tuple[int, int]:
    """Within the trust window: comments from ``email`` (case aside) approved by a
    moderator, and those rejected or marked spam."""
    since = now - timedelta(days=settings.COMMENTS_TRUST_DAYS)
    counts = Comment.objects.filter(
        email__iexact=normalized(email), created_at__gte=since
    ).aggregate(
        approved=Count("pk", filter=Q(status=Comment.Status.APPROVED, moderated_by__isnull=False)),
        refused=Count("pk", filter=Q(status__in=[Comment.Status.REJECTED, Comment.Status.SPAM])),
    )
    return counts["approved"], counts["refused"]


def _earned(approved: int, refused: int) -> bool:
    return approved >= settings.COMMENTS_TRUST_APPROVED and refused == 0


def is_trusted(email: str, now: datetime) -> bool:
    """Whether a comment from ``email`` posted at ``now`` is approved without waiting."""
    return bool(email) and is_confirmed(email) and _earned(*record(email, now))


def after_post(comment: Comment) -> str:
    """For a comment just stored: the reason to approve it at once, or "".

    Only when trust is on, for a pending comment with an e-mail that no rule
    holds (any ``held_reason``: banned term, links, phone, Zalo, bank, betting)
    from a trusted commenter. From an address not yet confirmed, the
    confirmation link is mailed after the commit instead (at most once a day).
    """
    if not (settings.COMMENTS_TRUST and comment.email and comment.status == Comment.Status.PENDING):
        return ""
    now = timezone.now()
    if not is_confirmed(comment.email):
        offer_confirmation(comment.email, now)
        return ""
    if comment.held_reason:
        return ""
    approved, refused = record(comment.email, now)
    if not _earned(approved, refused):
        return ""
    return (
        f"Người gửi tin cậy: e-mail đã xác nhận, {approved} ý kiến được duyệt và "
        f"không ý kiến nào bị từ chối trong {settings.COMMENTS_TRUST_DAYS} ngày"
    )


def offer_confirmation(email: str, now: datetime) -> bool:
    """Mail the confirmation link to an unconfirmed ``email`` after the commit, unless
    one went out in the last RESEND_AFTER; True if it is sent."""
    address = normalized(email)
    CommenterEmail.objects.get_or_create(email=address)
    # One conditional update: of two posts at once, only one sends.
    due = Q(sent_at__isnull=True) | Q(sent_at__lt=now - RESEND_AFTER)
    taken = CommenterEmail.objects.filter(due, email=address, confirmed_at__isnull=True).update(
        sent_at=now
    )
    if taken:
        transaction.on_commit(partial(_send_confirmation, address, now))
    return bool(taken)


def confirmation_url(email: str) -> str:
    token = signing.dumps(normalized(email), salt=_SALT)
    return settings.SITE_URL + reverse("comments:confirm_email", args=[token])


def _send_confirmation(address: str, sent_at: datetime) -> None:
    context = {
        "email": address,
        "url": confirmation_url(address),
        "site_name": settings.SITE_NAME,
        "days": LINK_MAX_AGE.days,
    }
    subject = " ".join(render_to_string("comments/email/confirm_subject.txt", context).split())
    body = render_to_string("comments/email/confirm_body.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except OSError:  # smtplib's errors among them
        # The reader's comment is stored: a mail server that fails must not
        # turn the answer into an error. The next post tries again.
        logger.exception("confirmation mail to %s not sent", address)
        CommenterEmail.objects.filter(email=address, sent_at=sent_at).update(sent_at=None)


def address_from_token(token: str) -> str | None:
    """The address a confirmation link names; None if forged, altered or expired."""
    try:
        address = signing.loads(token, salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return address if isinstance(address, str) and address else None


def confirm(address: str, now: datetime) -> None:
    """Store that ``address`` is confirmed (the first confirmation's time is kept)."""
    CommenterEmail.objects.get_or_create(email=normalized(address))
    CommenterEmail.objects.filter(email=normalized(address), confirmed_at__isnull=True).update(
        confirmed_at=now
    )

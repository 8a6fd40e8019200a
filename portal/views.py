from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A refused form in Vietnamese: what happened and how to send it again."""
    return render(request, "403_csrf.html", status=403)

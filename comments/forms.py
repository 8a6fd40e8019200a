"""The reader's comment form: the length rules of comments.models as the reader meets them."""

from collections.abc import Callable

from django import forms

from portal.text import comment_key, normalize_comment

from . import models


class ReaderTextField(forms.CharField):
    """Text a reader typed: normalized first, then counted in characters (code points).

    Normalizing in ``to_python`` means control characters (NUL among them) are
    removed before Django's validators see them, and that the length is checked
    on exactly what will be stored. A text of invisible characters only (zero-
    width spaces, fillers) counts as empty. No ``max_length``: its ``maxlength``
    attribute would make the browser count UTF-16 units and cut text silently.
    ``max_chars`` gives the limit when a text is checked: the constant stays in
    comments.models, the one place the template and the counter read it from too.
    """

    def __init__(self, *, max_chars: Callable[[], int], too_long: str, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.max_chars = max_chars
        self.too_long = too_long

    def to_python(self, value):
        return normalize_comment(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if self.required and not comment_key(value):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        limit = self.max_chars()
        if len(value) > limit:
            raise forms.ValidationError(
                self.too_long % {"max": limit, "count": len(value)}, code="too_long"
            )


class HoneypotField(forms.Field):
    """A field people never see: whatever a bot writes in it only marks the comment."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return "" if value in self.empty_values else "filled"


class CommentForm(forms.Form):
    name = ReaderTextField(
        label="Họ tên",
        max_chars=lambda: models.MAX_NAME_CHARS,
        too_long="Họ tên tối đa %(max)d ký tự, bạn đã viết %(count)d ký tự.",
        error_messages={"required": "Hãy cho biết họ tên của bạn."},
    )
    email = forms.EmailField(
        label="E-mail",
        required=False,
        max_length=254,
        help_text="Không bắt buộc, không hiện công khai.",
        error_messages={
            "invalid": "Địa chỉ e-mail không hợp lệ.",
            "max_length": "Địa chỉ e-mail quá dài.",
            "null_characters_not_allowed": "Địa chỉ e-mail không hợp lệ.",
        },
    )
    body = ReaderTextField(
        label="Ý kiến của bạn",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_chars=lambda: models.MAX_BODY_CHARS,
        too_long="Ý kiến tối đa %(max)d ký tự, bạn đã viết %(count)d ký tự.",
        error_messages={
            "required": (
                "Hãy viết ý kiến của bạn: ít nhất 1 ký tự, không tính khoảng trắng và ký tự ẩn."
            )
        },
    )
    website = HoneypotField(label="Để trống ô này")
    # The comment replied to (one level); services.post_comment checks that
    # readers can see it. Bounded so that no number reaches the database too big
    # for its column.
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages={
            key: "Ý kiến được trả lời không hợp lệ."
            for key in ("invalid", "min_value", "max_value")
        },
    )

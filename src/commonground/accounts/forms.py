"""The log-in form, bounded as the user model is."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's form sets the username's max_length after the field is made, so no validator checks
    it: a longer name would reach the lock-out record (axes keeps 255 characters; PostgreSQL refuses
    more). Here it is refused as a wrong username, before anyone is asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(getattr(field, "max_length", None) or 150))

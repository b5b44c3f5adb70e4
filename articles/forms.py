from django import forms

from . import protection


class ArticlePasswordForm(forms.Form):
    """The password form of a protected article; valid only with the right password, and
    refused outright after too many wrong ones from the same client."""

    password = forms.CharField(
        max_length=255, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, article, request, **kwargs):
        self.article = article
        self.request = request
        self.too_many_attempts = False
        super().__init__(*args, **kwargs)

    def clean(self):
        if protection.too_many_attempts(self.request, self.article):
            self.too_many_attempts = True
            raise forms.ValidationError(protection.TOO_MANY_ATTEMPTS)
        password = self.cleaned_data.get("password")
        if password is None:
            return self.cleaned_data
        if not protection.password_matches(self.article, password):
            protection.count_wrong_attempt(self.request, self.article)
            raise forms.ValidationError(protection.WRONG_PASSWORD)
        return self.cleaned_data


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=200,
        required=False,
        error_messages={"max_length": "Search for at most %(limit_value)d characters."},
    )

    def clean_q(self):
        # A NUL cannot reach PostgreSQL; nothing else a reader types needs refusing.
        return self.cleaned_data["q"].replace("\x00", "").strip()

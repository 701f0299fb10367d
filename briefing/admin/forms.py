"""Admin forms whose validation is the services' own: spans, body changes, participant lists."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.forms.models import BaseInlineFormSet

from briefing import services, spans
from briefing.models import Article, Statement
from briefing.services.statements import locked_article

_FORM_FIELD = {"start": "occurrence"}


class StatementAdminForm(forms.ModelForm):
    """A statement, pinned to its span by ``services.statement_pin`` when the form is validated.

    When the text occurs more than once in the body, the form lists every occurrence in its
    context and the editor picks one (``occurrence``, its start); the text is never trimmed.
    """

    occurrence = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        label="Which occurrence",
        help_text="The body holds this text more than once: pick the occurrence the statement is.",
    )

    class Meta:
        model = Statement
        fields = ["article", "speaker", "meeting", "kind", "text", "topics", "date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].strip = False
        body, text = self._body_and_text()
        found = spans.occurrences(body, text) if body and text else []
        self.fields["occurrence"].choices = [
            (offset, f"at {offset}: {spans.context(body, offset, offset + len(text))}") for offset in found
        ]
        if len(found) < 2:
            self.fields["occurrence"].widget = forms.HiddenInput()
        elif self.instance.pk is not None and self.instance.start in found:
            self.initial.setdefault("occurrence", self.instance.start)

    def _body_and_text(self) -> tuple[str | None, str | None]:
        """The article body and text the form is about: as posted, else as stored."""
        if self.is_bound:
            article_id, text = (
                self.data.get(self.add_prefix("article")),
                self.data.get(self.add_prefix("text")),
            )
            article = Article.objects.filter(pk=article_id).only("body").first() if article_id else None
            return (article.body if article else None), text
        if self.instance.article_id is not None:
            return self.instance.article.body, self.instance.text
        return None, None

    def _post_clean(self):
        super()._post_clean()
        statement = self.instance
        if {"article", "text", "meeting"} & set(self.errors) or statement.article_id is None:
            return
        if connection.in_atomic_block:  # the admin's write transaction: hold the article till saved
            statement.article = locked_article(statement.article_id)
        try:
            services.statement_pin(statement=statement, start=self.cleaned_data.get("occurrence"))
        except ValidationError as exc:
            # The service names the chosen occurrence `start`, as the API and fixtures do.
            self._update_errors(
                ValidationError({_FORM_FIELD.get(k, k): v for k, v in exc.error_dict.items()})
            )


def _https_formfield(field: models.Field, **kwargs):
    # Django 6 makes https the default for scheme-less URLs; editors get it now.
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    """An article; a changed body is checked by ``services.article_body_check`` (spans move, or
    the statements it would lose are named on the body field). The body is never trimmed."""

    class Meta:
        formfield_callback = _https_formfield
        model = Article
        fields = ["slug", "title", "publisher", "url", "published_on", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].strip = False

    def _post_clean(self):
        super()._post_clean()
        if "body" in self.errors or self.instance.pk is None or not connection.in_atomic_block:
            return
        try:
            services.article_body_check(article=self.instance, body=self.instance.body)
        except ValidationError as exc:
            self._update_errors(exc)


class ParticipationFormSet(BaseInlineFormSet):
    """A meeting's participants; ``services.participants_check`` refuses an official listed twice,
    on the repeated row and in the rule's one wording."""

    def clean(self):
        rows = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        try:
            services.participants_check([form.cleaned_data.get("official") for form in rows])
        except ValidationError as exc:
            rows[exc.params["index"]].add_error("official", exc.messages)

    def participants(self) -> list[tuple]:
        """The (official, role) pairs the formset keeps, in the order of their positions."""
        rows = [
            (form.cleaned_data.get("position") or 0, index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("official")
        ]
        return [(data["official"], data["role"]) for _, _, data in sorted(rows, key=lambda r: r[:2])]

"""Admin forms whose validation is the services' own: spans, body changes, participant lists."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.forms.models import BaseInlineFormSet

from briefing import services, spans
from briefing.models import Article, Meeting, Mention, Official, Statement
from briefing.services.statements import locked_article

# The services name a chosen occurrence `start`, as the API and fixtures do; the forms' own names.
_FORM_FIELD = {"start": "occurrence", "attribution_start": "attribution_occurrence"}


class SpanForm(forms.ModelForm):
    """A model form for a row quoted from an article (statement, mention), pinned to its span by
    the row's service when the form is validated, inside the admin's write transaction.

    When the text occurs more than once in the body, the form lists every occurrence in its
    context and the editor picks one (``occurrence``); the text is never trimmed.
    """

    occurrence = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        label="Which occurrence",
        help_text="The body holds this text more than once: pick the occurrence meant.",
    )

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

    def pin(self, row) -> None:
        """The service's pinning of ``row`` (raises its ``ValidationError``)."""
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        row = self.instance
        if {"article", "text", "meeting"} & set(self.errors) or row.article_id is None:
            return
        if connection.in_atomic_block:  # the admin's write transaction: hold the article till saved
            row.article = locked_article(row.article_id)
        try:
            self.pin(row)
        except ValidationError as exc:
            self._update_errors(
                ValidationError({_FORM_FIELD.get(k, k): v for k, v in exc.error_dict.items()})
            )


class StatementAdminForm(SpanForm):
    """A statement, pinned by ``services.statement_pin``: its text and its attributing words."""

    attribution_occurrence = forms.IntegerField(
        required=False,
        min_value=0,
        label="Attributing words at",
        help_text="Only if the attributing words occur more than once and the ones nearest the statement "
        "are not those meant: their offset in the body.",
    )

    class Meta:
        model = Statement
        fields = [
            "article", "speaker", "attribution", "attribution_text", "meeting", "meeting_relation", "kind",
            "text", "topics", "date", "date_precision", "date_as_reported",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attribution_text"].strip = False

    def pin(self, row) -> None:
        services.statement_pin(
            statement=row,
            start=self.cleaned_data.get("occurrence"),
            attribution_start=self.cleaned_data.get("attribution_occurrence"),
        )


class MentionAdminForm(SpanForm):
    """A mention of an official, pinned by ``services.mention_pin``."""

    class Meta:
        model = Mention
        fields = ["article", "official", "text", "name_as_printed", "title_as_given", "honorifics"]

    def pin(self, row) -> None:
        services.mention_pin(mention=row, start=self.cleaned_data.get("occurrence"))


class OfficialAdminForm(forms.ModelForm):
    """An official; aliases are typed one per line."""

    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other names the official goes by, one per line.",
    )

    class Meta:
        model = Official
        fields = ["slug", "name", "aliases", "title", "organization"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["aliases"] = "\n".join(self.instance.aliases or [])

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class MeetingAdminForm(forms.ModelForm):
    """A meeting; the fields an editor inferred rather than read are ticked."""

    inferred = forms.MultipleChoiceField(
        required=False,
        choices=[(name, name) for name in Meeting.INFERABLE],
        widget=forms.CheckboxSelectMultiple,
        help_text="Fields inferred rather than read in the article (a city taken from the venue).",
    )

    class Meta:
        model = Meeting
        fields = [
            "slug", "title", "date", "date_precision", "date_as_reported", "kind", "location", "city",
            "inferred", "summary", "participants_complete", "topics", "articles",
        ]  # fmt: skip


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
        fields = ["slug", "title", "publisher", "original_source", "url", "published_on", "body"]

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

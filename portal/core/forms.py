"""Form fields for what visitors post: ids checked before they reach a query.

Django's model choice fields pass the posted value to the database; a
number past the column's range is then a database error (OverflowError on
SQLite, DataError on PostgreSQL) instead of "select a valid choice".
"""

from django import forms

MAX_ID = 2**63 - 1


def is_id(value):
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    # _check_values is where Django turns each submitted value into a query; the
    # only place to refuse a non-id before it reaches the database (a NUL byte or
    # "1e9" would raise there). tests/portal/core/test_private_apis.py breaks if it changes.
    def _check_values(self, value):
        for item in value:
            if not is_id(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)

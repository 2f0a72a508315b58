"""The one way a form field is drawn: label, widget, help text and error tied together.

Django 5.2 already sets `aria-invalid="true"` on a field with errors and points its
`aria-describedby` at `<id>_helptext` and `<id>_error`; `common/field.html` is the template
that gives those ids to the help text and the error, so the references are never dangling.
Templates draw a field with `{{ field.as_field_group }}` or `{% include "common/field.html" %}`.
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "common/field.html"

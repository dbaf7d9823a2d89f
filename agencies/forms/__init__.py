"""Forms of the agencies app, one module per stage (calls, applications, vetting, listing,
running, staff): input parsing and field-level messages; the rules are the services'."""

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

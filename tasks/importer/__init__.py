"""Turning plan documents (分工方案) into Plan, Section and Task records.

``parser`` is pure Python (no Django imports) so it can be tested on raw text alone.
"""

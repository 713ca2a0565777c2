"""Template tags of the campaign app (the home panel is fed by campaign.tasks, not by a tag)."""

from __future__ import annotations

from django import template

register = template.Library()

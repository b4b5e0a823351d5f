"""The presenters as template filters, for values a template shows on its own (a document's badge, an answer)."""

from django import template

from applicants import presenters

register = template.Library()

register.filter("document_badge", presenters.document_badge)
register.filter("check_badge", presenters.check_badge)
register.filter("proposal_badge", presenters.proposal_badge)
register.filter("answer_text", presenters.answer_text)
register.filter("in_sentence", presenters.in_sentence)

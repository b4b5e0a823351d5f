"""The review queue's table rows, written once per page. Twenty-five rows of ten cells printed by the
template engine cost about as much as all the page's queries together; here each value is escaped
once and the row is joined from it, as the capacity calendar does with its grid. The table's head,
the bulk actions and the paging stay in the template (staff/_queue_rows.html). The filter form's
longer lists of options (every department of the coordinator's programmes) are written the same way.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from applicants.views.staff.queue_display import OptionGroup, QueueRow

ROW = (
    '<tr><td><input class="form-check-input" type="checkbox" name="selected" value="{uuid}" id="select-{uuid}"'
    ' aria-label="{select}"></td>'
    '<td class="text-nowrap"><a href="{url}">{reference}</a></td>'
    '<td>{name}<div class="text-body-secondary text-break">{email}</div></td>'
    "{programme}"
    '<td><span class="badge {badge}">{status}</span></td>'
    '<td class="text-nowrap">{start}<br><span class="text-body-secondary">{until}</span></td>'
    '<td class="d-none d-md-table-cell">{components}</td>'
    '<td class="d-none d-md-table-cell text-nowrap">{submitted}</td>'
    '<td class="text-end text-nowrap">{score}</td>'
    "<td>{warned}</td></tr>"
)
PROGRAMME = '<td class="d-none d-lg-table-cell">{}</td>'
OPTION = '<option value="{}"{}>{}</option>'
NO_SCORE = '<span class="text-body-secondary">—</span>'


def rows_html(rows: list[QueueRow], *, show_programme: bool) -> SafeString:
    """The `<tr>` of each row; `show_programme`: the programme column is there (no programme filter)."""
    select, until = gettext("Select %(reference)s"), gettext("to %(end)s")
    look = escape(gettext("An automatic document check needs a look"))
    warned = f'<span class="text-warning-emphasis" title="{look}" role="img" aria-label="{look}">⚠</span>'
    html = "".join(
        ROW.format(
            uuid=escape(row.uuid),
            select=escape(select % {"reference": row.reference}),
            url=escape(row.url),
            reference=escape(row.reference),
            name=escape(row.name),
            email=escape(row.email),
            programme=PROGRAMME.format(escape(str(row.programme))) if show_programme else "",
            badge=escape(row.badge),
            status=escape(str(row.status)),
            start=escape(row.start),
            until=escape(until % {"end": row.end}),
            components=escape(row.components),
            submitted=_submitted(row),
            score=f'{escape(row.score)} <span class="text-body-secondary">({row.reviews})</span>'
            if row.score
            else NO_SCORE,
            warned=warned if row.warned else "",
        )
        for row in rows
    )
    # Every value is escaped above; the rest is this module's markup.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def _submitted(row: QueueRow) -> str:
    if not row.submitted_iso:
        return escape(row.submitted)
    return f'<time datetime="{escape(row.submitted_iso)}">{escape(row.submitted)}</time>'


def options_html(groups: list[OptionGroup]) -> SafeString:
    """The `<option>` elements of a select, in `<optgroup>` where a group has a label."""
    parts = []
    for group in groups:
        options = "".join(
            OPTION.format(escape(option.value), " selected" if option.selected else "", escape(option.label))
            for option in group.options
        )
        parts.append(f'<optgroup label="{escape(group.label)}">{options}</optgroup>' if group.label else options)
    # Every value and label is escaped above.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703

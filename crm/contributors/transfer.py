"""Import contributors from CSV, and export the filtered list to CSV or XLSX.

Import is two steps at most. The upload is checked row by row; a file with
no problems is imported at once. Otherwise the report lists every problem,
and the coordinator may upload a corrected file or import only the valid
rows. So they need not upload again, the report carries the file's text in
a hidden field, signed with the app's secret key (it cannot be changed
without the signature failing) and tied to the coordinator and to the rows
that were skipped. On confirming, the text is checked again from scratch:
if anything changed (someone added an email address meanwhile), the report
is shown again instead of importing.

Records are created through the services (rules and audit apply) in the
request's one transaction: a failure rolls them all back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import tempfile
from collections.abc import Iterator
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from crm.audit.actions import Action, EntityType
from crm.audit.services import record, record_each
from crm.contributors import exports, imports
from crm.contributors.blueprint import bp
from crm.contributors.forms import FILE_FORMATS, ExportContactForm
from crm.contributors.models import Contributor, ImportBatch
from crm.contributors.queries import ContributorFilters, filtered, no_contact_consent
from crm.contributors.views import current_filters
from crm.db import get_session, utcnow
from crm.permissions import Permission
from crm.reference import reference
from crm.web.decorators import requires
from crm.web.pagination import paginate
from crm.web.templating import format_datetime

UPLOAD_SALT = "crm.contributors.import.v1"
UPLOAD_MAX_AGE = 2 * 60 * 60  # seconds a checked file can wait for confirmation
MIMETYPES = {
    "csv": "text/csv",  # Flask adds "; charset=utf-8" itself
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- export --------------------------------------------------------------------


def describe_filters(filters: ContributorFilters) -> str:
    """The filters, for the audit log, without personal data: the text of a
    name or email search is not recorded."""
    parts = ["name or email search"] if filters.q else []
    parts += [f"{k}={'|'.join(v)}" for k, v in filters.as_args().items()]
    return ", ".join(parts) or "none"


@bp.route("/export.<any(csv, xlsx):format>")
@requires(Permission.CONTRIBUTORS_EXPORT)
def export(format: str) -> Response:
    """The contributor list, as filtered on the list page, as a file.

    No special category data and no free text (see crm.contributors.exports).
    Audited, with the filters but not the search text, and in each person's
    history."""
    return _send_export(current_filters(request.args), format)


@bp.route("/export/contact-details", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EXPORT)
def export_with_contact_details() -> Response | tuple[str, int]:
    """The same export with the email and phone of people who may not be
    contacted: only with a reason, kept in the audit trail (the overall
    event and each person's history)."""
    filters = current_filters(request.args)
    form = ExportContactForm()
    if form.validate_on_submit():
        return _send_export(filters, form.file_format.data or "csv",
                            reason=(form.reason.data or "").strip())
    session = get_session()
    held_back = session.scalar(
        filtered(filters).where(no_contact_consent())
        .with_only_columns(func.count()).order_by(None))
    page = render_template(
        "contributors/export_contact.html", form=form, filters=filters,
        title="Include contact details", error_title=bool(form.errors),
        held_back=held_back or 0, file_formats=FILE_FORMATS)
    return page, 400 if form.errors else 200


def _send_export(filters: ContributorFilters, format: str, reason: str | None = None
                 ) -> Response:
    session = get_session()
    exported: list[int] = []

    def rows() -> Iterator[list[Any]]:
        for row in exports.export_rows(session, filtered(filters),
                                       include_contact=reason is not None):
            exported.append(row[0])  # the record's id: each person's history shows it
            yield row

    # Up to 8 MB in memory, then on disk: a 100,000-row export never sits in memory.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (send_file closes it)
    writer = exports.write_csv if format == "csv" else exports.write_xlsx
    count = writer(rows(), out)
    out.seek(0)
    summary = f"{count} rows as {format.upper()}, filters: {describe_filters(filters)}"
    if reason is None:
        record(session, Action.EXPORT, entity_type=EntityType.CONTRIBUTOR, summary=summary[:200])
    else:
        record(session, Action.EXPORT_CONTACT_OVERRIDE, entity_type=EntityType.CONTRIBUTOR,
               summary=f"Reason given: {reason}. {summary}"[:200])
    record_each(session, Action.EXPORT, EntityType.CONTRIBUTOR, exported,
                summary=f"included in a {format.upper()} export"
                        + (" with contact details" if reason is not None else ""))
    return send_file(out, mimetype=MIMETYPES[format], as_attachment=True,
                     download_name=f"contributors-{dt.date.today().isoformat()}.{format}")


# --- import --------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=UPLOAD_SALT)  # type: ignore[arg-type]


def _render_start(error: str | None = None) -> tuple[str, int]:
    return render_template("contributors/import.html", title="Import contributors from CSV",
                           error=error, columns=imports.IMPORT_COLUMNS, ref=reference(),
                           max_rows=imports.MAX_ROWS), 400 if error else 200


def _render_report(text: str, checked: imports.CheckedFile, changed: bool = False
                   ) -> tuple[str, int]:
    # The nonce makes each checked file importable once (see import_confirm).
    token = _serializer().dumps({"user": current_user.id, "csv": text,
                                 "skip": checked.invalid_rows, "nonce": secrets.token_hex(16)})
    return render_template(
        "contributors/import_report.html",
        title="There is a problem with your file" if checked.errors
        else "Your file can now be imported",
        error_title=bool(checked.errors), checked=checked, token=token, changed=changed,
        skipped_text=row_ranges(checked.invalid_rows), max_rows=imports.MAX_ROWS), 400


def row_ranges(rows: list[int]) -> str:
    """Row numbers in words, runs shortened: [4, 9, 12, 13, 14] -> "4, 9 and 12 to 14"."""
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    parts: list[str] = []
    for run in runs:
        parts.extend([f"{run[0]} to {run[-1]}"] if len(run) > 2 else map(str, run))
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _upload_key(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _already_imported(nonce: str) -> tuple[str, int] | None:
    """If this checked file has been imported, say what that import did."""
    batch = get_session().scalar(select(ImportBatch).where(
        ImportBatch.upload_key == _upload_key(nonce)))
    if batch is None:
        return None
    who = batch.imported_by.display_name if batch.imported_by else "someone"
    noun = "contributor" if batch.rows_imported == 1 else "contributors"
    return _render_start(
        f"This file has already been imported: {batch.rows_imported} {noun} imported by "
        f"{who}, {format_datetime(batch.imported_at)}. Check the list of contributors "
        "before uploading it again")


def _finish(checked: imports.CheckedFile,
            nonce: str | None = None) -> Response | tuple[str, int]:
    session = get_session()
    actor = current_user._get_current_object()
    skipped = checked.invalid_rows
    # Every import is a batch, so the people it added can be listed. A
    # checked file's batch is keyed by its one-time id: a second press waits
    # here for the first to commit, then fails on the unique key. Nothing
    # else has been changed in this request, so rolling back loses nothing.
    batch = ImportBatch(upload_key=_upload_key(nonce or secrets.token_hex(16)),
                        imported_by=actor, imported_at=utcnow(),
                        rows_imported=len(checked.valid), rows_skipped=len(skipped))
    session.add(batch)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        answer = _already_imported(nonce or "")
        assert answer is not None
        return answer
    created = imports.import_rows(session, actor, checked.valid, batch)
    record(session, Action.IMPORT, entity_type=EntityType.CONTRIBUTOR,
           summary=f"{len(created)} rows imported from CSV, {len(skipped)} rows skipped")
    noun = "contributor" if len(created) == 1 else "contributors"
    message = f"{len(created)} {noun} imported."
    if skipped:
        message += f" {len(skipped)} {'row was' if len(skipped) == 1 else 'rows were'} skipped."
    flash(message, "success")
    return redirect(url_for("contributors.imported", batch_id=batch.id))


@bp.route("/imports/<int:batch_id>")
@requires(Permission.CONTRIBUTORS_VIEW)
def imported(batch_id: int) -> str:
    """The people a CSV import added (those not since anonymised)."""
    session = get_session()
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        abort(404)
    page = paginate(session, select(Contributor).where(
        Contributor.import_batch_id == batch.id, Contributor.anonymised_at.is_(None))
        .order_by(Contributor.id))
    return render_template("contributors/imported.html", title="People added by an import",
                           batch=batch, page=page)


@bp.route("/import", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_IMPORT)
def import_start() -> Response | tuple[str, int]:
    """Choose a CSV file; on upload, check every row and import if all are valid."""
    if request.method == "GET":
        return _render_start()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _render_start("Select a CSV file")
    try:
        text = imports.decode(upload.stream.read(imports.MAX_BYTES + 1))
        checked = imports.check(get_session(), text)
    except imports.FileProblem as problem:
        return _render_start(problem.message)
    if checked.is_all_valid:
        return _finish(checked)
    return _render_report(text, checked)


@bp.route("/import/confirm", methods=["POST"])
@requires(Permission.CONTRIBUTORS_IMPORT)
def import_confirm() -> Response | tuple[str, int]:
    """Import only the valid rows of a checked file, after the report.

    The form is URL-encoded on purpose: Werkzeug's 500 kB limit on a form
    field applies to multipart forms only, and the signed file (up to 2 MB,
    compressed) may be larger; the app's 10 MB request limit still applies."""
    try:
        data = _serializer().loads(request.form.get("upload", ""), max_age=UPLOAD_MAX_AGE)
        if data.get("user") != current_user.id:
            raise BadData("checked for someone else")
        text, skip, nonce = str(data["csv"]), list(data["skip"]), str(data["nonce"])
    except (BadData, KeyError, TypeError, AttributeError):
        record(get_session(), Action.IMPORT_REFUSED, entity_type=EntityType.CONTRIBUTOR,
               summary="checked file missing, changed or too old", security=True)
        return _render_start("We could not use the checked file: it had expired or been "
                             "changed. Upload it again")
    already = _already_imported(nonce)
    if already is not None:
        return already
    try:
        checked = imports.check(get_session(), text)
    except imports.FileProblem as problem:
        return _render_start(problem.message)
    if checked.invalid_rows != skip or not checked.valid:
        return _render_report(text, checked, changed=checked.invalid_rows != skip)
    return _finish(checked, nonce)


@bp.route("/import/template.csv")
@requires(Permission.CONTRIBUTORS_IMPORT)
def import_template() -> Response:
    """An empty CSV with the column headings."""
    return Response(
        "\ufeff" + imports.template_csv(), mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=contributors-import-template.csv"})

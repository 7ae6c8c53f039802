"""Impor data / Import data: data officers bring in spreadsheets; everyone else sees a sign-in form."""

import pandas as pd
import streamlit as st

from analytics import config, exports, importing, store
from analytics.app import auth, cache, state, widgets
from analytics.i18n import t
from analytics.importing import templates

lang = state.language()
if not auth.is_data_officer():
    auth.sign_in_form(lang)
    st.stop()

path = config.db_path()
account = auth.current_user()  # rows outside this account's area are refused (importing.scope)
user = account.email
st.title(t("import.title", lang))
left, right = st.columns([4, 1])
left.caption(t("import.signed_in_as", lang, user=user))
if right.button(t("import.signout", lang), key="sign_out"):
    auth.sign_out()
    st.rerun()
st.write(t("import.intro", lang))


def refresh() -> None:
    """New data must show on every page at once: drop every cached load."""
    st.cache_data.clear()
    st.cache_resource.clear()


kind = st.selectbox(
    t("import.kind", lang),
    importing.KINDS,
    format_func=lambda k: t(f"import.kind.{k}", lang),
    key="import_kind",
    placeholder=t("common.choose", lang),
)
st.subheader(t("import.templates", lang))
first, second = st.columns(2)
first.download_button(
    t("import.template_xlsx", lang),
    templates.xlsx(kind),
    file_name=f"template_{kind}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="tpl_xlsx",
)
second.download_button(
    t("import.template_csv", lang),
    templates.csv(kind),
    file_name=f"template_{kind}.csv",
    mime="text/csv",
    key="tpl_csv",
)

upload = st.file_uploader(t("import.upload", lang), key="import_file")
if upload is not None:
    data = upload.getvalue()
    analysis = cache.import_analysis(st.session_state, path, data, upload.name, kind, actor=account)
    if analysis.problems:
        st.error(t("import.rejected", lang, count=len(analysis.problems)))
        st.subheader(t("import.per_reason", lang))
        st.dataframe(importing.reason_counts(analysis.problems, lang), hide_index=True)
        report = importing.report_frame(analysis.problems, lang)
        st.subheader(t("import.problems", lang, count=len(report)))
        st.dataframe(report, hide_index=True)
        st.download_button(
            t("import.download_report", lang),
            exports.to_csv_bytes(report),
            file_name=f"problems_{upload.name}.csv",
            mime="text/csv",
            key="report_csv",
        )
    else:
        st.subheader(t("import.preview", lang))
        preview = pd.DataFrame(
            [
                {t("import.col.table", lang): table, **{t(f"import.col.{k}", lang): v for k, v in counts.items()}}
                for table, counts in analysis.preview.items()
            ]
        )
        st.dataframe(preview, hide_index=True)
        if not any(c["new"] or c["changed"] for c in analysis.preview.values()):
            st.info(t("import.nothing_new", lang))
        if st.button(t("import.button", lang), type="primary", key="do_import"):
            outcome = importing.run_import(path, data, upload.name, kind, actor=account)
            refresh()
            show = {"done": st.success, "duplicate": st.info}.get(outcome.status, st.error)
            show(outcome.message(lang))

# Own-area viewing: an officer sees only their own imports, and no whole-table export (issue 15).
limited = auth.viewing_mode() == "own-area" and not account.is_admin
st.subheader(t("import.recent", lang))
with store.opened(path, readonly=True) as conn:
    recent = importing.recent_imports(conn, user=user if limited else None)
if recent.empty:
    st.caption(t("import.none_yet", lang))
else:
    widgets.table(recent, None, lang)  # headers from the catalog, numbers in the language
    for import_id in recent.loc[recent["status"] == "done", "id"].head(5).tolist():
        if st.button(t("import.undo_button", lang, id=import_id), key=f"undo_{import_id}"):
            result = importing.undo(path, int(import_id), actor=account)
            refresh()
            (st.success if result.ok else st.error)(result.message(lang))

if account.is_admin:  # who changed what: national admins read the audit log
    st.subheader(t("audit.title", lang))
    with store.opened(path, readonly=True) as conn:
        audit = importing.audit_frame(conn, lang)
    if audit.empty:
        st.caption(t("audit.none", lang))
    else:
        st.dataframe(audit, hide_index=True)

if limited:
    st.caption(t("viewing.export_limited", lang))
    st.stop()
st.subheader(t("import.export", lang))
table = st.selectbox(
    t("import.export_table", lang),
    exports.EXPORTABLE,
    index=exports.EXPORTABLE.index("reports"),
    key="export_table",
    placeholder=t("common.choose", lang),
)


def table_bytes(fmt: str):
    def build() -> bytes:  # run only when the button is pressed: a big XLSX takes seconds
        with store.opened(path, readonly=True) as conn:
            return exports.table_bytes(conn, table, fmt)

    return build


first, second = st.columns(2)
first.download_button(
    t("import.export_csv", lang), table_bytes("csv"), file_name=f"{table}.csv", mime="text/csv", key="export_csv"
)
second.download_button(
    t("import.export_xlsx", lang),
    table_bytes("xlsx"),
    file_name=f"{table}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="export_xlsx",
)

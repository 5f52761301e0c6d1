//! "Add multiple users": a CSV with the template's columns, checked whole
//! before anything is added; the new passwords offered once as a CSV.

use leptos::prelude::*;
use rekey_shared::{ApiError, ImportResult, RowProblem};

use super::bulk_pane::download_csv;
use crate::api;
use crate::requests::{alert, Submit};
use crate::state::admin_texts;

/// A row's problem as the reader reads: the server's own reason in English
/// (it can say more, e.g. which email rule failed), else the code's text.
fn problem_text(p: &RowProblem) -> String {
    match crate::state::page_lang() {
        rekey_shared::Lang::En => p.reason.clone(),
        lang => lang.admin().import_problems.of(p.code).to_string(),
    }
}

/// - `on_close`: called when the pane closes (the list reloads).
#[component]
pub fn ImportPane(#[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let u = admin_texts();
    let pane = NodeRef::<leptos::html::Div>::new();
    crate::focus::focus_first_of(vec!["#import-title".into()]);
    let close = move || on_close.run(());
    crate::focus::modal_keys(pane, close);
    let file = NodeRef::<leptos::html::Input>::new();
    let problems: RwSignal<Vec<RowProblem>> = RwSignal::new(Vec::new());
    let done: RwSignal<Option<ImportResult>> = RwSignal::new(None);
    let sending = Submit::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = file
            .get_untracked()
            .and_then(|f| f.files())
            .and_then(|l| l.get(0))
        else {
            return;
        };
        problems.set(Vec::new());
        let imported = async move {
            let text = wasm_bindgen_futures::JsFuture::from(chosen.text()).await;
            match text.ok().and_then(|t| t.as_string()) {
                Some(csv) => api::import_users(csv).await,
                None => Err(ApiError::new(
                    rekey_shared::ErrorCode::InvalidRequest,
                    u.csv_file,
                )),
            }
        };
        sending.run(imported, move |checked| match checked {
            Ok(result) => {
                done.set(Some(result));
                crate::focus::focus_first_of(vec!["#import-result".into()]);
            }
            // Nothing was added: the rows' problems, each with its line.
            Err(found) => problems.set(found),
        });
    };

    view! {
        <div class="backdrop" on:click=move |_| close()></div>
        <div class="pane" role="dialog" aria-modal="true" aria-labelledby="import-title" node_ref=pane>
            <div class="pane-head">
                <h2 id="import-title" tabindex="-1">{u.add_users}</h2>
                <button type="button" class="icon close" aria-label=u.close on:click=move |_| close()>"×"</button>
            </div>
            {move || match done.get() {
                Some(result) => {
                    let csv = result.passwords_csv.clone();
                    view! {
                        <div class="pane-body done">
                            <p id="import-result" class="success" role="status" tabindex="-1">{(u.import_done)(result.created)}</p>
                            <div class="pane-foot">
                                <button type="button" class="primary" on:click=move |_| { let _ = download_csv(&csv); }>{u.download_csv}</button>
                                <button type="button" on:click=move |_| close()>{u.close}</button>
                            </div>
                        </div>
                    }.into_any()
                }
                None => view! {
                    <form class="pane-body" on:submit=submit>
                        <p class="muted">{u.import_intro}</p>
                        <a href="/api/users/import-template" download="add-users-template.csv">{u.download_template}</a>
                        <label for="import-file">{u.csv_file}</label>
                        <input id="import-file" type="file" accept=".csv,text/csv" required node_ref=file />
                        {alert(sending.error)}
                        {move || (!problems.with(Vec::is_empty)).then(|| view! {
                            <table class="grid problems" role="alert">
                                <thead><tr><th>{u.col_line}</th><th>{u.col_column}</th><th>{u.col_problem}</th></tr></thead>
                                <tbody>
                                    {problems.get().into_iter().map(|p| {
                                        let text = problem_text(&p);
                                        view! { <tr><td>{p.line}</td><td>{p.field}</td><td>{text}</td></tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                        <div class="pane-foot">
                            <button type="submit" class="primary" disabled=move || sending.pending.get()>{u.import_submit}</button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}

/// In headless Chromium (wasm-bindgen-test-runner, from `./scripts/test.sh`).
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use rekey_shared::{ImportProblem, Lang};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_rows_problem_reads_in_the_pages_language() {
        let p = RowProblem {
            line: 4,
            field: "Email".into(),
            code: ImportProblem::InvalidEmail,
            reason: "That doesn't look like an email address (name@example.com).".into(),
        };
        crate::state::apply_language(Lang::Nl);
        assert_eq!(
            problem_text(&p),
            "Dit lijkt geen e-mailadres (naam@voorbeeld.nl)."
        );
        crate::state::apply_language(Lang::En);
        assert_eq!(problem_text(&p), p.reason);
    }
}

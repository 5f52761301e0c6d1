//! Apps: global admins register the apps that sign users in with Rekey
//! (OpenID Connect clients), and the SCIM tokens provisioning uses.

use leptos::prelude::*;
use rekey_shared::{AppCredentials, AppKind, AppRegistration, AppSummary, SigningAlg};

use crate::api;
use crate::components::SecretValue;
use crate::requests::{alert, banner, Load, Submit};
use crate::state::admin_texts;

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The registered apps, the form to add one, and each app's new secret
/// or removal.
#[component]
pub fn Apps() -> impl IntoView {
    let u = admin_texts();
    let list: Load<Vec<AppSummary>> = Load::new();
    let reload = move || list.from(async { api::apps().await.map(|l| l.apps) });
    reload();
    let apps = move || list.value.get().unwrap_or_default();
    // Register, a new secret and Remove: one at a time, each saying why not.
    let acting = Submit::new();
    // The credentials just made: the secret is shown this once.
    let made: RwSignal<Option<AppCredentials>> = RwSignal::new(None);
    let adding = RwSignal::new(false);
    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    let done = move |c: AppCredentials| {
        made.set(Some(c));
        adding.set(false);
        crate::focus::focus_first_of(vec!["#app-made".into()]);
        reload();
    };

    let (name, redirects, logouts, home) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let public = RwSignal::new(false);
    let rs256 = RwSignal::new(false);
    let pkce_optional = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = AppRegistration {
            name: name.get_untracked(),
            kind: if public.get_untracked() {
                AppKind::Public
            } else {
                AppKind::Confidential
            },
            redirect_uris: lines(&redirects.get_untracked()),
            post_logout_redirect_uris: lines(&logouts.get_untracked()),
            home_url: Some(home.get_untracked()).filter(|h| !h.trim().is_empty()),
            id_token_alg: rs256.get_untracked().then_some(SigningAlg::Rs256),
            pkce_optional: pkce_optional.get_untracked() && !public.get_untracked(),
        };
        acting.run(async move { api::register_app(&request).await }, done);
    };
    let field = |id: &'static str, label: &'static str, value: RwSignal<String>, many: bool| {
        let input = move |ev| value.set(event_target_value(&ev));
        view! {
            <label for=id>{label}</label>
            {if many {
                view! { <textarea id=id rows="2" prop:value=move || value.get() on:input=input></textarea> }.into_any()
            } else {
                view! { <input id=id prop:value=move || value.get() on:input=input /> }.into_any()
            }}
        }
    };
    let form = move || {
        view! {
            <form class="app-form" on:submit=submit>
                {field("app-name", u.app_name, name, false)}
                <label><input type="radio" name="kind" checked=move || !public.get() on:change=move |_| public.set(false) />{u.kind_confidential}</label>
                <label><input type="radio" name="kind" checked=move || public.get() on:change=move |_| public.set(true) />{u.kind_public}</label>
                {field("app-redirects", u.redirect_uris, redirects, true)}
                {field("app-logouts", u.logout_uris, logouts, true)}
                {field("app-home", u.home_url, home, false)}
                <label><input type="checkbox" prop:checked=move || rs256.get() on:change=move |ev| rs256.set(event_target_checked(&ev)) />{u.use_rs256}</label>
                <label><input id="app-pkce-optional" type="checkbox" disabled=move || public.get() prop:checked=move || pkce_optional.get() on:change=move |ev| pkce_optional.set(event_target_checked(&ev)) />{u.pkce_optional}</label>
                <button type="submit" class="primary">{u.register}</button>
            </form>
        }
    };

    view! {
        <section class="apps">
            <h1 tabindex="-1" node_ref=heading>{u.nav_apps}</h1>
            <p class="muted">{(u.apps_intro)(&window().location().origin().unwrap_or_default())}</p>
            {move || made.get().map(|c| view! {
                <div id="app-made" class="success" role="status" tabindex="-1">
                    <p><strong>{c.app.name.clone()}</strong></p>
                    <p>{u.client_id}": "<code class="client-id">{c.app.id.clone()}</code></p>
                    {c.client_secret.map(|s| view! {
                        <p>{u.client_secret}": "<SecretValue value=s label=u.client_secret /></p>
                        <p>{u.secret_once}</p>
                    })}
                </div>
            })}
            {banner(list.error)}
            {banner(acting.error)}
            {move || if adding.get() {
                form().into_any()
            } else {
                view! { <button type="button" class="primary" on:click=move |_| {
                    adding.set(true);
                    crate::focus::focus_first_of(vec!["#app-name".into()]);
                }>{u.register_app}</button> }.into_any()
            }}
            <table class="grid">
                <thead><tr><th>{u.app_name}</th><th>{u.client_id}</th><th>{u.col_type}</th><th>{u.col_redirects}</th><th><span class="visually-hidden">{u.col_actions}</span></th></tr></thead>
                <tbody>
                    {move || apps().into_iter().map(|a| {
                        let (rotate_id, remove_id) = (a.id.clone(), a.id.clone());
                        let confidential = a.kind == AppKind::Confidential;
                        view! {
                            <tr>
                                <td class="name">{a.name.clone()}</td>
                                <td><code>{a.id.clone()}</code></td>
                                <td>
                                    {if confidential { u.kind_label_confidential } else { u.kind_label_public }}
                                    {(!a.pkce_required).then(|| view! { " " <span class="badge warn">{u.pkce_optional_label}</span> })}
                                </td>
                                <td>{a.redirect_uris.join(" ")}</td>
                                <td class="actions">
                                    {confidential.then(|| view! {
                                        <button type="button" on:click=move |_| {
                                            let id = rotate_id.clone();
                                            acting.run(async move { api::new_app_secret(&id).await }, done);
                                        }>{u.new_secret}</button>
                                    })}
                                    " "
                                    <button type="button" on:click=move |_| {
                                        // Removing signs nobody out, but the app stops working.
                                        if !window().confirm_with_message(u.confirm_remove).unwrap_or(false) {
                                            return;
                                        }
                                        let id = remove_id.clone();
                                        acting.run(async move { api::remove_app(&id).await }, move |()| reload());
                                    }>{u.remove_app}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || list.value.with(|l| l.as_ref().is_some_and(Vec::is_empty)).then(|| view! { <p class="empty">{u.no_apps}</p> })}
            <ScimTokens />
        </section>
    }
}

/// SCIM bearer tokens: named, shown once, revocable.
#[component]
fn ScimTokens() -> impl IntoView {
    let u = admin_texts();
    let list: Load<Vec<rekey_shared::ScimTokenSummary>> = Load::new();
    let reload = move || list.from(async { api::scim_tokens().await.map(|l| l.tokens) });
    reload();
    let acting = Submit::new();
    let secret: RwSignal<Option<String>> = RwSignal::new(None);
    let name = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        acting.run(api::create_scim_token(name.get_untracked()), move |made| {
            secret.set(Some(made.secret));
            name.set(String::new());
            reload();
        });
    };
    let origin = window().location().origin().unwrap_or_default();
    view! {
        <h2>{u.scim_title}</h2>
        <p class="muted">{u.scim_intro} " " {(u.scim_address)(&format!("{origin}/scim/v2"))}</p>
        {move || secret.get().map(|s| view! {
            <div class="success scim-secret" role="status">
                <SecretValue value=s label=u.token_name />
                <p>{u.token_once}</p>
            </div>
        })}
        {alert(list.error)}
        {alert(acting.error)}
        <form class="token-form" on:submit=create>
            <label for="token-name">{u.token_name}</label>
            <input id="token-name" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <button type="submit">{u.create_token}</button>
        </form>
        <ul class="tokens">
            {move || list.value.get().unwrap_or_default().into_iter().map(|t| {
                let id = t.id.clone();
                view! {
                    <li>{t.name} " "
                        <button type="button" on:click=move |_| {
                            let id = id.clone();
                            acting.run(async move { api::revoke_scim_token(&id).await }, move |()| reload());
                        }>{u.revoke}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || list.value.with(|l| l.as_ref().is_some_and(Vec::is_empty)).then(|| view! { <p class="empty">{u.no_tokens}</p> })}
    }
}

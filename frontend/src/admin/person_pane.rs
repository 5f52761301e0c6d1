//! "Add a user" and a user's own pane (edit, block sign-in, delete), both
//! opened from Active users.

use leptos::prelude::*;
use rekey_shared::{
    ApiError, EmailStatus, ErrorCode, NewUser, PasswordChoice, Role, UserCreated, UserEdit,
    UserSummary,
};

use super::auth_methods::AuthMethods;
use super::recipients::RecipientsBox;
use super::sign_ins::SignIns;
use crate::api;
use crate::components::SecretValue;
use crate::state::{admin_texts, error_text};

/// The pane for adding a user (`user` is `None`) or for one user.
///
/// - `me`: the signed-in admin (roles they may grant; their address).
/// - `user`: the user to edit, block or delete.
/// - `on_close`: called when the pane closes (the list reloads).
#[component]
pub fn PersonPane(
    me: UserSummary,
    user: Option<UserSummary>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let u = admin_texts();
    let pane = NodeRef::<leptos::html::Div>::new();
    crate::focus::focus_first_of(vec!["#person-title".into()]);
    let close = move || on_close.run(());
    crate::focus::modal_keys(pane, close);

    let field = |v: Option<&String>| RwSignal::new(v.cloned().unwrap_or_default());
    let current = RwSignal::new(user.clone());
    let first = field(user.as_ref().and_then(|x| x.first_name.as_ref()));
    let last = field(user.as_ref().and_then(|x| x.last_name.as_ref()));
    let display = field(user.as_ref().map(|x| &x.display_name));
    let username = field(user.as_ref().map(|x| &x.username));
    let email = field(user.as_ref().map(|x| &x.email));
    let alternate = field(user.as_ref().and_then(|x| x.alternate_email.as_ref()));
    let role = RwSignal::new(user.as_ref().map_or(Role::User, |x| x.role));
    let recipients = RwSignal::new(vec![me.email.clone()]);
    let send_email = RwSignal::new(false);
    // As in the reset pane: generated unless the admin types one.
    let typed: RwSignal<Option<String>> = RwSignal::new(None);
    let require_change = RwSignal::new(true);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let notice: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let created: RwSignal<Option<UserCreated>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let editing = user.is_some();
    // Only global admins grant admin roles; nobody changes their own.
    let mut roles: Vec<Role> = if me.role == Role::GlobalAdmin {
        Role::ALL.to_vec()
    } else {
        vec![Role::User]
    };
    // The user's own role is always shown, even where it can't be granted.
    if let Some(current) = user.as_ref().map(|x| x.role).filter(|r| !roles.contains(r)) {
        roles.push(current);
    }
    let own = user.as_ref().is_some_and(|x| x.id == me.id);
    let fill = move |s: &UserSummary| {
        first.set(s.first_name.clone().unwrap_or_default());
        last.set(s.last_name.clone().unwrap_or_default());
        display.set(s.display_name.clone());
        username.set(s.username.clone());
        email.set(s.email.clone());
        alternate.set(s.alternate_email.clone().unwrap_or_default());
        role.set(s.role);
    };
    let outcome = move |result: Result<UserSummary, ApiError>| match result {
        Ok(s) => {
            current.set(Some(s));
            notice.set(Some(u.saved));
        }
        Err(e) if e.code == ErrorCode::Conflict => {
            notice.set(Some(u.stale_edit));
            if let Some(id) = current.get_untracked().map(|c| c.id) {
                leptos::task::spawn_local(async move {
                    if let Ok(s) = api::user(&id).await {
                        fill(&s);
                        current.set(Some(s));
                    }
                });
            }
        }
        Err(e) => error.set(Some(e)),
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        notice.set(None);
        pending.set(true);
        leptos::task::spawn_local(async move {
            match current.get_untracked() {
                Some(c) => {
                    let changed = |v: String, was: Option<&String>| (Some(&v) != was).then_some(v);
                    let edit = UserEdit {
                        version: c.version,
                        first_name: changed(first.get_untracked(), c.first_name.as_ref())
                            .filter(|v| !v.is_empty()),
                        last_name: changed(last.get_untracked(), c.last_name.as_ref())
                            .filter(|v| !v.is_empty()),
                        display_name: changed(display.get_untracked(), Some(&c.display_name)),
                        username: changed(username.get_untracked(), Some(&c.username)),
                        email: changed(email.get_untracked(), Some(&c.email)),
                        alternate_email: changed(
                            alternate.get_untracked(),
                            c.alternate_email.as_ref().or(Some(&String::new())),
                        ),
                        role: (role.get_untracked() != c.role).then(|| role.get_untracked()),
                    };
                    outcome(api::edit_user(&c.id, &edit).await);
                }
                None => {
                    let new = NewUser {
                        first_name: first.get_untracked(),
                        last_name: last.get_untracked(),
                        display_name: display.get_untracked(),
                        username: username.get_untracked(),
                        email: email.get_untracked(),
                        alternate_email: Some(alternate.get_untracked())
                            .filter(|a| !a.trim().is_empty()),
                        role: role.get_untracked(),
                        password: match typed.get_untracked() {
                            Some(password) => PasswordChoice::Typed { password },
                            None => PasswordChoice::Generate,
                        },
                        require_change: require_change.get_untracked(),
                        email_to: if send_email.get_untracked() {
                            recipients.get_untracked()
                        } else {
                            Vec::new()
                        },
                    };
                    match api::add_user(&new).await {
                        Ok(c) => {
                            created.set(Some(c));
                            crate::focus::focus_first_of(vec!["#person-result".into()]);
                        }
                        Err(e) => error.set(Some(e)),
                    }
                }
            }
            pending.set(false);
        });
    };

    let input = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <label for=id>{label}</label>
            <input id=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    let block = move |_| {
        let Some(c) = current.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            outcome(api::set_blocked(&c.id, !c.blocked, c.version).await)
        });
    };
    let delete = move |_| {
        let Some(c) = current.get_untracked() else {
            return;
        };
        if !window()
            .confirm_with_message(u.confirm_delete)
            .unwrap_or(false)
        {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::delete_user(&c.id).await {
                Ok(()) => close(),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <div class="backdrop" on:click=move |_| close()></div>
        <div class="pane" role="dialog" aria-modal="true" aria-labelledby="person-title" node_ref=pane>
            <div class="pane-head">
                <h2 id="person-title" tabindex="-1">{if editing { u.edit_user } else { u.add_user }}</h2>
                <button type="button" class="icon close" aria-label=u.close on:click=move |_| close()>"×"</button>
            </div>
            {move || match created.get() {
                Some(c) => view! {
                    <div class="pane-body done">
                        <div id="person-result" class="success" role="status" tabindex="-1">
                            <p><strong>{c.user.display_name.clone()}</strong> " " {u.user_added}</p>
                            <SecretValue value=c.password.clone() label=(u.new_password_for)(&c.user.username) />
                            <ul class="deliveries">
                                {c.emails.iter().map(|e| view! {
                                    <li>{if e.status == EmailStatus::Sent { u.sent_to } else { u.not_sent_to }} " " {e.recipient.clone()}</li>
                                }).collect_view()}
                            </ul>
                        </div>
                        <div class="pane-foot"><button type="button" class="primary" on:click=move |_| close()>{u.close}</button></div>
                    </div>
                }.into_any(),
                None => view! {
                    <form class="pane-body" on:submit=submit>
                        {input("person-first", u.first_name, first)}
                        {input("person-last", u.last_name, last)}
                        {input("person-display", u.display_name_label, display)}
                        {input("person-username", u.username_label, username)}
                        {input("person-email", u.email_label, email)}
                        {input("person-alternate", u.alternate_label, alternate)}
                        <label for="person-role">{u.role_label}</label>
                        <select id="person-role" disabled=own on:change=move |ev| {
                            if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }
                        }>
                            {roles.iter().map(|&r| view! {
                                <option value=r.as_str() selected=move || role.get() == r>{u.role(r)}</option>
                            }).collect_view()}
                        </select>
                        {(!editing).then(|| view! {
                            <label><input type="radio" name="person-mode" prop:checked=move || typed.get().is_none()
                                on:change=move |_| typed.set(None) />{u.auto_generate}</label>
                            <label><input id="person-typed-mode" type="radio" name="person-mode" prop:checked=move || typed.get().is_some()
                                on:change=move |_| typed.set(Some(String::new())) />{u.let_me_create}</label>
                            {move || typed.get().is_some().then(|| view! {
                                <label for="person-password">{u.password}</label>
                                <input id="person-password" type="password" autocomplete="new-password"
                                    on:input=move |ev| typed.set(Some(event_target_value(&ev))) />
                            })}
                            <label><input id="person-require" type="checkbox" prop:checked=move || require_change.get()
                                on:change=move |ev| require_change.set(event_target_checked(&ev)) />{u.require_change}</label>
                            <label><input id="person-send" type="checkbox" prop:checked=move || send_email.get()
                                on:change=move |ev| send_email.set(event_target_checked(&ev)) />{u.send_email}</label>
                            {move || send_email.get().then(|| view! {
                                <RecipientsBox recipients=recipients alternate=None server_error=Signal::derive(|| None::<String>) />
                            })}
                        })}
                        {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                        {move || error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
                        <div class="pane-foot">
                            <button type="submit" class="primary" disabled=move || pending.get()>{if editing { u.save } else { u.add_user }}</button>
                            {(editing && !own).then(|| view! {
                                <button type="button" class="block" on:click=block>
                                    {move || if current.with(|c| c.as_ref().is_some_and(|c| c.blocked)) { u.unblock_sign_in } else { u.block_sign_in }}
                                </button>
                                <button type="button" class="danger" on:click=delete>{u.delete_user}</button>
                            })}
                        </div>
                        {(editing && !own).then(|| view! { <SignIns user=current /> })}
                    </form>
                    {(editing && !own).then(|| view! { <AuthMethods user=current /> })}
                }.into_any(),
            }}
        </div>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use leptos::mount::mount_to;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::*;
    use crate::test_dom::{fresh_root, texts};

    wasm_bindgen_test_configure!(run_in_browser);

    fn person(id: &str, role: Role) -> UserSummary {
        UserSummary {
            id: id.into(),
            username: id.into(),
            display_name: id.into(),
            email: format!("{id}@contoso.example"),
            alternate_email: None,
            role,
            must_change_password: false,
            locked_until: None,
            temporary_password_expires_at: None,
            reset_requested_at: None,
            reset_link: None,
            preferred_language: None,
            version: 1,
            blocked: false,
            first_name: None,
            last_name: None,
            temporary_pass_expires_at: None,
        }
    }

    fn roles_offered(me: Role, user: Option<UserSummary>) -> Vec<String> {
        let root = fresh_root();
        let me = person("me", me);
        let handle = mount_to(root.clone().unchecked_into(), move || {
            view! { <PersonPane me=me.clone() user=user.clone() on_close=|| () /> }
        });
        let offered = texts(&root, "#person-role option");
        drop(handle);
        offered
    }

    #[wasm_bindgen_test]
    fn only_a_global_admin_is_offered_admin_roles_and_a_users_own_role_always_shows() {
        assert_eq!(
            roles_offered(Role::GlobalAdmin, None),
            ["User", "Password admin", "Helpdesk admin", "Global admin"]
        );
        assert_eq!(roles_offered(Role::HelpdeskAdmin, None), ["User"]);
        // A helpdesk admin editing a password admin sees that role, and may
        // only keep it or make them a user.
        assert_eq!(
            roles_offered(
                Role::HelpdeskAdmin,
                Some(person("pat", Role::PasswordAdmin))
            ),
            ["User", "Password admin"]
        );
    }
}

//! Credentials: pasted in any format the core parses, typed as three
//! values, or from "Sign in with IAM Identity Center" ([`SsoPanel`]). Kept
//! in memory only (a signal), never stored or put in a URL.

use std::time::SystemTime;

use leptos::prelude::*;

use super::session::Session;
use super::sso_panel::SsoPanel;
use crate::core::credentials::{credentials_from_fields, parse_credentials};
use crate::core::response::format_utc;

/// "in 59 min", "3 min ago": a short human duration relative to now.
pub fn relative(t: SystemTime, now: SystemTime) -> String {
    let (secs, future) = match t.duration_since(now) {
        Ok(d) => (d.as_secs(), true),
        Err(e) => (e.duration().as_secs(), false),
    };
    let text = if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{} min {} s", secs / 60, secs % 60)
    } else {
        format!("{} h {} min", secs / 3600, (secs % 3600) / 60)
    };
    if future {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

/// The credentials panel.
#[component]
pub fn CredentialsPanel(
    /// Who calls: its credentials are the ones in use.
    session: Session,
    /// The current time, ticking every second.
    now: RwSignal<SystemTime>,
) -> impl IntoView {
    let credentials = session.credentials;
    let sso = RwSignal::new(false);
    let paste = RwSignal::new(String::new());
    let paste_error = RwSignal::new(None::<String>);
    let key_id = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let fields_error = RwSignal::new(None::<String>);

    let on_paste = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if text.trim().is_empty() {
            paste.set(text);
            paste_error.set(None);
            return;
        }
        match parse_credentials(&text) {
            Ok(parsed) => {
                credentials.set(Some(parsed));
                // The secret does not stay in the page once parsed.
                paste.set(String::new());
                paste_error.set(None);
                fields_error.set(None);
                key_id.set(String::new());
                secret.set(String::new());
                token.set(String::new());
            }
            Err(e) => {
                paste.set(text);
                paste_error.set(Some(e.to_string()));
            }
        }
    };
    let from_fields = move || {
        let (k, s, t) = (
            key_id.get_untracked(),
            secret.get_untracked(),
            token.get_untracked(),
        );
        if k.trim().is_empty() && s.trim().is_empty() {
            fields_error.set(None);
            return;
        }
        match credentials_from_fields(&k, &s, &t) {
            Ok(parsed) => {
                credentials.set(Some(parsed));
                fields_error.set(None);
            }
            Err(e) => fields_error.set(Some(e.to_string())),
        }
    };
    let forget = move |_| {
        session.forget_credentials();
        for s in [paste, key_id, secret, token] {
            s.set(String::new());
        }
        paste_error.set(None);
        fields_error.set(None);
    };

    let status = move || {
        credentials.with(|c| {
            let Some(parsed) = c else {
                return view! { <p class="credentials__status credentials__status--none">"No credentials yet. Nothing is sent without them."</p> }.into_any();
            };
            let creds = &parsed.credentials;
            let now = now.get();
            let expiry = creds.expiration().map(|t| {
                let expired = creds.is_expired(now);
                let text = format!("{} ({})", format_utc(t), relative(t, now));
                (expired, text)
            });
            let kind = if creds.is_temporary() { "temporary (session token present)" } else { "long-term (no session token)" };
            let warnings: Vec<String> = parsed.warnings.iter().map(|w| w.to_string()).collect();
            view! {
                <div class="credentials__status" data-testid="credentials-status">
                    <p><strong>"Access key "</strong><code data-testid="masked-key">{creds.masked_access_key_id()}</code>
                        " · " <span data-testid="credentials-kind">{kind}</span> " · from " {parsed.format.to_string()}</p>
                    {match expiry {
                        Some((true, text)) => view! { <p class="notice notice--error" role="alert">"Expired " {text} ". Paste new credentials: nothing will be signed with these."</p> }.into_any(),
                        Some((false, text)) => view! { <p>"Expires " <span data-testid="credentials-expiry">{text}</span></p> }.into_any(),
                        None => view! { <p>"Expiry unknown."</p> }.into_any(),
                    }}
                    {warnings.into_iter().map(|w| view! { <p class="notice notice--warning">{w}</p> }).collect_view()}
                </div>
            }
            .into_any()
        })
    };

    view! {
        <section class="panel credentials" aria-labelledby="credentials-title">
            <h2 id="credentials-title" class="panel__title">"Credentials"</h2>
            <p class="panel__hint">"Temporary credentials, kept in this tab's memory only: never stored, never in the URL."</p>
            <fieldset class="credentials__way">
                <legend class="field__label">"How"</legend>
                <label><input type="radio" name="credentialsWay" value="paste" prop:checked=move || !sso.get() on:change=move |_| sso.set(false) />
                    " Paste credentials"</label>
                <label><input type="radio" name="credentialsWay" value="sso" prop:checked=move || sso.get() on:change=move |_| sso.set(true) />
                    " Sign in with IAM Identity Center"</label>
            </fieldset>
            <SsoPanel session=session now=now shown=sso />
            <div hidden=move || sso.get()>
            <label class="field__label" for="credentialsPaste">"Paste credentials"</label>
            <textarea class="field__control credentials__paste" id="credentialsPaste" name="credentialsPaste" rows="4"
                spellcheck="false" autocomplete="off"
                placeholder="Output of aws sts assume-role, aws configure export-credentials (JSON or env), or AWS_* lines"
                aria-describedby="credentialsPaste-error"
                prop:value=move || paste.get() on:input=on_paste></textarea>
            <div class="field__error" id="credentialsPaste-error" aria-live="polite">{move || paste_error.get().map(|e| view! { <p>{e}</p> })}</div>
            <details class="credentials__fields">
                <summary>"Or type them"</summary>
                <div class="field">
                    <label class="field__label" for="accessKeyId">"Access key ID"</label>
                    <input class="field__control" id="accessKeyId" name="accessKeyId" type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || key_id.get() on:input=move |ev| { key_id.set(event_target_value(&ev)); from_fields(); } />
                </div>
                <div class="field">
                    <label class="field__label" for="secretAccessKey">"Secret access key"</label>
                    <input class="field__control" id="secretAccessKey" name="secretAccessKey" type="password" autocomplete="off"
                        prop:value=move || secret.get() on:input=move |ev| { secret.set(event_target_value(&ev)); from_fields(); } />
                </div>
                <div class="field">
                    <label class="field__label" for="sessionToken">"Session token"</label>
                    <input class="field__control" id="sessionToken" name="sessionToken" type="password" autocomplete="off"
                        prop:value=move || token.get() on:input=move |ev| { token.set(event_target_value(&ev)); from_fields(); } />
                </div>
                <div class="field__error" aria-live="polite">{move || fields_error.get().map(|e| view! { <p>{e}</p> })}</div>
            </details>
            </div>
            {status}
            <button type="button" class="button button--ghost" on:click=forget
                disabled=move || credentials.with(Option::is_none)>"Forget credentials"</button>
        </section>
    }
}

//! "Sign in with IAM Identity Center", the Credentials panel's second way:
//! the start URL and region, the code and the link to approve it, then the
//! account and role whose credentials fill the same credential state that
//! pasting fills. Every decision is the core's machine
//! ([`crate::core::sso`]), run by the one workflow runner; this shows its
//! phase and sends the user's events. Only [`Remembered`] (start URL,
//! region, account id, role name) is stored.

use std::time::SystemTime;

use leptos::prelude::*;

use super::browser;
use super::credentials_panel::relative;
use super::flow_runner::Runner;
use super::notice_view::notice_view;
use super::session::Session;
use crate::core::credentials::{CredentialsFormat, ParsedCredentials};
use crate::core::sso::{Event, Phase, Remembered, Shown, SignIn};
use crate::core::url::{host_without_port, split};

/// The sign-in's part of the Credentials panel.
#[component]
pub fn SsoPanel(
    /// Who calls and where; role credentials go into its credentials.
    session: Session,
    /// The current time, ticking every second.
    now: RwSignal<SystemTime>,
    /// Whether the panel shows this way (set when a start URL is remembered
    /// or set by the site).
    shown: RwSignal<bool>,
) -> impl IntoView {
    let remembered = Remembered::from_saved(browser::load(Remembered::STORAGE_KEY).as_deref());
    let start_url = RwSignal::new(remembered.start_url);
    let region = RwSignal::new(remembered.region);
    let runner =
        Runner::<SignIn>::new((), session, "credentials-title").on_show(move |shown| match shown {
            Shown::Credentials(credentials) => session.credentials.set(Some(ParsedCredentials {
                credentials,
                format: CredentialsFormat::SignIn,
                warnings: Vec::new(),
            })),
            Shown::ForgetCredentials => session.forget_credentials(),
        });
    let state = runner.state;
    state.set(SignIn::remembering(remembered.picked));
    shown.set(!start_url.get_untracked().is_empty());
    // The site's start URL and region fill what the user has not set.
    let site = session.choice.site;
    Effect::new(move |_| {
        site.with(|loaded| {
            let config = &loaded.as_ref()?.config;
            for (field, value) in [
                (start_url, &config.sso_start_url),
                (region, &config.sso_region),
            ] {
                if let Some(value) = value
                    && field.get_untracked().is_empty()
                {
                    field.set(value.clone());
                    shown.set(true);
                }
            }
            Some(())
        });
    });
    Effect::new(move |_| {
        if let Some(r) = state.with(SignIn::remembered) {
            // Storage can be full or disabled; remembering is a convenience.
            let _ = browser::store(Remembered::STORAGE_KEY, &r.to_saved());
        }
    });
    let role = RwSignal::new(String::new());
    let dispatch = move |event: Event| runner.dispatch(event);
    let sign_in = move |_| {
        let region = region.get_untracked();
        dispatch(Event::SignIn {
            start_url: start_url.get_untracked(),
            not_ready: session.sso_not_ready(&region),
            region,
            now: browser::now(),
        })
    };
    let button = move |label: &'static str, testid: &'static str, event: fn() -> Event| {
        view! {
            <button type="button" class="button button--ghost" data-testid=testid
                on:click=move |_| dispatch(event())>{label}</button>
        }
    };

    let step = move || {
        state.with(|s| match &s.phase {
            Phase::SignedOut | Phase::SignInAgain => view! {
                <button type="button" class="button button--primary" data-testid="sso-start" on:click=sign_in>
                    {if s.phase == Phase::SignInAgain { "Sign in again" } else { "Sign in" }}
                </button>
            }
            .into_any(),
            Phase::Authorizing { device, .. } => {
                let host = host_without_port(split(&device.verification_uri).authority);
                let expires_at = device.expires_at;
                view! {
                    <p>"Your code: " <code class="sso__code" data-testid="sso-user-code">{device.user_code.clone()}</code></p>
                    <p><a data-testid="sso-verify-link" href=device.verification_uri.clone() target="_blank" rel="noopener noreferrer">
                        "Approve it at " {host}</a>
                        " (a new tab). The code expires "
                        <span data-testid="sso-expiry">{move || relative(expires_at, now.get())}</span>"."</p>
                    {button("Cancel", "sso-cancel", || Event::Cancel)}
                }
                .into_any()
            }
            Phase::SignedIn(signed_in) => {
                let picked = &s.picked;
                let accounts = signed_in
                    .accounts
                    .iter()
                    .map(|a| {
                        let selected = picked.account_id.as_ref() == Some(&a.id);
                        let text = format!("{} · {} · {}", a.id, a.name, a.email);
                        view! { <option value=a.id.clone() selected=selected>{text}</option> }
                    })
                    .collect_view();
                let roles = signed_in
                    .roles
                    .iter()
                    .map(|r| {
                        let selected = role.with_untracked(|chosen| {
                            if chosen.is_empty() { picked.role_name.as_ref() == Some(r) } else { chosen == r }
                        });
                        view! { <option value=r.clone() selected=selected>{r.clone()}</option> }
                    })
                    .collect_view();
                // what "Use this role" uses unless another is chosen
                let shown_role = role
                    .get_untracked()
                    .is_empty()
                    .then(|| picked.role_name.clone().or_else(|| signed_in.roles.first().cloned()))
                    .flatten();
                view! {
                    <div class="field">
                        <label class="field__label" for="ssoAccount">"Account"</label>
                        <select class="field__control" id="ssoAccount" name="ssoAccount"
                            on:change=move |ev| {
                                role.set(String::new());
                                dispatch(Event::ChooseAccount { account_id: event_target_value(&ev) })
                            }>
                            <option value="" disabled selected=picked.account_id.is_none()>"Choose an account"</option>
                            {accounts}
                        </select>
                    </div>
                    <div class="field">
                        <label class="field__label" for="ssoRole">"Role"</label>
                        <select class="field__control" id="ssoRole" name="ssoRole"
                            on:change=move |ev| role.set(event_target_value(&ev))>{roles}</select>
                    </div>
                    <button type="button" class="button button--primary" data-testid="sso-use-role"
                        disabled=signed_in.roles.is_empty()
                        on:click=move |_| {
                            let chosen = role.get_untracked();
                            let role_name = if chosen.is_empty() { shown_role.clone().unwrap_or_default() } else { chosen };
                            dispatch(Event::UseRole { role_name })
                        }>"Use this role"</button>
                }
                .into_any()
            }
            _ => view! { <p>"Please wait…"</p> {s.signing_in().then(|| button("Cancel", "sso-cancel", || Event::Cancel))} }.into_any(),
        })
    };
    let can_sign_out =
        move || state.with(|s| matches!(s.phase, Phase::SignedIn(_) | Phase::SignInAgain));

    view! {
        <div class="sso" data-testid="sso" data-sso-state=move || state.with(SignIn::state_name) hidden=move || !shown.get()>
            <div class="field">
                <label class="field__label" for="ssoStartUrl">"AWS access portal URL (start URL)"</label>
                <input class="field__control" id="ssoStartUrl" name="ssoStartUrl" type="url" autocomplete="off" spellcheck="false"
                    placeholder="https://d-1234567890.awsapps.com/start"
                    prop:value=move || start_url.get() on:input=move |ev| start_url.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label class="field__label" for="ssoRegion">"IAM Identity Center region"</label>
                <input class="field__control" id="ssoRegion" name="ssoRegion" type="text" autocomplete="off" spellcheck="false"
                    placeholder="us-east-1"
                    prop:value=move || region.get() on:input=move |ev| region.set(event_target_value(&ev)) />
            </div>
            {step}
            <div data-testid="sso-notice" aria-live="polite">{move || state.with(|s| s.notice.clone()).map(notice_view)}</div>
            {move || can_sign_out().then(|| button("Sign out", "sso-sign-out", || Event::SignOut))}
        </div>
    }
}

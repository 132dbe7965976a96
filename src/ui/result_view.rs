//! The result panel: the answer to an update, or everything needed to act
//! on a failure. Server text is always shown as text, never as HTML.

use leptos::prelude::*;

use super::browser::{focus, local_time};
use super::form_state::{FormState, control_id};
use crate::core::client::{Attempt, CallError, CallReport, RELAY_GUIDE_URL};
use crate::core::flow::{ConfirmReasons, Flow, Next, Phase, Status};
use crate::core::member_path::MemberPath;
use crate::core::response::{Advice, ResponseError, advice, format_utc};
use crate::core::sign::SignedRequest;
use crate::core::text::plural;

/// One line of the "invalid fields" summary.
#[derive(Clone)]
pub struct Invalid {
    /// Control path.
    pub path: MemberPath,
    /// What is wrong.
    pub message: String,
}

/// The summary of invalid fields, at the top of the form once the user
/// tried to send: each entry links to (and focuses) its field.
#[component]
pub fn ErrorSummary(
    /// The invalid fields.
    invalid: Signal<Vec<Invalid>>,
) -> impl IntoView {
    let on_field = move |path: &MemberPath| focus(&control_id(path));
    move || {
        let items = invalid.get();
        (!items.is_empty()).then(|| {
            let count = items.len();
            view! {
                <div class="notice notice--error summary-box" role="alert" data-testid="error-summary">
                    <p><strong>{format!("{count} {} {} attention before this can be sent:", plural(count, "field", "fields"), plural(count, "needs", "need"))}</strong></p>
                    <ul class="summary">
                        {items.into_iter().map(|i| {
                            let p = i.path.clone();
                            view! { <li><a href=format!("#{}", control_id(&i.path)) on:click=move |ev| { ev.prevent_default(); on_field(&p); }>{i.path.to_string()}</a> ": " {i.message}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

fn attempts_view(attempts: &[Attempt]) -> impl IntoView + use<> {
    let items: Vec<_> = attempts
        .iter()
        .map(|a| {
            let retry = a.retry_after.filter(|d| !d.is_zero()).map(|d| {
                // tenths of a second, in integers (no float formatting in the build)
                let tenths = (d.as_millis() + 50) / 100;
                format!(" — retrying in {}.{} s", tenths / 10, tenths % 10)
            });
            format!(
                "Attempt {}: {}{}",
                a.number,
                a.summary,
                retry.unwrap_or_default()
            )
        })
        .collect();
    let count = items.len().to_string();
    (!items.is_empty()).then(|| {
        view! {
            <ol class="attempts" data-testid="attempts" data-count=count>
                {items.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
            </ol>
        }
    })
}

/// What the last attempt signed, for comparing with the canonical request
/// and string to sign that AWS quotes in an InvalidSignatureException. The
/// session token's value is not shown.
pub fn signed_view(request: &SignedRequest) -> impl IntoView + use<> {
    let target = format!("{} {}", request.method, request.url);
    let canonical = request.canonical_request_for_display();
    let string_to_sign = request.string_to_sign.clone();
    view! {
        <details class="result__raw" data-testid="signed-details">
            <summary>"What was signed (SigV4)"</summary>
            <p class="result__hint">{target}</p>
            <h4 class="result__subtitle">"Canonical request"</h4>
            <pre data-testid="canonical-request">{canonical}</pre>
            <h4 class="result__subtitle">"String to sign"</h4>
            <pre data-testid="string-to-sign">{string_to_sign}</pre>
        </details>
    }
}

fn row(label: &'static str, value: Option<String>, testid: &'static str) -> impl IntoView {
    value.map(|v| view! { <tr><th scope="row">{label}</th><td data-testid=testid>{v}</td></tr> })
}

fn success_view(report: &CallReport) -> AnyView {
    let Ok(out) = &report.outcome else {
        return ().into_any();
    };
    let text = |k: &str| out.json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let time = |k: &str| {
        out.timestamp(k)
            .map(|t| format!("{} · {}", local_time(t), format_utc(t)))
    };
    let workload = out
        .json
        .get("workloadIdentityDetails")
        .and_then(|w| w.get("workloadIdentityArn"))
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let raw = crate::core::json::to_string_pretty(&out.json);
    view! {
        <h3 class="result__title result__title--success">"Update accepted (HTTP " {out.status} ")"</h3>
        <table class="result__table">
            {row("Runtime ARN", text("agentRuntimeArn"), "out-arn")}
            {row("Runtime ID", text("agentRuntimeId"), "out-id")}
            {row("Version", text("agentRuntimeVersion"), "out-version")}
            {row("Endpoint ARN", text("agentRuntimeEndpointArn"), "out-endpoint-arn")}
            {row("Live version", text("liveVersion"), "out-live-version")}
            {row("Target version", text("targetVersion"), "out-target-version")}
            {row("Status", text("status"), "out-status")}
            {row("Created", time("createdAt"), "out-created")}
            {row("Last updated", time("lastUpdatedAt"), "out-updated")}
            {row("Workload identity ARN", workload, "out-workload")}
            {row("Request ID", out.request_id.clone(), "request-id")}
        </table>
        <details class="result__raw"><summary>"Raw response"</summary><pre>{raw}</pre></details>
    }
    .into_any()
}

/// The relay option, after a direct call the browser blocked or could not
/// make (the text is the core's).
fn relay_advice_view(text: &'static str) -> impl IntoView {
    view! {
        <p class="advice" data-testid="relay-advice">{text} " "
            <a href=RELAY_GUIDE_URL>"Deploying with the relay"</a></p>
    }
}

/// What an error code usually means and what to do, when known (`advice`:
/// the operation's words for it).
fn advice_view(code: &str, advice: AdviceFor) -> impl IntoView + use<> {
    advice(code).map(|a| {
        view! {
            <div class="advice" data-testid="advice">
                <p><strong>"What it means: "</strong>{a.meaning}</p>
                <p><strong>"What to do: "</strong>{a.action}</p>
            </div>
        }
    })
}

/// What an error code means for an operation, and what to do.
pub type AdviceFor = fn(&str) -> Option<Advice>;

/// An error as the page shows it: the service's code, status, message (as
/// text, never HTML), request id and fields, with `advice` for its code.
pub fn error_view(error: &CallError, on_field: Callback<MemberPath>, advice: AdviceFor) -> AnyView {
    match error {
        CallError::Response(ResponseError::Service(e)) => {
            let fields = e.fields.clone();
            view! {
                <h3 class="result__title result__title--error" data-testid="error-name">{e.code.clone()}</h3>
                <table class="result__table">
                    <tr><th scope="row">"HTTP status"</th><td data-testid="error-status">{e.status}</td></tr>
                    <tr><th scope="row">"Message"</th><td class="result__message" data-testid="error-message">{if e.message.is_empty() { "(none)".to_owned() } else { e.message.clone() }}</td></tr>
                    {row("Request ID", e.request_id.clone(), "request-id")}
                    {row("Reason", e.reason.clone(), "error-reason")}
                </table>
                {advice_view(&e.code, advice)}
                {(!fields.is_empty()).then(|| view! {
                    <ul class="result__fields" data-testid="field-list">
                        {fields.into_iter().map(|f| {
                            let target = f.path.as_ref().and_then(|p| expect_context::<FormState>().control_of(p));
                            view! {
                                <li>
                                    {match target {
                                        Some(p) => view! { <a href=format!("#{}", control_id(&p)) on:click=move |ev| { ev.prevent_default(); on_field.run(p.clone()); }>{f.name.clone()}</a> }.into_any(),
                                        None => view! { <code>{f.name.clone()}</code> }.into_any(),
                                    }}
                                    ": " {f.message.clone()}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            }
            .into_any()
        }
        CallError::Response(e) => view! {
            <h3 class="result__title result__title--error" data-testid="error-name">"Unexpected answer (HTTP " {e.status()} ")"</h3>
            <p data-testid="error-message">{e.to_string()}</p>
            {e.request_id().map(|r| view! { <p>"Request ID: " <code data-testid="request-id">{r.to_owned()}</code></p> })}
            {advice_view(&e.code(), advice)}
        }
        .into_any(),
        CallError::Transport(e) => view! {
            <h3 class="result__title result__title--error" data-testid="error-name">"No answer from the endpoint"</h3>
            <p data-testid="error-message">{e.to_string()}</p>
            {advice_view(&error.code(), advice)}
        }
        .into_any(),
        other => view! {
            <h3 class="result__title result__title--error" data-testid="error-name">"Not sent"</h3>
            <p data-testid="error-message">{other.to_string()}</p>
        }
        .into_any(),
    }
}

/// The confirmation: why the update needs one, and the two buttons.
fn confirm_view(
    reasons: &ConfirmReasons,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView + use<> {
    let cleared = reasons.cleared;
    let mut lines = Vec::new();
    if let Some(m) = &reasons.moving {
        lines.push(format!(
            "Point endpoint {} from version {} (live now) to version {}.",
            m.resource, m.live, m.target
        ));
    }
    if let Some(why) = &reasons.preflight_failed {
        lines.push(why.clone());
    }
    if cleared > 0 {
        lines.push(format!(
            "This update clears {cleared} {} that {} set now (see the review).",
            plural(cleared, "member", "members"),
            plural(cleared, "is", "are")
        ));
    }
    if let Some(status) = &reasons.not_ready {
        lines.push(format!(
            "The runtime is {status}, not READY: AgentCore will likely refuse the update with ConflictException."
        ));
    }
    let label = if cleared > 0 {
        format!(
            "Send anyway, clearing {cleared} {}",
            plural(cleared, "member", "members")
        )
    } else {
        "Send anyway".to_owned()
    };
    view! {
        <h3 class="result__title">"Confirm the update"</h3>
        <div data-testid="confirm" data-cleared=cleared.to_string() data-reason=reasons.tokens()
            data-endpoint=reasons.moving.as_ref().map(|m| m.resource.clone())
            data-live-version=reasons.moving.as_ref().map(|m| m.live.clone())
            data-target-version=reasons.moving.as_ref().map(|m| m.target.clone())>
            {lines.into_iter().map(|r| view! { <p class="notice notice--warning">{r}</p> }).collect_view()}
            <div class="confirm__actions">
                <button type="button" class="button button--danger" data-testid="confirm-send" on:click=move |_| on_confirm.run(())>{label}</button>
                <button type="button" class="button button--ghost" data-testid="cancel-send" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </div>
    }
}

/// The result panel (`role="status"`, `data-testid="result"`).
#[component]
pub fn ResultView(
    /// The update flow.
    flow: ReadSignal<Flow>,
    /// The known clock offset in seconds (service − local).
    clock_offset: RwSignal<i64>,
    /// Sends after the user confirmed.
    on_confirm: Callback<()>,
    /// Cancels the confirmation.
    on_cancel: Callback<()>,
    /// Sends the identical request again (same clientToken).
    on_resend: Callback<()>,
    /// Stops following the update.
    on_stop_following: Callback<()>,
    /// `data-testid` of the panel; its title's id is `<testid>-title`.
    #[prop(default = "result")]
    testid: &'static str,
    /// The panel's title.
    #[prop(default = "Result")]
    title: &'static str,
    /// Shown below the follow (e.g. the endpoints to move after an update).
    #[prop(optional)]
    extra: Option<ViewFn>,
) -> impl IntoView {
    let on_field = Callback::new(move |path: MemberPath| focus(&control_id(&path)));
    let finished = move || {
        flow.with(|f| match &f.phase {
            Phase::Finished { report, .. } => {
                Some(report.outcome.as_ref().err().map(CallError::code))
            }
            _ => None,
        })
    };
    let outcome = move || finished().map(|e| if e.is_none() { "success" } else { "error" });
    let error_code = move || finished().flatten();
    let status = move || {
        flow.with(|f| {
            f.follow()
                .and_then(|f| f.status().map(|s| s.as_str().to_owned()))
        })
    };
    let body = move || {
        let phase = flow.with(|f| f.phase.clone());
        match phase {
        Phase::Idle => view! { <p class="result__idle">"Nothing sent yet. Fill in the form and press “Update agent runtime”."</p> }.into_any(),
        Phase::Blocked { reason, .. } => view! {
            <h3 class="result__title result__title--error">"Not sent"</h3>
            <p data-testid="blocked-reason">{reason}</p>
        }
        .into_any(),
        Phase::Stopped(reason) => view! {
            <h3 class="result__title result__title--error">"Stopped"</h3>
            <p data-testid="stopped-reason">{reason}</p>
        }
        .into_any(),
        Phase::Checking(_) => view! {
            <p class="result__progress" data-testid="in-progress"><span class="spinner" aria-hidden="true"></span>"Checking the runtime before sending…"</p>
        }
        .into_any(),
        Phase::Sending { attempts, .. } => view! {
            <p class="result__progress" data-testid="in-progress"><span class="spinner" aria-hidden="true"></span>"Sending…"</p>
            {attempts_view(&attempts)}
        }
        .into_any(),
        Phase::Confirm { reasons, .. } => confirm_view(&reasons, on_confirm, on_cancel).into_any(),
        Phase::Finished { report, note, next } => {
            let main = match &report.outcome {
                Ok(_) => success_view(&report),
                Err(e) => error_view(e, on_field, advice),
            };
            view! {
                {note.map(|n| view! { <p class="notice" data-testid="result-note">{n}</p> })}
                {main}
                {report.relay_advice().map(relay_advice_view)}
                {matches!(next, Next::Resend(_)).then(|| view! {
                    <div class="notice notice--warning resend">
                        <p>"The update may already have been applied. Sending the identical request again, with the same clientToken, is safe: AgentCore applies it at most once."</p>
                        <button type="button" class="button" data-testid="resend-same-token" on:click=move |_| on_resend.run(())>"Send again with the same clientToken"</button>
                    </div>
                })}
                {attempts_view(&report.attempts)}
                {report.last_request.as_ref().map(signed_view)}
            }
            .into_any()
        }
    }
    };
    let skew = move || {
        let offset = clock_offset.get();
        (offset.abs() >= 60).then(|| {
            let minutes = (offset.abs() + 30) / 60;
            let direction = if offset > 0 { "behind" } else { "ahead of" };
            view! {
                <p class="notice notice--warning" data-testid="clock-skew">
                    {format!("Your computer's clock is {minutes} {} {direction} AWS's. Requests are now signed with the corrected time; fix the system clock when you can.", plural(minutes, "minute", "minutes"))}
                </p>
            }
        })
    };
    let follow_view = move || {
        flow.with(|f| f.follow().cloned()).map(|f| {
            view! {
                <div class="follow" data-testid="follow">
                    <h4>"Following the update"</h4>
                    <ol>
                        {f.readings.iter().map(|(s, v)| view! { <li>{format!("{s} (version {v})")}</li> }).collect_view()}
                    </ol>
                    {f.failure_reason.clone().map(|r| view! { <p class="notice notice--error" data-testid="failure-reason">"Update failed: " {r}</p> })}
                    {f.note().map(str::to_owned).map(|n| view! { <p class="notice" data-testid="follow-note">{n}</p> })}
                    {f.active().then(|| view! {
                        <p class="result__progress"><span class="spinner" aria-hidden="true"></span>{format!("Waiting for {}…", Status::Ready)}
                            <button type="button" class="button button--ghost button--small" on:click=move |_| on_stop_following.run(())>"Stop following"</button>
                        </p>
                    })}
                </div>
            }
        })
    };
    view! {
        <section class="panel result" role="status" data-testid=testid aria-labelledby=format!("{testid}-title")
            data-outcome=outcome data-error-code=error_code data-status=status>
            <h2 id=format!("{testid}-title") class="panel__title">{title}</h2>
            {skew}
            {body}
            {follow_view}
            {extra.map(|e| e.run())}
        </section>
    }
}

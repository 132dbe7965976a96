//! A minimal page on the console's stack, for `scripts/bench-size.sh --floor`:
//! one component with signals, an input, a conditional view and a button
//! that (with the features on) parses JSON, signs a request
//! with aws-sigv4 and sends it with gloo-net. Everything depends on the input,
//! so the optimizer cannot drop it.
use leptos::prelude::*;

#[component]
fn App() -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let (out, set_out) = signal(String::new());
    let go = move |_| {
        let input = text.get_untracked();
        #[cfg(feature = "json")]
        let input = {
            let value: serde_json::Value = serde_json::from_str(&input).unwrap_or_default();
            value.to_string()
        };
        #[cfg(feature = "sign")]
        sign_and_send(&input, set_out);
        set_out.set(input);
    };
    view! {
        <main>
            <input name="x" prop:value=text on:input=move |ev| set_text.set(event_target_value(&ev)) />
            <Show when=move || { text.get().len() > 3 } fallback=|| view! { <p>"short"</p> }>
                <p class="long">{move || text.get()}</p>
            </Show>
            <button on:click=go>"Go"</button>
            <pre>{out}</pre>
        </main>
    }
}

#[cfg(feature = "sign")]
fn sign_and_send(input: &str, set_out: WriteSignal<String>) {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    use std::time::{Duration, UNIX_EPOCH};
    let url = "https://bedrock-agentcore-control.us-east-1.amazonaws.com/runtimes/x/";
    let identity =
        aws_credential_types::Credentials::new("AKIDEXAMPLE", input, None, None, "floor").into();
    let Ok(params) = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("bedrock-agentcore")
        .time(UNIX_EPOCH + Duration::from_secs(1_764_000_000))
        .settings(SigningSettings::default())
        .build()
    else {
        return;
    };
    let headers = [("content-type", "application/json")];
    let Ok(request) = SignableRequest::new(
        "PUT",
        url,
        headers.into_iter(),
        SignableBody::Bytes(input.as_bytes()),
    ) else {
        return;
    };
    let Ok(output) = sign(request, &params.into()) else {
        return;
    };
    let signed: Vec<(String, String)> = output
        .output()
        .headers()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let body = input.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        let mut builder = gloo_net::http::Request::put(url);
        for (name, value) in &signed {
            builder = builder.header(name, value);
        }
        if let Ok(request) = builder.body(body) {
            if let Ok(response) = request.send().await {
                set_out.set(response.text().await.unwrap_or_default());
            }
        }
    });
}

fn main() {
    leptos::mount::mount_to_body(App);
}

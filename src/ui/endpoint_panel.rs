//! Region, endpoint variant and custom endpoint, with the resolved URL.

use leptos::prelude::*;

use crate::core::endpoint::{EndpointError, EndpointVariant, ResolvedEndpoint, known_regions};

/// Where requests go, as the user chose it.
#[derive(Clone, Copy)]
pub struct EndpointChoice {
    /// Region id, typed or picked.
    pub region: RwSignal<String>,
    /// Standard, FIPS, dual-stack or both.
    pub variant: RwSignal<EndpointVariant>,
    /// Custom endpoint URL (empty: the AWS endpoint).
    pub custom: RwSignal<String>,
}

/// The value of an endpoint variant in the select and in saved settings.
pub fn variant_value(v: EndpointVariant) -> &'static str {
    match v {
        EndpointVariant::Standard => "standard",
        EndpointVariant::Fips => "fips",
        EndpointVariant::DualStack => "dualstack",
        EndpointVariant::FipsDualStack => "fips-dualstack",
    }
}

/// Parses the variant select's value.
pub fn variant_from_value(v: &str) -> EndpointVariant {
    EndpointVariant::ALL
        .into_iter()
        .find(|x| variant_value(*x) == v)
        .unwrap_or_default()
}

/// The region and endpoint panel.
#[component]
pub fn EndpointPanel(
    /// The user's choice.
    choice: EndpointChoice,
    /// The endpoint it resolves to.
    resolved: Memo<Result<ResolvedEndpoint, EndpointError>>,
) -> impl IntoView {
    let regions = known_regions();
    view! {
        <section class="panel endpoint" aria-labelledby="endpoint-title">
            <h2 id="endpoint-title" class="panel__title">"Region and endpoint"</h2>
            <div class="endpoint__grid">
                <div class="field">
                    <label class="field__label" for="region">"Region"</label>
                    <input class="field__control" id="region" name="region" list="region-list" autocomplete="off" spellcheck="false"
                        prop:value=move || choice.region.get() on:input=move |ev| choice.region.set(event_target_value(&ev)) />
                    <datalist id="region-list">
                        {regions.into_iter().map(|r| view! { <option value=r.id.clone()>{format!("{} ({})", r.description, r.partition)}</option> }).collect_view()}
                    </datalist>
                </div>
                <div class="field">
                    <label class="field__label" for="endpointVariant">"Endpoint variant"</label>
                    <select class="field__control" id="endpointVariant" name="endpointVariant"
                        prop:value=move || variant_value(choice.variant.get())
                        on:change=move |ev| choice.variant.set(variant_from_value(&event_target_value(&ev)))>
                        {EndpointVariant::ALL.into_iter().map(|v| view! { <option value=variant_value(v)>{v.to_string()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field endpoint__custom">
                    <label class="field__label" for="endpointUrl">"Custom endpoint URL (optional)"</label>
                    <input class="field__control" id="endpointUrl" name="endpointUrl" type="url" autocomplete="off" spellcheck="false"
                        placeholder="https://my-cors-proxy.example.com"
                        prop:value=move || choice.custom.get() on:input=move |ev| choice.custom.set(event_target_value(&ev)) />
                </div>
            </div>
            <p class="endpoint__resolved" data-testid="resolved-endpoint" aria-live="polite">
                {move || match resolved.get() {
                    Ok(e) => view! { "Requests go to " <code>{e.url}</code> " (signed for " {e.signing_region} ")" }.into_any(),
                    Err(e) => view! { <span class="field__error">{e.to_string()}</span> }.into_any(),
                }}
            </p>
        </section>
    }
}

//! Region, endpoint variant, custom endpoint and "Send through" (directly,
//! or through a relay on this site), with the one sentence that says what
//! requests are signed for and where they go. The choice is saved here
//! (never when invalid); the rules are the core's ([`crate::core::route`]).
//! A site's `console-config.json` ([`crate::core::site_config`]) sets
//! defaults, marked "Set by this site", and may lock controls.

use leptos::prelude::*;

use super::browser;
use crate::core::endpoint::{EndpointError, EndpointVariant, known_regions};
use crate::core::route::{
    EndpointSettings, PageOrigin, Route, RouteError, SendVia, relay_offered, variant_from_value,
    variant_value,
};
use crate::core::site_config::{LoadedSiteConfig, SiteSetting};

/// Where requests go, as the user chose it (raw text in signals).
#[derive(Clone, Copy)]
pub struct EndpointChoice {
    /// Region id, typed or picked.
    pub region: RwSignal<String>,
    /// Standard, FIPS, dual-stack or both.
    pub variant: RwSignal<EndpointVariant>,
    /// Custom endpoint URL (empty: the AWS endpoint).
    pub custom: RwSignal<String>,
    /// Directly, or through a relay.
    pub send_via: RwSignal<SendVia>,
    /// The relay URL (empty: this page's origin).
    pub relay_url: RwSignal<String>,
    /// What the last visit saved, to mark values that came back from it.
    restored: StoredValue<EndpointSettings>,
    /// The saved text, to apply the site's configuration to when it comes.
    saved: StoredValue<Option<String>>,
    /// The site's configuration, once its file was asked for (`None`
    /// before: nothing is saved until then, so no default becomes a choice).
    pub site: RwSignal<Option<LoadedSiteConfig>>,
}

impl EndpointChoice {
    /// The choice the last visit saved, or the defaults.
    pub fn restore() -> Self {
        let text = browser::load(EndpointSettings::STORAGE_KEY);
        let saved = EndpointSettings::from_saved(text.as_deref());
        Self {
            region: RwSignal::new(saved.region.clone()),
            variant: RwSignal::new(saved.variant),
            custom: RwSignal::new(saved.custom_endpoint.clone()),
            send_via: RwSignal::new(saved.send_via),
            relay_url: RwSignal::new(saved.relay_url.clone()),
            restored: StoredValue::new(saved),
            saved: StoredValue::new(text),
            site: RwSignal::new(None),
        }
    }

    /// Applies the site's configuration: locked values, then saved choices,
    /// then the site's values.
    pub fn apply_site(self, loaded: LoadedSiteConfig) {
        let s = self
            .saved
            .with_value(|t| loaded.config.settings(t.as_deref()));
        self.region.set(s.region);
        self.variant.set(s.variant);
        self.send_via.set(s.send_via);
        self.relay_url.set(s.relay_url);
        self.site.set(Some(loaded));
    }

    /// Whether the site locks `setting` (tracked).
    fn locked(self, setting: SiteSetting) -> bool {
        self.site
            .with(|s| s.as_ref().is_some_and(|l| l.config.is_locked(setting)))
    }

    /// "Set by this site" next to a control whose value is the site's.
    fn site_mark(self, setting: SiteSetting) -> impl IntoView {
        move || {
            let locked = self.site.with(|s| {
                let config = &s.as_ref()?.config;
                let locked = config.is_locked(setting);
                (locked || config.sets(setting, &self.settings())).then_some(locked)
            })?;
            Some(view! {
                <span class="endpoint__site" data-site-mark=setting.key() data-locked=locked.to_string()>
                    {if locked { "Set by this site, which does not let it be changed here" } else { "Set by this site" }}
                </span>
            })
        }
    }

    /// The settings as they are now (tracked).
    pub fn settings(&self) -> EndpointSettings {
        EndpointSettings {
            region: self.region.get(),
            variant: self.variant.get(),
            custom_endpoint: self.custom.get(),
            send_via: self.send_via.get(),
            relay_url: self.relay_url.get(),
        }
    }

    /// What every request is signed for and where it is sent, following the
    /// choice.
    pub fn route(self) -> Memo<Result<Route, RouteError>> {
        let page = browser::page_origin();
        Memo::new(move |_| self.settings().route(page.as_ref()))
    }

    /// The same for the data plane (InvokeAgentRuntime).
    pub fn data_plane_route(self) -> Memo<Result<Route, RouteError>> {
        let page = browser::page_origin();
        Memo::new(move |_| self.settings().data_plane_route(page.as_ref()))
    }
}

/// The region and endpoint panel.
#[component]
pub fn EndpointPanel(
    /// The user's choice.
    choice: EndpointChoice,
    /// The route it gives.
    route: Memo<Result<Route, RouteError>>,
) -> impl IntoView {
    let page: Option<PageOrigin> = browser::page_origin();
    let regions = known_regions();
    // Saved with every change, unless something is invalid: then the last
    // valid choice stays saved.
    let save_page = page.clone();
    Effect::new(move |_| {
        let text = choice.settings().to_saved(save_page.as_ref());
        let text = choice
            .site
            .with(|s| Some(s.as_ref()?.config.to_saved(&text?)));
        if let Some(text) = text {
            // Storage can be full or disabled; the choice is a convenience.
            let _ = browser::store(EndpointSettings::STORAGE_KEY, &text);
        }
    });
    let offered = {
        let page = page.clone();
        move || {
            choice.send_via.get() == SendVia::Relay
                || choice
                    .settings()
                    .endpoint()
                    .is_ok_and(|e| relay_offered(page.as_ref(), &e))
        }
    };
    let restored_custom = move || {
        choice
            .restored
            .with_value(|r| choice.settings().custom_endpoint_restored(r))
    };
    let restored_relay = move || {
        choice
            .restored
            .with_value(|r| choice.settings().relay_restored(r))
    };
    let custom_invalid = move || {
        route.with(|r| {
            matches!(
                r,
                Err(RouteError::Endpoint(
                    EndpointError::InvalidCustomEndpoint { .. }
                ))
            )
        })
    };
    let relay_invalid = move || {
        route.with(|r| {
            matches!(
                r,
                Err(RouteError::InvalidRelayUrl { .. } | RouteError::NoPageOrigin)
            )
        })
    };
    let restored_note = |testid: &'static str| {
        view! { <span class="endpoint__restored" data-testid=testid>"restored from your last visit"</span> }
    };
    // one closure type for every control's `disabled`
    let locked = move |setting| move || choice.locked(setting);
    let problems = move || {
        choice.site.with(|s| {
            let problems = &s.as_ref()?.problems;
            (!problems.is_empty()).then(|| view! {
                <div class="notice notice--warning" role="alert" data-testid="site-config-problem">
                    "This site's console-config.json has problems; the rest of it applies:"
                    <ul>{problems.iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
                </div>
            })
        })
    };
    // With `regions`, the picker suggests only the site's regions.
    let region_options = move || {
        let allowed = choice
            .site
            .with(|s| s.as_ref().map(|l| l.config.regions.clone()))
            .unwrap_or_default();
        regions
            .iter()
            .filter(|r| allowed.is_empty() || allowed.contains(&r.id))
            .map(|r| view! { <option value=r.id.clone()>{format!("{} ({})", r.description, r.partition)}</option> })
            .collect_view()
    };
    let region_control = view! {
                <input class="field__control" id="region" name="region" list="region-list" autocomplete="off" spellcheck="false"
                    disabled=locked(SiteSetting::Region) prop:value=move || choice.region.get() on:input=move |ev| choice.region.set(event_target_value(&ev)) />
                <datalist id="region-list">{region_options}</datalist>
    };
    view! {
        <section class="panel endpoint" aria-labelledby="endpoint-title">
            <h2 id="endpoint-title" class="panel__title">"Region and endpoint"</h2>
            {problems}
            <div class="endpoint__grid">
                <div class="field">
                    <label class="field__label" for="region">"Region" {choice.site_mark(SiteSetting::Region)}</label>
                    {region_control}
                </div>
                <div class="field">
                    <label class="field__label" for="endpointVariant">"Endpoint variant" {choice.site_mark(SiteSetting::EndpointVariant)}</label>
                    <select class="field__control" id="endpointVariant" name="endpointVariant" disabled=locked(SiteSetting::EndpointVariant)
                        prop:value=move || variant_value(choice.variant.get())
                        on:change=move |ev| choice.variant.set(variant_from_value(&event_target_value(&ev)))>
                        {EndpointVariant::ALL.into_iter().map(|v| view! { <option value=variant_value(v)>{v.to_string()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field endpoint__custom">
                    <label class="field__label" for="endpointUrl">"Custom endpoint URL (optional)"
                        {move || restored_custom().then(|| restored_note("restored-endpoint"))}</label>
                    <input class="field__control" id="endpointUrl" name="endpointUrl" type="url" autocomplete="off" spellcheck="false"
                        placeholder="https://my-cors-proxy.example.com" aria-invalid=move || custom_invalid().to_string()
                        prop:value=move || choice.custom.get() on:input=move |ev| choice.custom.set(event_target_value(&ev)) />
                </div>
                <div class="field endpoint__custom">
                    <label class="field__label" for="sendVia">"Send through" {choice.site_mark(SiteSetting::SendVia)}</label>
                    <select class="field__control" id="sendVia" name="sendVia" disabled=locked(SiteSetting::SendVia)
                        prop:value=move || choice.send_via.get().value()
                        on:change=move |ev| choice.send_via.set(SendVia::from_value(&event_target_value(&ev)))>
                        <option value=SendVia::Direct.value()>{SendVia::Direct.label()}</option>
                        {move || offered().then(|| view! { <option value=SendVia::Relay.value()>{SendVia::Relay.label()}</option> })}
                    </select>
                </div>
                <Show when=move || choice.send_via.get() == SendVia::Relay>
                    <div class="field endpoint__custom">
                        <label class="field__label" for="relayUrl">"Relay URL (empty: this site)"
                            {move || restored_relay().then(|| restored_note("restored-relay"))}
                            {choice.site_mark(SiteSetting::RelayUrl)}</label>
                        <input class="field__control" id="relayUrl" name="relayUrl" autocomplete="off" spellcheck="false"
                            disabled=locked(SiteSetting::RelayUrl)
                            placeholder="/aws" aria-invalid=move || relay_invalid().to_string()
                            prop:value=move || choice.relay_url.get() on:input=move |ev| choice.relay_url.set(event_target_value(&ev)) />
                    </div>
                </Show>
            </div>
            <p class="endpoint__resolved" data-testid="resolved-endpoint" aria-live="polite">
                {move || match route.get() {
                    Ok(r) => view! { <span>{r.summary()}</span> }.into_any(),
                    Err(e) => view! { <span class="field__error">{e.to_string()}</span> }.into_any(),
                }}
            </p>
        </section>
    }
}

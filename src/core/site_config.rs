//! Site configuration: the optional `console-config.json` a site serves next
//! to `index.html`, which sets (and may lock) the region and endpoint panel's
//! defaults for everybody who opens the console there.
//!
//! The file is a JSON object; every key is one entry of [`KEYS`], so adding a
//! key is one line there (and a field of [`SiteConfig`]). Each key is checked
//! on its own: a bad key is reported, by name and why, and the valid keys
//! still apply. A site configuration never carries credentials: the
//! credential keys are refused and their values never repeated.
//!
//! Precedence, for each setting: a locked site value, then the user's saved
//! choice, then the site value, then the built-in default
//! ([`SiteConfig::settings`]). A value equal to the site's is not saved as a
//! choice ([`SiteConfig::to_saved`]), so it keeps following the site.

use serde_json::Value;

use super::endpoint::EndpointVariant;
use super::response::HttpResponse;
use super::route::{
    EndpointSettings, PageOrigin, RouteError, SendVia, parse_relay_url, variant_from_value,
    variant_value,
};
use super::sso::parse_start_url;

/// Where the page fetches the file: relative, so any sub-path works.
pub const SITE_CONFIG_URL: &str = "./console-config.json";

/// The file's name, as problems with the file as a whole name it.
const FILE: &str = "console-config.json";

/// A panel setting a site can set and lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteSetting {
    /// The region.
    Region,
    /// Standard, FIPS, dual-stack or both.
    EndpointVariant,
    /// Directly or through a relay.
    SendVia,
    /// The relay URL.
    RelayUrl,
}

impl SiteSetting {
    /// Every setting.
    pub const ALL: [Self; 4] = [
        Self::Region,
        Self::EndpointVariant,
        Self::SendVia,
        Self::RelayUrl,
    ];

    /// Its key in `console-config.json` (also its control's name).
    pub fn key(self) -> &'static str {
        match self {
            Self::Region => "region",
            Self::EndpointVariant => "endpointVariant",
            Self::SendVia => "sendVia",
            Self::RelayUrl => "relayUrl",
        }
    }

    /// Its key in the saved settings ([`EndpointSettings::to_saved`]).
    fn saved_key(self) -> &'static str {
        match self {
            Self::EndpointVariant => "variant",
            other => other.key(),
        }
    }

    /// Its value in `settings`, as saved.
    fn value_in(self, settings: &EndpointSettings) -> String {
        match self {
            Self::Region => settings.region.trim().to_owned(),
            Self::EndpointVariant => variant_value(settings.variant).to_owned(),
            Self::SendVia => settings.send_via.value().to_owned(),
            Self::RelayUrl => settings.relay_url.trim().to_owned(),
        }
    }
}

/// What a site's `console-config.json` sets. Empty: nothing (the built-in
/// defaults).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteConfig {
    /// `region`: the default region.
    pub region: Option<String>,
    /// `regions`: the only regions the picker offers (empty: all).
    pub regions: Vec<String>,
    /// `endpointVariant`.
    pub variant: Option<EndpointVariant>,
    /// `sendVia`.
    pub send_via: Option<SendVia>,
    /// `relayUrl`, as the page's relay URL field takes it.
    pub relay_url: Option<String>,
    /// `ssoStartUrl`: the IAM Identity Center start URL the sign-in
    /// pre-fills.
    pub sso_start_url: Option<String>,
    /// `ssoRegion`: its region.
    pub sso_region: Option<String>,
    /// `lock`: the settings users cannot change here (each one set above).
    locked: Vec<SiteSetting>,
}

/// One bad key of the file (or the file itself), and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` {problem}")]
pub struct SiteConfigProblem {
    /// The key, or `console-config.json` for the whole file.
    pub key: String,
    /// Why it was not applied.
    pub problem: String,
}

/// The file as read: what applies, and what did not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadedSiteConfig {
    /// The valid keys.
    pub config: SiteConfig,
    /// One per bad key, by key, then the checks across keys.
    pub problems: Vec<SiteConfigProblem>,
}

/// Applies one key's value to the config, or says why it cannot.
type Apply = fn(&mut SiteConfig, &Value, Option<&PageOrigin>) -> Result<(), String>;

/// Every key the file may have. Adding a key is one line here.
const KEYS: &[(&str, Apply)] = &[
    ("region", |c, v, _| set(&mut c.region, region(text(v)?)?)),
    ("regions", |c, v, _| {
        c.regions = texts(v)?
            .into_iter()
            .map(region)
            .collect::<Result<_, _>>()?;
        Ok(())
    }),
    ("endpointVariant", |c, v, _| {
        let variant = variant_from_value(text(v)?);
        (variant_value(variant) == text(v)?)
            .then_some(())
            .ok_or("must be one of standard, fips, dualstack, fips-dualstack")?;
        set(&mut c.variant, variant)
    }),
    ("sendVia", |c, v, _| {
        let send_via = SendVia::from_value(text(v)?);
        (send_via.value() == text(v)?)
            .then_some(())
            .ok_or("must be one of direct, relay")?;
        set(&mut c.send_via, send_via)
    }),
    ("relayUrl", |c, v, page| {
        set(&mut c.relay_url, relay_url(text(v)?, page)?)
    }),
    ("ssoStartUrl", |c, v, _| {
        let url = parse_start_url(text(v)?).map_err(|e| e.to_string())?;
        set(&mut c.sso_start_url, url.as_str().to_owned())
    }),
    ("ssoRegion", |c, v, _| {
        set(&mut c.sso_region, region(text(v)?)?)
    }),
    ("lock", |c, v, _| lock(c, texts(v)?)),
];

fn set<T>(field: &mut Option<T>, value: T) -> Result<(), String> {
    *field = Some(value);
    Ok(())
}

/// Keys refused whatever their value: a site configuration is public.
const CREDENTIAL_KEYS: [&str; 3] = ["accessKeyId", "secretAccessKey", "sessionToken"];

fn text(v: &Value) -> Result<&str, String> {
    v.as_str().ok_or_else(|| "must be a string".to_owned())
}

fn texts(v: &Value) -> Result<Vec<&str>, String> {
    let list = v.as_array().ok_or("must be a list of strings")?;
    list.iter()
        .map(|x| {
            x.as_str()
                .ok_or_else(|| "must be a list of strings".to_owned())
        })
        .collect()
}

/// A region the page accepts.
fn region(raw: &str) -> Result<String, String> {
    let settings = EndpointSettings {
        region: raw.to_owned(),
        ..Default::default()
    };
    settings
        .endpoint()
        .map(|_| settings.region.trim().to_owned())
        .map_err(|e| e.to_string())
}

/// A relay URL the page's relay field accepts (a path needs a page served
/// over http(s), which only the page itself can lack).
fn relay_url(raw: &str, page: Option<&PageOrigin>) -> Result<String, String> {
    match parse_relay_url(raw, page) {
        Ok(_) | Err(RouteError::NoPageOrigin) => Ok(raw.trim().to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// Locks the named settings; the valid names apply even when one is bad.
fn lock(c: &mut SiteConfig, names: Vec<&str>) -> Result<(), String> {
    let mut bad = None;
    for name in names {
        match SiteSetting::ALL.into_iter().find(|s| s.key() == name) {
            Some(s) => c.locked.push(s),
            None => bad = Some(name),
        }
    }
    match bad {
        None => Ok(()),
        Some(name) => Err(format!(
            "names `{name}`, which cannot be locked (lockable: region, endpointVariant, \
             sendVia, relayUrl)"
        )),
    }
}

impl LoadedSiteConfig {
    /// Reads the server's answer to [`SITE_CONFIG_URL`]. No file (404, or
    /// 403 as S3 behind CloudFront answers for a missing object, or an HTML
    /// page a host serves for any unknown path) is no configuration, and no
    /// problem.
    pub fn from_response(response: &HttpResponse, page: Option<&PageOrigin>) -> Self {
        let status = response.status;
        let html = response.headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("content-type") && value.trim_start().starts_with("text/html")
        });
        if status == 404 || status == 403 || html {
            return Self::default();
        }
        if !(200..300).contains(&status) {
            return Self::unreadable(&format!("HTTP {status}"));
        }
        Self::parse(&response.body, page)
    }

    /// The file could not be fetched at all (`why`, e.g. a network error).
    pub fn unreadable(why: &str) -> Self {
        Self::file_problem(format!(
            "could not be read ({why}); the built-in defaults apply"
        ))
    }

    fn file_problem(problem: String) -> Self {
        Self {
            config: SiteConfig::default(),
            problems: vec![SiteConfigProblem {
                key: FILE.to_owned(),
                problem,
            }],
        }
    }

    /// Parses the file's text, key by key.
    pub fn parse(body: &str, page: Option<&PageOrigin>) -> Self {
        let object = match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(object)) => object,
            Ok(_) => return Self::file_problem("must be a JSON object".to_owned()),
            Err(e) => return Self::file_problem(format!("is not valid JSON ({e})")),
        };
        let mut problems = Vec::new();
        let mut problem = |key: &str, problem: String| {
            problems.push(SiteConfigProblem {
                key: key.to_owned(),
                problem,
            })
        };
        let mut config = SiteConfig::default();
        for (key, value) in &object {
            if CREDENTIAL_KEYS.iter().any(|c| c.eq_ignore_ascii_case(key)) {
                problem(
                    key,
                    "is a credential, which this public file must never hold (ignored; remove \
                     it and rotate the key)"
                        .to_owned(),
                );
                continue;
            }
            match KEYS.iter().find(|(name, _)| name == key) {
                Some((_, apply)) => {
                    if let Err(why) = apply(&mut config, value, page) {
                        problem(key, why);
                    }
                }
                None => {
                    let known: Vec<_> = KEYS.iter().map(|(name, _)| *name).collect();
                    problem(
                        key,
                        format!("is not a known setting (known: {})", known.join(", ")),
                    );
                }
            }
        }
        // Settings that depend on each other, checked once all are read.
        if let Some(r) = &config.region
            && !config.regions.is_empty()
            && !config.regions.contains(r)
        {
            problem("region", format!("`{r}` is not one of `regions`"));
            config.region = None;
        }
        for setting in SiteSetting::ALL {
            if config.is_locked(setting) && config.site_value(setting).is_none() {
                let key = setting.key();
                problem(
                    "lock",
                    format!("names `{key}`, which the file does not set"),
                );
                config.locked.retain(|s| *s != setting);
            }
        }
        Self { config, problems }
    }
}

impl SiteConfig {
    /// Whether users cannot change `setting` here.
    pub fn is_locked(&self, setting: SiteSetting) -> bool {
        self.locked.contains(&setting)
    }

    /// The site's value of `setting`, as saved.
    fn site_value(&self, setting: SiteSetting) -> Option<String> {
        match setting {
            SiteSetting::Region => self.region.clone(),
            SiteSetting::EndpointVariant => self.variant.map(|v| variant_value(v).to_owned()),
            SiteSetting::SendVia => self.send_via.map(|v| v.value().to_owned()),
            SiteSetting::RelayUrl => self.relay_url.clone(),
        }
    }

    /// Whether `setting`'s value in `settings` is the one this site sets
    /// (the panel says "Set by this site").
    pub fn sets(&self, setting: SiteSetting, settings: &EndpointSettings) -> bool {
        self.site_value(setting)
            .is_some_and(|v| v == setting.value_in(settings))
    }

    /// The settings the panel starts with, from the saved text: for each
    /// setting, a locked site value, then the saved choice, then the site
    /// value, then the built-in default. A saved region outside `regions`
    /// gives way to the site's region (or the first listed).
    pub fn settings(&self, saved: Option<&str>) -> EndpointSettings {
        let mut settings = EndpointSettings::from_saved(saved);
        let json: Value = saved
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(Value::Null);
        // whether the site's value applies: locked, or no choice saved (an
        // empty relay URL is a choice, this site's origin; an empty region is
        // none)
        let site_applies = |setting: SiteSetting| {
            self.is_locked(setting)
                || json
                    .get(setting.saved_key())
                    .and_then(Value::as_str)
                    .is_none_or(|v| setting != SiteSetting::RelayUrl && v.trim().is_empty())
        };
        if let Some(region) = &self.region
            && site_applies(SiteSetting::Region)
        {
            settings.region = region.clone();
        }
        if let Some(variant) = self.variant
            && site_applies(SiteSetting::EndpointVariant)
        {
            settings.variant = variant;
        }
        if let Some(send_via) = self.send_via
            && site_applies(SiteSetting::SendVia)
        {
            settings.send_via = send_via;
        }
        if let Some(relay_url) = &self.relay_url
            && site_applies(SiteSetting::RelayUrl)
        {
            settings.relay_url = relay_url.clone();
        }
        if !self.regions.is_empty() && !self.regions.contains(&settings.region) {
            settings.region = self.region.clone().unwrap_or(self.regions[0].clone());
        }
        settings
    }

    /// What to save of `saved` ([`EndpointSettings::to_saved`]'s text):
    /// without the values that are this site's, so that they keep following
    /// the site rather than become the user's choice.
    pub fn to_saved(&self, saved: &str) -> String {
        let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(saved) else {
            return saved.to_owned();
        };
        for setting in SiteSetting::ALL {
            let site = self.site_value(setting);
            if site.is_some()
                && map.get(setting.saved_key()).and_then(Value::as_str) == site.as_deref()
            {
                map.remove(setting.saved_key());
            }
        }
        super::json::to_string(&Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> PageOrigin {
        PageOrigin::parse("https://console.example.com").unwrap()
    }

    fn load(body: &str) -> LoadedSiteConfig {
        LoadedSiteConfig::parse(body, Some(&page()))
    }

    fn keys(loaded: &LoadedSiteConfig) -> Vec<&str> {
        loaded.problems.iter().map(|p| p.key.as_str()).collect()
    }

    #[test]
    fn every_key_is_read() {
        let loaded = load(
            r#"{"region":"eu-west-1","regions":["eu-west-1","eu-central-1"],"sendVia":"relay",
                "relayUrl":"/aws","endpointVariant":"fips","lock":["region","sendVia"]}"#,
        );
        assert_eq!(loaded.problems, []);
        let c = loaded.config;
        assert_eq!(c.region.as_deref(), Some("eu-west-1"));
        assert_eq!(c.regions, ["eu-west-1", "eu-central-1"]);
        assert_eq!(c.send_via, Some(SendVia::Relay));
        assert_eq!(c.relay_url.as_deref(), Some("/aws"));
        assert_eq!(c.variant, Some(EndpointVariant::Fips));
        assert!(c.is_locked(SiteSetting::Region) && c.is_locked(SiteSetting::SendVia));
        assert!(!c.is_locked(SiteSetting::RelayUrl));
    }

    #[test]
    fn each_bad_key_is_named_and_the_valid_ones_still_apply() {
        let loaded = load(
            r#"{"region":"Not A Region","sendVia":"carrier pigeon","relayUrl":"//evil.example.com",
                "endpointVariant":3,"regions":"us-east-1","colour":"blue","lock":["region","nope"],
                "sendVia2":null}"#,
        );
        let why = |key: &str| {
            let found: Vec<_> = loaded.problems.iter().filter(|p| p.key == key).collect();
            assert_eq!(found.len(), 1, "{key}: {found:?}");
            found[0].to_string()
        };
        assert!(why("region").contains("not a valid region"));
        assert!(why("sendVia").contains("must be one of direct, relay"));
        assert!(why("relayUrl").contains("`//`"));
        assert!(why("endpointVariant").contains("must be a string"));
        assert!(why("regions").contains("must be a list of strings"));
        assert!(why("colour").contains("not a known setting"));
        assert!(why("sendVia2").contains("not a known setting"));
        let lock: Vec<_> = loaded
            .problems
            .iter()
            .filter(|p| p.key == "lock")
            .map(ToString::to_string)
            .collect();
        assert_eq!(lock.len(), 2, "{lock:?}");
        assert!(lock[0].contains("`nope`"), "{}", lock[0]);
        // `region` was locked, but its value was bad: the lock has nothing to hold
        assert!(
            lock[1].contains("`region`, which the file does not set"),
            "{}",
            lock[1]
        );
        assert_eq!(loaded.problems.len(), 9);
        assert_eq!(loaded.config, SiteConfig::default());

        let partly = load(r#"{"region":"eu-west-1","sendVia":"sideways","lock":["region"]}"#);
        assert_eq!(keys(&partly), ["sendVia"]);
        assert_eq!(partly.config.region.as_deref(), Some("eu-west-1"));
        assert!(partly.config.is_locked(SiteSetting::Region));
    }

    #[test]
    fn the_identity_center_start_url_and_region_are_read_and_checked() {
        let loaded = load(
            r#"{"ssoStartUrl":"https://d-1234567890.awsapps.com/start","ssoRegion":"eu-west-1"}"#,
        );
        assert_eq!(loaded.problems, []);
        assert_eq!(
            loaded.config.sso_start_url.as_deref(),
            Some("https://d-1234567890.awsapps.com/start")
        );
        assert_eq!(loaded.config.sso_region.as_deref(), Some("eu-west-1"));
        let bad =
            load(r#"{"ssoStartUrl":"http://portal.example.com/start","ssoRegion":"Not A Region"}"#);
        assert_eq!(keys(&bad), ["ssoRegion", "ssoStartUrl"]);
        assert_eq!(
            (bad.config.sso_start_url, bad.config.sso_region),
            (None, None)
        );
    }

    #[test]
    fn credentials_are_refused_and_never_repeated() {
        let loaded = load(
            r#"{"region":"us-west-2","accessKeyId":"AKIAIOSFODNN7EXAMPLE",
                "secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","SessionToken":"tok-value"}"#,
        );
        assert_eq!(
            keys(&loaded),
            ["SessionToken", "accessKeyId", "secretAccessKey"]
        );
        let all = format!("{loaded:?}");
        for secret in ["AKIAIOSFODNN7EXAMPLE", "EXAMPLEKEY", "tok-value"] {
            assert!(!all.contains(secret), "{secret} repeated: {all}");
        }
        assert!(
            loaded
                .problems
                .iter()
                .all(|p| p.problem.contains("credential"))
        );
        assert_eq!(loaded.config.region.as_deref(), Some("us-west-2"));
    }

    #[test]
    fn a_file_that_is_not_a_json_object_is_one_problem() {
        for body in ["not json", "[1,2]", "\"region\"", ""] {
            let loaded = load(body);
            assert_eq!(keys(&loaded), [FILE], "{body}");
            assert_eq!(loaded.config, SiteConfig::default());
        }
        assert!(load("{").problems[0].problem.contains("not valid JSON"));
    }

    #[test]
    fn a_missing_file_is_silent_and_other_failures_are_named() {
        let response = |status, content_type: &str, body: &str| HttpResponse {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.to_owned(),
        };
        for (status, ctype) in [
            (404, "text/plain"),
            (403, "application/xml"),
            (200, "text/html; charset=utf-8"),
        ] {
            let loaded =
                LoadedSiteConfig::from_response(&response(status, ctype, "<html>"), Some(&page()));
            assert_eq!(loaded, LoadedSiteConfig::default(), "{status} {ctype}");
        }
        let failed = LoadedSiteConfig::from_response(&response(500, "text/plain", "oops"), None);
        assert_eq!(keys(&failed), [FILE]);
        assert!(failed.problems[0].problem.contains("HTTP 500"));
        let ok = LoadedSiteConfig::from_response(
            &response(200, "application/json", r#"{"region":"eu-west-1"}"#),
            None,
        );
        assert_eq!(ok.config.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn a_relay_path_is_accepted_before_the_page_origin_is_known() {
        let loaded = LoadedSiteConfig::parse(r#"{"relayUrl":"/aws"}"#, None);
        assert_eq!(loaded.problems, []);
        assert_eq!(loaded.config.relay_url.as_deref(), Some("/aws"));
    }

    #[test]
    fn the_region_must_be_one_of_the_listed_regions() {
        let loaded = load(r#"{"region":"us-east-1","regions":["eu-west-1"]}"#);
        assert_eq!(keys(&loaded), ["region"]);
        assert_eq!(loaded.config.region, None);
    }

    const SITE: &str =
        r#"{"region":"eu-west-1","sendVia":"relay","relayUrl":"/aws","endpointVariant":"fips"}"#;

    #[test]
    fn precedence_locked_then_saved_then_site_then_default() {
        let site = load(SITE).config;
        // nothing saved: the site's values
        let first = site.settings(None);
        assert_eq!(first.region, "eu-west-1");
        assert_eq!(first.send_via, SendVia::Relay);
        assert_eq!(first.relay_url, "/aws");
        assert_eq!(first.variant, EndpointVariant::Fips);
        // saved choices win over unlocked site values
        let saved =
            r#"{"region":"us-west-2","variant":"standard","sendVia":"direct","relayUrl":""}"#;
        let mine = site.settings(Some(saved));
        assert_eq!(mine.region, "us-west-2");
        assert_eq!(mine.variant, EndpointVariant::Standard);
        assert_eq!(mine.send_via, SendVia::Direct);
        assert_eq!(mine.relay_url, "");
        // locked site values win over saved choices
        let locked = load(&SITE.replace('}', r#","lock":["region","sendVia"]}"#)).config;
        let held = locked.settings(Some(saved));
        assert_eq!(held.region, "eu-west-1");
        assert_eq!(held.send_via, SendVia::Relay);
        assert_eq!(held.variant, EndpointVariant::Standard);
        // no site value: the saved choice, else the built-in default
        let none = SiteConfig::default();
        assert_eq!(none.settings(Some(saved)).region, "us-west-2");
        assert_eq!(none.settings(None), EndpointSettings::default());
    }

    #[test]
    fn a_saved_region_outside_the_listed_ones_gives_way() {
        let site = load(r#"{"regions":["eu-west-1","eu-central-1"]}"#).config;
        assert_eq!(
            site.settings(Some(r#"{"region":"us-west-2"}"#)).region,
            "eu-west-1"
        );
        assert_eq!(
            site.settings(Some(r#"{"region":"eu-central-1"}"#)).region,
            "eu-central-1"
        );
        let with_default =
            load(r#"{"region":"eu-central-1","regions":["eu-west-1","eu-central-1"]}"#).config;
        assert_eq!(
            with_default
                .settings(Some(r#"{"region":"us-west-2"}"#))
                .region,
            "eu-central-1"
        );
    }

    #[test]
    fn values_equal_to_the_site_are_not_saved_as_choices() {
        let site = load(SITE).config;
        let page = page();
        let settings = site.settings(None);
        assert!(
            SiteSetting::ALL
                .into_iter()
                .all(|s| site.sets(s, &settings))
        );
        let saved = site.to_saved(&settings.to_saved(Some(&page)).unwrap());
        assert_eq!(saved, r#"{"endpointUrl":""}"#);
        // so a later change of the site's values reaches this user
        let moved = load(&SITE.replace("eu-west-1", "eu-central-1")).config;
        assert_eq!(moved.settings(Some(&saved)).region, "eu-central-1");
        // a different value is the user's choice, kept and no longer the site's
        let mine = EndpointSettings {
            region: "us-west-2".into(),
            ..settings
        };
        assert!(!site.sets(SiteSetting::Region, &mine));
        let saved = site.to_saved(&mine.to_saved(Some(&page)).unwrap());
        assert_eq!(moved.settings(Some(&saved)).region, "us-west-2");
    }

    #[test]
    fn adding_a_key_is_one_entry_of_the_table() {
        let names: Vec<_> = KEYS.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            [
                "region",
                "regions",
                "endpointVariant",
                "sendVia",
                "relayUrl",
                "ssoStartUrl",
                "ssoRegion",
                "lock"
            ]
        );
        for s in SiteSetting::ALL {
            assert!(names.contains(&s.key()), "{s:?} has no key");
        }
    }
}

//! The compiled endpoint rules against botocore's resolver: every case of
//! `tests/fixtures/endpoint-cases.json` (every listed region of every
//! partition, unlisted ones, the 4 variants, with and without a custom
//! endpoint), written by `scripts/gen-endpoint-cases.py` from the same
//! vendored `model/*.json`. Regenerate it with
//! `.venv/bin/python scripts/gen-endpoint-cases.py` after refreshing the model
//! (`--check` tells whether it is current).
#![cfg(not(target_arch = "wasm32"))]

use agentcore_console::core::endpoint::{
    EndpointError, EndpointParams, EndpointVariant, resolve_endpoint,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    region: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    endpoint: Option<String>,
    url: Option<String>,
    error: Option<String>,
}

#[test]
fn every_botocore_case_resolves_the_same() {
    let fixture: Fixture =
        serde_json::from_str(include_str!("fixtures/endpoint-cases.json")).unwrap();
    assert!(fixture.cases.len() > 500, "{}", fixture.cases.len());
    let mut checked = 0;
    for case in &fixture.cases {
        let params = EndpointParams {
            region: case.region.clone().unwrap_or_default(),
            variant: EndpointVariant::from_flags(case.use_fips, case.use_dual_stack),
            custom_endpoint: case.endpoint.clone(),
        };
        let got = resolve_endpoint(&params);
        let what = format!(
            "{:?} fips={} dual-stack={} endpoint={:?}",
            case.region, case.use_fips, case.use_dual_stack, case.endpoint
        );
        if case.region.is_none() {
            // botocore resolves a custom endpoint without a region, or says
            // "Missing Region"; the console needs a region to sign with and
            // asks for one before the rules run.
            assert_eq!(got, Err(EndpointError::EmptyRegion), "{what}");
            continue;
        }
        match (&case.url, &case.error) {
            (Some(url), None) => {
                let endpoint = got.unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(&endpoint.url, url, "{what}");
            }
            (None, Some(message)) => assert_eq!(
                got,
                Err(EndpointError::Rejected {
                    message: message.clone()
                }),
                "{what}"
            ),
            _ => panic!("{what}: a case needs a url or an error"),
        }
        checked += 1;
    }
    assert!(checked > 500, "{checked}");
}

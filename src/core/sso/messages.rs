//! What the page says for each error shape of IAM Identity Center's two
//! services (the `errors` of the operations in `model/sso-oidc.json` and
//! `model/sso.json`, from the vendored botocore models): a sentence that
//! says what to do. A host test checks that every error shape the models
//! list has one.

use crate::core::endpoint::SsoService;

/// The message for error `code` answered to `operation` of `service`, or
/// `None` when the models do not list it (the caller words it from the
/// service's own message).
pub fn message(service: SsoService, operation: &str, code: &str) -> Option<&'static str> {
    Some(match (service, code) {
        (SsoService::Oidc, "InvalidRequestException")
            if operation == "StartDeviceAuthorization" =>
        {
            "The start URL is not an IAM Identity Center portal: check it (it looks like \
             https://d-1234567890.awsapps.com/start) and that the region is the one of its \
             IAM Identity Center instance."
        }
        (SsoService::Oidc, "InvalidRequestException") => {
            "IAM Identity Center refused the sign-in request as invalid. Sign in again."
        }
        (SsoService::Oidc, "AccessDeniedException") => {
            "The sign-in was denied: the request was not approved in the browser. Sign in \
             again and choose Allow."
        }
        (SsoService::Oidc, "AuthorizationPendingException") => {
            "Waiting for you to approve the sign-in in the browser tab the link opens."
        }
        (SsoService::Oidc, "ExpiredTokenException") => {
            "The code expired before the sign-in was approved. Sign in again for a new code."
        }
        (SsoService::Oidc, "InternalServerException") => {
            "IAM Identity Center failed on its side. Wait a minute and sign in again."
        }
        (SsoService::Oidc, "InvalidClientException") => {
            "IAM Identity Center no longer knows this page's client registration. Sign in again."
        }
        (SsoService::Oidc, "InvalidClientMetadataException") => {
            "IAM Identity Center refused this page's client registration. Ask your \
             administrator whether device-code sign-in is allowed; meanwhile, paste credentials."
        }
        (SsoService::Oidc, "InvalidGrantException") => {
            "The sign-in code is no longer valid (already used, or not this sign-in's). Sign \
             in again."
        }
        (SsoService::Oidc, "InvalidRedirectUriException") => {
            "IAM Identity Center refused the client's redirect URI. Sign in again; if it \
             happens again, paste credentials instead."
        }
        (SsoService::Oidc, "InvalidRequestRegionException") => {
            "That region is not the one of the start URL's IAM Identity Center instance: \
             choose its region and sign in again."
        }
        (SsoService::Oidc, "InvalidScopeException") => {
            "IAM Identity Center refused access to AWS accounts (scope sso:account:access). \
             Ask your administrator; meanwhile, paste credentials."
        }
        (SsoService::Oidc, "SlowDownException") => {
            "IAM Identity Center asked the page to ask less often: it waits 5 seconds longer \
             between checks."
        }
        (SsoService::Oidc, "UnauthorizedClientException") => {
            "This page may not sign in with a device code to this IAM Identity Center \
             instance. Ask your administrator; meanwhile, paste credentials."
        }
        (SsoService::Oidc, "UnsupportedGrantTypeException") => {
            "This IAM Identity Center instance does not accept device-code sign-in. Paste \
             credentials instead."
        }
        (SsoService::Portal, "UnauthorizedException") => {
            "Your IAM Identity Center sign-in has expired or was signed out: sign in again."
        }
        (SsoService::Portal, "InvalidRequestException") => {
            "The access portal refused the request as invalid: choose the account and role \
             again."
        }
        (SsoService::Portal, "ResourceNotFoundException") => {
            "You have no access to that account or role (any more): choose another, or ask \
             your administrator."
        }
        (SsoService::Portal, "TooManyRequestsException") => {
            "The access portal is limiting requests: wait a minute and try again."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::ServiceModel;

    /// The vendored models (host tests only: nothing the page ships reads them yet).
    pub(crate) fn models() -> [(SsoService, ServiceModel); 2] {
        [
            (
                SsoService::Oidc,
                ServiceModel::from_json(include_str!("../../../model/sso-oidc.json")).unwrap(),
            ),
            (
                SsoService::Portal,
                ServiceModel::from_json(include_str!("../../../model/sso.json")).unwrap(),
            ),
        ]
    }

    #[test]
    fn every_error_of_every_operation_of_both_models_has_a_message() {
        let mut count = 0;
        for (service, model) in models() {
            for op in model.operations() {
                assert!(!op.errors.is_empty(), "{}", op.name);
                for code in &op.errors {
                    let text = message(service, &op.name, code)
                        .unwrap_or_else(|| panic!("{service:?} {} {code}: no message", op.name));
                    assert!(text.ends_with('.'), "{text}");
                    count += 1;
                }
            }
        }
        // RegisterClient 7, StartDeviceAuthorization 5, CreateToken 11; the portal's 4 + 4 + 4 + 3
        assert_eq!(count, 38);
    }

    #[test]
    fn the_start_url_and_the_expired_sign_in_say_what_to_do() {
        let text = message(
            SsoService::Oidc,
            "StartDeviceAuthorization",
            "InvalidRequestException",
        )
        .unwrap();
        assert!(text.starts_with("The start URL is not an IAM Identity Center portal"));
        let other = message(SsoService::Oidc, "CreateToken", "InvalidRequestException").unwrap();
        assert!(!other.contains("start URL"));
        for op in ["ListAccounts", "GetRoleCredentials", "Logout"] {
            assert!(
                message(SsoService::Portal, op, "UnauthorizedException")
                    .unwrap()
                    .ends_with("sign in again.")
            );
        }
        assert_eq!(
            message(SsoService::Portal, "ListAccounts", "SlowDownException"),
            None
        );
    }
}

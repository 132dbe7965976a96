//! The browser's effects, behind the core's traits: the network (`fetch`
//! through gloo-net), the clock, timers, randomness and local storage.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::{Either, select};
use gloo_net::http::{Method, RequestBuilder};
use web_sys::RequestMode;

use crate::core::client::{Clock, Transport, TransportError, origin_of};
use crate::core::response::HttpResponse;
use crate::core::route::PageOrigin;
use crate::core::sign::SignedRequest;

/// Now, by the browser's clock.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(js_sys::Date::now().max(0.0) as u64)
}

/// 16 random bytes from `crypto.getRandomValues` (for idempotency tokens).
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // No Web Crypto (very old browser): fall back to Math.random.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// The browser's clock and timers.
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now(&self) -> SystemTime {
        now()
    }

    async fn sleep(&self, duration: Duration) {
        sleep(duration).await
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// Waits without blocking the page.
pub async fn sleep(duration: Duration) {
    gloo_timers::future::TimeoutFuture::new(duration.as_millis().min(u32::MAX as u128) as u32).await
}

/// `fetch`, with a timeout, and a second look to tell a CORS block from an
/// unreachable server (the browser reports both as the same `TypeError`).
pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn send(
        &self,
        request: &SignedRequest,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let origin = origin_of(&request.url);
        let method = Method::from_bytes(request.method.as_bytes()).unwrap_or(Method::GET);
        let abort = web_sys::AbortController::new().ok();
        let mut builder = RequestBuilder::new(&request.url)
            .method(method)
            .abort_signal(abort.as_ref().map(|a| a.signal()).as_ref());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let built = if request.body.is_empty() {
            builder.build()
        } else {
            builder.body(request.body.clone())
        };
        let built = built.map_err(|e| TransportError::Network(format!("{origin} ({e})")))?;
        let exchange = async {
            let response = built.send().await?;
            let body = response.text().await?;
            Ok::<_, gloo_net::Error>((response, body))
        };
        let timer = sleep(timeout);
        match select(Box::pin(exchange), Box::pin(timer)).await {
            Either::Left((Ok((response, body)), _)) => Ok(HttpResponse {
                status: response.status(),
                headers: response.headers().entries().collect(),
                body,
            }),
            Either::Left((Err(_), _)) => Err(classify_failure(&request.url, &origin).await),
            Either::Right(_) => {
                if let Some(a) = abort {
                    a.abort();
                }
                Err(TransportError::Timeout(timeout))
            }
        }
    }
}

/// After a failed fetch: if an opaque (`no-cors`) request to the same URL
/// gets through, the server is up and the browser hid its answer for lack
/// of CORS headers; otherwise the server could not be reached.
async fn classify_failure(url: &str, origin: &str) -> TransportError {
    let probe = RequestBuilder::new(url)
        .method(Method::GET)
        .mode(RequestMode::NoCors)
        .send();
    match select(Box::pin(probe), Box::pin(sleep(Duration::from_secs(5)))).await {
        Either::Left((Ok(_), _)) => TransportError::CorsBlocked(origin.to_owned()),
        _ => TransportError::Unreachable(origin.to_owned()),
    }
}

/// The origin this page was loaded from, when it is an http(s) one.
pub fn page_origin() -> Option<PageOrigin> {
    let origin = web_sys::window()?.location().origin().ok()?;
    PageOrigin::parse(&origin)
}

/// Reads a value from `localStorage` (never used for secrets).
pub fn load(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Writes a value to `localStorage` (never used for secrets). Storage can be
/// disabled (privacy mode) or full (quota): the error says which, in words.
pub fn store(key: &str, value: &str) -> Result<(), String> {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or("this browser does not allow this page to use local storage")?;
    storage.set_item(key, value).map_err(|e| {
        use wasm_bindgen::JsCast;
        let name = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.name()))
            .unwrap_or_default();
        if name == "QuotaExceededError" {
            "the browser's storage for this site is full".to_owned()
        } else {
            "the browser refused to store it".to_owned()
        }
    })
}

/// Focuses and scrolls to the element with this id.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(e) = element {
        e.scroll_into_view();
        let _ = e.focus();
    }
}

/// Local time of an instant, as the browser formats it.
pub fn local_time(t: SystemTime) -> String {
    let ms = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0);
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    String::from(date.to_string())
}

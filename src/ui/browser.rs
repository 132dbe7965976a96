//! The browser's effects, behind the core's traits: the network (`fetch`
//! through gloo-net, and a streamed `fetch` for InvokeAgentRuntime), the
//! clock, timers, randomness, local storage and downloads.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::{Either, select};
use gloo_net::http::{Method, RequestBuilder};
use web_sys::RequestMode;

use crate::core::client::{ATTEMPT_TIMEOUT, Clock, Transport, TransportError, origin_of};
use crate::core::invoke::Failure;
use crate::core::response::HttpResponse;
use crate::core::route::PageOrigin;
use crate::core::sign::SignedRequest;
use crate::core::workflow::Streamed;

/// Now, by the browser's clock.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(now_ms())
}

/// Now, in milliseconds since the epoch (the invoke's timings).
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
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

/// How a streamed exchange ended when no 2xx answer streamed.
pub enum NotStreamed {
    /// An error answer, read whole.
    Answer(HttpResponse),
    /// No answer.
    Failed(TransportError),
}

/// Aborts its fetch when dropped: when the work holding it is abandoned
/// (Stop, Forget), the browser closes the connection at once.
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(a) = &self.0 {
            a.abort();
        }
    }
}

thread_local! {
    /// Every chunk of the last streamed answer (`Uint8Array`s), for "Save
    /// whole response"; the page shows only the last 1 MB. Memory only.
    static ANSWER: std::cell::RefCell<js_sys::Array> = std::cell::RefCell::new(js_sys::Array::new());
}

/// Sends `request` and hands a 2xx answer on as it arrives: its headers,
/// then its body chunk by chunk as the browser reads it (the body's
/// `ReadableStream`, never a whole-body read), then its end, or
/// [`Streamed::Failed`] if the stream breaks. An error answer is read whole
/// and returned. Dropping the future aborts the fetch.
pub async fn stream(
    request: &SignedRequest,
    on: &mut dyn FnMut(Streamed),
) -> Result<(), NotStreamed> {
    use wasm_bindgen::JsCast;
    let origin = origin_of(&request.url);
    let abort = AbortOnDrop(web_sys::AbortController::new().ok());
    let mut builder = RequestBuilder::new(&request.url)
        .method(Method::POST)
        .abort_signal(abort.0.as_ref().map(|a| a.signal()).as_ref());
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let failed = |e: gloo_net::Error| {
        NotStreamed::Failed(TransportError::Network(format!("{origin} ({e})")))
    };
    let built = builder.body(request.body.clone()).map_err(failed)?;
    let sent = select(Box::pin(built.send()), Box::pin(sleep(ATTEMPT_TIMEOUT))).await;
    let response = match sent {
        Either::Left((Ok(response), _)) => response,
        Either::Left((Err(_), _)) => {
            return Err(NotStreamed::Failed(
                classify_failure(&request.url, &origin).await,
            ));
        }
        Either::Right(_) => {
            return Err(NotStreamed::Failed(TransportError::Timeout(
                ATTEMPT_TIMEOUT,
            )));
        }
    };
    let status = response.status();
    let headers = response.headers().entries().collect();
    if !(200..300).contains(&status) {
        let body = response.text().await.unwrap_or_default();
        return Err(NotStreamed::Answer(HttpResponse {
            status,
            headers,
            body,
        }));
    }
    ANSWER.with(|a| *a.borrow_mut() = js_sys::Array::new());
    on(Streamed::Headers { status, headers });
    let Some(body) = response.body() else {
        on(Streamed::End);
        return Ok(());
    };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    loop {
        let read = wasm_bindgen_futures::JsFuture::from(reader.read()).await;
        let Ok(result) = read else {
            let broke = TransportError::Network(origin);
            on(Streamed::Failed(Failure::Transport(broke.to_string())));
            return Ok(());
        };
        let field = |name: &str| js_sys::Reflect::get(&result, &name.into()).unwrap_or_default();
        if field("done").is_truthy() {
            on(Streamed::End);
            return Ok(());
        }
        let chunk = field("value");
        ANSWER.with(|a| a.borrow().push(&chunk));
        on(Streamed::Chunk(js_sys::Uint8Array::new(&chunk).to_vec()));
    }
}

/// Downloads every byte of the last streamed answer as `file_name`.
pub fn save_answer(file_name: &str) {
    use wasm_bindgen::JsCast;
    let document = web_sys::window().and_then(|w| w.document());
    let blob = ANSWER.with(|a| web_sys::Blob::new_with_u8_array_sequence(&a.borrow()).ok());
    let (Some(document), Some(blob)) = (document, blob) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    // Revoked once the download has surely started.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
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
